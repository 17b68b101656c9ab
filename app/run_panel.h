#pragma once

#include "app/model_document.h"
#include "app/run_request.h"

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

// Settings of a local profiling run: backend, threads, warm-up, iterations, and per model input a
// shape (pre-filled from the opened model) and an optional input file. Run asks for the run; the
// window posts it to the engine worker.
class RunPanel : public QWidget {
    Q_OBJECT

public:
    explicit RunPanel(QWidget* parent = nullptr);

    // Rebuilds the input rows for `document` (nullptr: nothing open, Run disabled).
    void setDocument(const ModelDocument* document);
    void setRunning(bool running);
    void setBackend(const QString& backend);
    void setThreads(int threads);
    // Shows a one-line error under the Run button (empty hides it).
    void showError(const QString& message);

    // The request the current settings describe, or nullopt with a one-line reason in `error`.
    std::optional<RunRequest> request(QString* error = nullptr) const;

signals:
    void runRequested(const lb::app::RunRequest& request);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    struct InputRow {
        std::string name;
        QLineEdit* shape = nullptr;
        QLineEdit* file = nullptr;
        QLabel* shapeLabel = nullptr;
        QLabel* fileLabel = nullptr;
        QToolButton* pick = nullptr;
    };
    void retranslateInputRow(const InputRow& row);
    void onRun();
    void browse(QLineEdit* target);

    QString m_modelPath;
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
