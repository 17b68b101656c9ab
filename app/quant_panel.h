#pragma once

#include "app/quant_request.h"

#include <QWidget>
#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace lb::app {

// Calibration settings: data (random with a visible warning, a QNN input_list.txt or a folder of
// .npy files), calibrator, per-channel weights, bitwidths. Quantize asks for calibration +
// analysis; the window posts it to the engine worker.
class QuantPanel : public QWidget {
    Q_OBJECT

public:
    explicit QuantPanel(QWidget* parent = nullptr);

    void setModelPath(const QString& path); // empty: nothing open, Quantize disabled
    void setRunning(bool running);
    void showError(const QString& message);
    bool randomDataWarningVisible() const;

    // The request the settings describe (model path and data; the window adds input shapes), or
    // nullopt with a one-line reason.
    std::optional<QuantizeRequest> request(QString* error = nullptr) const;

signals:
    void quantizeRequested(const lb::app::QuantizeRequest& request);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void updateDataRow();
    void browse();

    QString m_modelPath;
    QComboBox* m_data = nullptr;
    QLineEdit* m_path = nullptr;
    QPushButton* m_browse = nullptr;
    QSpinBox* m_samples = nullptr;
    QLabel* m_warning = nullptr;
    QComboBox* m_calibrator = nullptr;
    QDoubleSpinBox* m_percentile = nullptr;
    QCheckBox* m_perChannel = nullptr;
    QComboBox* m_actBits = nullptr;
    QComboBox* m_weightBits = nullptr;
    QSpinBox* m_isolated = nullptr;
    QFormLayout* m_form = nullptr;
    QWidget* m_pathRow = nullptr; // the path line and its Browse button
    QPushButton* m_quantize = nullptr;
    QLabel* m_error = nullptr;
};

} // namespace lb::app
