#include "app/run_panel.h"

#include "core/error.h"

#include <QComboBox>
#include <QEvent>
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

namespace lb::app {

RunPanel::RunPanel(QWidget* parent) : QWidget(parent) {
    m_backend = new QComboBox(this);
    m_backend->setObjectName(QStringLiteral("runBackend"));
    for (const char* backend : {"auto", "onednn", "reference"})
        m_backend->addItem(QString(), QString::fromLatin1(backend));
    m_threads = new QSpinBox(this);
    m_threads->setRange(1, std::max(1, QThread::idealThreadCount()));
    m_threads->setValue(1);
    m_warmup = new QSpinBox(this);
    m_warmup->setRange(0, 1000);
    m_warmup->setValue(3);
    m_iterations = new QSpinBox(this);
    m_iterations->setRange(1, 100000);
    m_iterations->setValue(20);

    auto* settings = m_settingsBox = new QGroupBox(this);
    auto* form = new QFormLayout(settings);
    for (QWidget* field :
         std::initializer_list<QWidget*>{m_backend, m_threads, m_warmup, m_iterations})
        form->addRow(new QLabel(settings), field); // texts: retranslateUi

    auto* inputs = new QGroupBox(this);
    m_inputsBox = inputs;
    m_inputsLayout = new QFormLayout(inputs);

    m_run = new QPushButton(this);
    m_run->setObjectName(QStringLiteral("runButton"));
    connect(m_run, &QPushButton::clicked, this, &RunPanel::onRun);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("runError"));
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));
    m_error->setWordWrap(true);
    m_error->hide();

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(settings);
    layout->addWidget(inputs);
    layout->addWidget(m_run);
    layout->addWidget(m_error);
    layout->addStretch(1);
    retranslateUi();
    setDocument(nullptr);
}

void RunPanel::retranslateUi() {
    m_backend->setItemText(0, tr("Automatic (oneDNN, reference fallback)"));
    m_backend->setItemText(1, tr("oneDNN"));
    m_backend->setItemText(2, tr("Reference"));
    m_settingsBox->setTitle(tr("Run settings"));
    auto* form = static_cast<QFormLayout*>(m_settingsBox->layout());
    const std::pair<QWidget*, QString> labels[] = {{m_backend, tr("Backend:")},
                                                   {m_threads, tr("Threads:")},
                                                   {m_warmup, tr("Warm-up runs:")},
                                                   {m_iterations, tr("Timed runs:")}};
    for (const auto& [field, text] : labels)
        static_cast<QLabel*>(form->labelForField(field))->setText(text);
    m_inputsBox->setTitle(tr("Inputs"));
    m_run->setText(tr("&Run"));
    for (const InputRow& row : m_inputs)
        retranslateInputRow(row);
}

void RunPanel::retranslateInputRow(const InputRow& row) {
    const QString name = QString::fromStdString(row.name);
    row.shape->setToolTip(tr("Shape of %1 for the run, e.g. 1x3x640x640 (declared: %2)")
                              .arg(name, row.shape->placeholderText()));
    row.file->setPlaceholderText(tr("random values"));
    row.file->setToolTip(tr("Optional .npy, .raw or .pb file with the input's values"));
    row.pick->setToolTip(tr("Choose an input file"));
    row.shapeLabel->setText(tr("%1 shape:").arg(name));
    row.fileLabel->setText(tr("%1 file:").arg(name));
}

void RunPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void RunPanel::setDocument(const ModelDocument* document) {
    while (m_inputsLayout->rowCount() > 0)
        m_inputsLayout->removeRow(0);
    m_inputs.clear();
    m_modelPath = document ? document->path : QString();
    if (document) {
        for (const auto& [name, declared] : document->declaredInputs()) {
            InputRow row;
            row.name = name;
            // Pre-filled with the shape the model was opened with, else a concrete declared one;
            // symbolic dims need the user's choice (the placeholder shows the declaration).
            auto chosen = document->inputShapes.find(name);
            QString shape;
            if (chosen != document->inputShapes.end())
                shape = QString::fromStdString(shapeToString(chosen->second));
            else if (!declared.contains(QLatin1Char('?')) &&
                     !document->symbolicInputs().join(QString()).contains(
                         QString::fromStdString(name) + QLatin1Char(':')))
                shape = declared;
            row.shape = new QLineEdit(shape, m_inputsBox);
            row.shape->setPlaceholderText(declared);
            row.file = new QLineEdit(m_inputsBox);
            row.pick = new QToolButton(m_inputsBox);
            row.pick->setText(QStringLiteral("..."));
            connect(row.pick, &QToolButton::clicked, this,
                    [this, edit = row.file] { browse(edit); });
            auto* fileRow = new QHBoxLayout;
            fileRow->addWidget(row.file, 1);
            fileRow->addWidget(row.pick);
            row.shapeLabel = new QLabel(m_inputsBox);
            row.fileLabel = new QLabel(m_inputsBox);
            m_inputsLayout->addRow(row.shapeLabel, row.shape);
            m_inputsLayout->addRow(row.fileLabel, fileRow);
            retranslateInputRow(row);
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

void RunPanel::showError(const QString& message) {
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

std::optional<RunRequest> RunPanel::request(QString* error) const {
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
    for (const InputRow& row : m_inputs) {
        const QString text = row.shape->text().trimmed();
        if (!text.isEmpty()) {
            try {
                r.inputShapes[row.name] = parseShape(text.toStdString());
            } catch (const Error&) {
                return failWith(tr("Input %1: \"%2\" is not a shape like 1x3x640x640.")
                                    .arg(QString::fromStdString(row.name), text));
            }
        }
        const QString file = row.file->text().trimmed();
        if (!file.isEmpty())
            r.inputFiles[row.name] = file.toStdString();
    }
    return r;
}

void RunPanel::onRun() {
    QString error;
    const std::optional<RunRequest> r = request(&error);
    showError(error);
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
