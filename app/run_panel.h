#pragma once

#include "app/model_document.h"
#include "run/run_spec.h"

#include <QWidget>
#include <optional>
#include <vector>

class QComboBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace lb::app {

class InputShapes;
class InputShapesEditor;

// Settings of a local profiling run: backend, threads, warm-up, iterations, the model's input
// shapes (shared with the Quantize panel) and per input an optional input file. Run asks for the
// run; the window posts it to the engine worker.
class RunPanel : public QWidget {
    Q_OBJECT

public:
    explicit RunPanel(InputShapes* shapes, QWidget* parent = nullptr);

    // Rebuilds the input rows for `document` (nullptr: nothing open, Run disabled).
    void setDocument(const ModelDocument* document);
    void setRunning(bool running);
    void setBackend(const QString& backend);
    void setThreads(int threads);
    // Shows a one-line error under the Run button (empty hides it); `input` also marks that
    // input's shape.
    void showError(const QString& message, const std::string& input = {});
    QString errorText() const;
    InputShapesEditor* shapesEditor() const { return m_shapesEditor; }

    // The engine's run spec the current settings describe, or nullopt with a one-line reason in
    // `error` (and the input at fault in `failedInput`).
    std::optional<run::RunSpec> request(QString* error = nullptr,
                                        std::string* failedInput = nullptr) const;

signals:
    void runRequested(const lb::run::RunSpec& spec);

protected:
    void changeEvent(QEvent* event) override;

private:
    struct InputRow {
        std::string name;
        QLineEdit* file = nullptr;
        QLabel* fileLabel = nullptr;
        QToolButton* pick = nullptr;
    };
    void retranslateUi();
    void retranslateInputRow(const InputRow& row);
    void updateBackendTip();
    void onRun();
    void browse(QLineEdit* target);

    QString m_modelPath;
    InputShapes* m_shapes;
    InputShapesEditor* m_shapesEditor = nullptr;
    QComboBox* m_backend = nullptr;
    QSpinBox* m_threads = nullptr;
    QSpinBox* m_warmup = nullptr;
    QSpinBox* m_iterations = nullptr;
    QGroupBox* m_settingsBox = nullptr;
    QGroupBox* m_inputsBox = nullptr;
    QFormLayout* m_inputsLayout = nullptr;
    std::vector<InputRow> m_inputs;
    QPushButton* m_run = nullptr;
    QLabel* m_error = nullptr;
};

} // namespace lb::app
