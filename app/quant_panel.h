#pragma once

#include "app/quant_request.h"

#include <QWidget>
#include <optional>
#include <string>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QScrollArea;
class QSpinBox;

namespace lb::app {

class ImagePreprocessBox;
class InputShapes;
class InputShapesEditor;

// Calibration settings: the model's input shapes (shared with the Run panel), data (random with a
// visible warning, a QNN input_list.txt, a folder of .npy files or a folder of images with their
// preprocessing), calibrator, per-channel weights, bitwidths, and the mixed-precision planner's
// target. Quantize asks for calibration (+ planning) + analysis; the window posts it to the
// engine worker.
class QuantPanel : public QWidget {
    Q_OBJECT

public:
    explicit QuantPanel(InputShapes* shapes, QWidget* parent = nullptr);

    void setModelPath(const QString& path); // empty: nothing open, Quantize disabled
    void setRunning(bool running);
    // A one-line error under the Quantize button (empty hides it); `input` also marks that
    // input's shape.
    void showError(const QString& message, const std::string& input = {});
    QString errorText() const;
    // The mixed-precision outcome under the button (nullptr hides it).
    void showPlan(const quant::MixedPrecisionPlan* plan);
    QString planText() const;
    // Below 20 dB output SQNR with real calibration data: the other calibrators and weight
    // granularities measured on the same samples (best first) and a button that selects the best
    // in the settings above; an empty list hides them.
    void showAlternatives(const std::vector<quant::CalibrationAlternative>& alternatives,
                          double chosenSqnrDb);
    QString alternativesText() const; // plain lines: the intro, one per setting, the advice
    // Sets the calibrator and weight granularity to the best alternative shown (no-op without).
    void useBestAlternative();
    bool randomDataWarningVisible() const;
    InputShapesEditor* shapesEditor() const { return m_shapesEditor; }
    ImagePreprocessBox* preprocessBox() const { return m_preprocess; }
    // Selects the calibration data (as the combo box and path field would).
    void setData(QuantizeRequest::Data data, const QString& path = {});
    // Turns the mixed-precision planner on (a target in dB) or off (nullopt).
    void setTargetSqnr(std::optional<double> db, int maxPromotions = -1);
    void setRandomSamples(int samples);
    void setIsolatedRuns(int runs);

    // The request the settings describe, or nullopt with a one-line reason (and the input at
    // fault in `failedInput`).
    std::optional<QuantizeRequest> request(QString* error = nullptr,
                                           std::string* failedInput = nullptr) const;

signals:
    void quantizeRequested(const lb::app::QuantizeRequest& request);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void updateDataRow();
    void browse();
    void onQuantize();
    void renderAlternatives();
    QString calibratorName(quant::CalibrationMethod method) const;

    QString m_modelPath;
    InputShapes* m_shapes;
    InputShapesEditor* m_shapesEditor = nullptr;
    QScrollArea* m_scroll = nullptr;
    QFormLayout* m_form = nullptr;
    QComboBox* m_data = nullptr;
    QLineEdit* m_path = nullptr;
    QPushButton* m_browse = nullptr;
    QSpinBox* m_samples = nullptr;
    QLabel* m_warning = nullptr;
    ImagePreprocessBox* m_preprocess = nullptr;
    QComboBox* m_calibrator = nullptr;
    QDoubleSpinBox* m_percentile = nullptr;
    QCheckBox* m_perChannel = nullptr;
    QComboBox* m_actBits = nullptr;
    QComboBox* m_weightBits = nullptr;
    QSpinBox* m_isolated = nullptr;
    QCheckBox* m_mixed = nullptr;
    QDoubleSpinBox* m_targetSqnr = nullptr;
    QSpinBox* m_maxPromotions = nullptr;
    QWidget* m_pathRow = nullptr; // the path line and its Browse button
    QPushButton* m_quantize = nullptr;
    QLabel* m_error = nullptr;
    QLabel* m_plan = nullptr;
    QLabel* m_alternatives = nullptr;
    QString m_alternativesPlain; // what the label's table says, as lines
    QPushButton* m_useBest = nullptr;
    std::vector<quant::CalibrationAlternative> m_shownAlternatives;
    double m_chosenSqnrDb = 0;
};

} // namespace lb::app
