#include "app/run_panel.h"

#include "app/input_shapes.h"
#include "app/input_shapes_editor.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QToolButton>
#include <QVBoxLayout>
#include <set>

namespace lb::app {

RunPanel::RunPanel(InputShapes* shapes, QWidget* parent) : QWidget(parent), m_shapes(shapes) {
    m_backend = new QComboBox(this);
    m_backend->setObjectName(QStringLiteral("runBackend"));
    m_backend->addItem(tr("Automatic (oneDNN, reference fallback)"), QStringLiteral("auto"));
    m_backend->addItem(tr("oneDNN"), QStringLiteral("onednn"));
    m_backend->addItem(tr("Reference"), QStringLiteral("reference"));
    m_threads = new QSpinBox(this);
    m_threads->setRange(1, std::max(1, QThread::idealThreadCount()));
    m_threads->setValue(1);
    m_warmup = new QSpinBox(this);
    m_warmup->setRange(0, 1000);
    m_warmup->setValue(3);
    m_iterations = new QSpinBox(this);
    m_iterations->setRange(1, 100000);
    m_iterations->setValue(20);

    auto* settings = new QGroupBox(tr("Run settings"), this);
    auto* form = new QFormLayout(settings);
    form->addRow(tr("Backend:"), m_backend);
    form->addRow(tr("Threads:"), m_threads);
    form->addRow(tr("Warm-up runs:"), m_warmup);
    form->addRow(tr("Timed runs:"), m_iterations);

    m_shapesEditor = new InputShapesEditor(m_shapes, this);
    auto* inputs = new QGroupBox(tr("Input files"), this);
    m_inputsBox = inputs;
    m_inputsLayout = new QFormLayout(inputs);

    m_run = new QPushButton(tr("&Run"), this);
    m_run->setObjectName(QStringLiteral("runButton"));
    connect(m_run, &QPushButton::clicked, this, &RunPanel::onRun);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("runError"));
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));
    m_error->setWordWrap(true);
    m_error->hide();

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(settings);
    layout->addWidget(m_shapesEditor);
    layout->addWidget(inputs);
    layout->addWidget(m_run);
    layout->addWidget(m_error);
    layout->addStretch(1);
    setDocument(nullptr);
}

void RunPanel::setDocument(const ModelDocument* document) {
    while (m_inputsLayout->rowCount() > 0)
        m_inputsLayout->removeRow(0);
    m_inputs.clear();
    m_modelPath = document ? document->path : QString();
    if (document) {
        for (const auto& input : document->declaredInputs()) {
            InputRow row;
            row.name = input.first;
            row.file = new QLineEdit(m_inputsBox);
            row.file->setPlaceholderText(tr("random values"));
            row.file->setToolTip(tr("Optional .npy, .raw or .pb file with the input's values"));
            auto* pick = new QToolButton(m_inputsBox);
            pick->setText(QStringLiteral("..."));
            pick->setToolTip(tr("Choose an input file"));
            connect(pick, &QToolButton::clicked, this, [this, edit = row.file] { browse(edit); });
            auto* fileRow = new QHBoxLayout;
            fileRow->addWidget(row.file, 1);
            fileRow->addWidget(pick);
            const QString label = QString::fromStdString(row.name);
            m_inputsLayout->addRow(tr("%1:").arg(label), fileRow);
            m_inputs.push_back(row);
        }
    }
    m_run->setEnabled(document != nullptr);
    showError({});
}

void RunPanel::setRunning(bool running) {
    m_run->setEnabled(!running && !m_modelPath.isEmpty());
}

void RunPanel::setBackend(const QString& backend) {
    const int index = m_backend->findData(backend);
    if (index >= 0)
        m_backend->setCurrentIndex(index);
}

void RunPanel::setThreads(int threads) {
    m_threads->setMaximum(std::max(m_threads->maximum(), threads));
    m_threads->setValue(threads);
}

void RunPanel::showError(const QString& message, const std::string& input) {
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
    if (input.empty())
        m_shapesEditor->clearMarks();
    else
        m_shapesEditor->markInvalid(input);
}

QString RunPanel::errorText() const {
    return m_error->isHidden() ? QString() : m_error->text();
}

std::optional<RunRequest> RunPanel::request(QString* error, std::string* failedInput) const {
    auto failWith = [error](const QString& message) {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (m_modelPath.isEmpty())
        return failWith(tr("Open a model first."));
    RunRequest r;
    r.modelPath = m_modelPath;
    r.options.backend = m_backend->currentData().toString().toStdString();
    r.options.threads = m_threads->value();
    r.options.warmup = m_warmup->value();
    r.options.iterations = m_iterations->value();
    std::set<std::string> fromFiles; // a file's shape fixes its input
    for (const InputRow& row : m_inputs) {
        const QString file = row.file->text().trimmed();
        if (!file.isEmpty()) {
            r.inputFiles[row.name] = file.toStdString();
            fromFiles.insert(row.name);
        }
    }
    QString shapeError;
    const auto shapes = m_shapes->shapes(fromFiles, &shapeError, failedInput);
    if (!shapes)
        return failWith(shapeError);
    r.inputShapes = *shapes;
    return r;
}

void RunPanel::onRun() {
    QString error;
    std::string input;
    const std::optional<RunRequest> r = request(&error, &input);
    showError(error, input);
    if (r)
        emit runRequested(*r);
}

void RunPanel::browse(QLineEdit* target) {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Choose an Input File"), target->text(),
                                     tr("Tensors (*.npy *.raw *.pb);;All files (*)"));
    if (!path.isEmpty())
        target->setText(path);
}

} // namespace lb::app
