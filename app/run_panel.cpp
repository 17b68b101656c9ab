#include "app/run_panel.h"

#include "app/backend_texts.h"
#include "app/input_shapes.h"
#include "app/input_shapes_editor.h"
#include "run/targets.h"
#include "widgets/target_texts.h"

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
#include <set>

namespace lb::app {

RunPanel::RunPanel(InputShapes* shapes, QWidget* parent) : QWidget(parent), m_shapes(shapes) {
    m_backend = new QComboBox(this);
    m_backend->setObjectName(QStringLiteral("runBackend"));
    // "auto", then every backend of the registry in order of preference, then the named targets
    // that need nothing the panel lacks (npu-int8 needs encodings: the Compare view runs it);
    // texts: retranslateUi.
    for (const std::string& target : backends::targetNames())
        m_backend->addItem(QString(), QString::fromStdString(target));
    for (const run::TargetInfo& t : run::namedTargets())
        if (run::isAvailable(t) && !t.needsEncodings && !backends::findBackend(t.name))
            m_backend->addItem(QString(), QString::fromStdString(t.name));
    connect(m_backend, &QComboBox::currentIndexChanged, this, &RunPanel::updateBackendTip);
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

    m_shapesEditor = new InputShapesEditor(m_shapes, this);
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
    layout->addWidget(m_shapesEditor);
    layout->addWidget(inputs);
    layout->addWidget(m_run);
    layout->addWidget(m_error);
    layout->addStretch(1);
    retranslateUi();
    setDocument(nullptr);
}

void RunPanel::retranslateUi() {
    QStringList order;
    for (const backends::BackendInfo& b : backends::registry()) {
        const int index = m_backend->findData(QString::fromStdString(b.name));
        m_backend->setItemText(index, BackendTexts::title(b));
        m_backend->setItemData(index, BackendTexts::description(b), Qt::ToolTipRole);
        order << BackendTexts::title(b);
    }
    for (const run::TargetInfo& t : run::namedTargets()) {
        const int index = m_backend->findData(QString::fromStdString(t.name));
        if (index < 0 || backends::findBackend(t.name))
            continue;
        m_backend->setItemText(index, widgets::TargetTexts::title(t));
        m_backend->setItemData(index, widgets::TargetTexts::description(t), Qt::ToolTipRole);
    }
    const int autoIndex = m_backend->findData(QString::fromLatin1(backends::kAutoTarget));
    m_backend->setItemText(autoIndex, tr("Automatic (%1)").arg(order.join(QStringLiteral(", "))));
    m_backend->setItemData(autoIndex,
                           tr("Each node runs on the first backend that claims it, in order of "
                              "preference"),
                           Qt::ToolTipRole);
    updateBackendTip();
    m_settingsBox->setTitle(tr("Run settings"));
    auto* form = static_cast<QFormLayout*>(m_settingsBox->layout());
    const std::pair<QWidget*, QString> labels[] = {{m_backend, tr("Run on:")},
                                                   {m_threads, tr("Threads:")},
                                                   {m_warmup, tr("Warm-up runs:")},
                                                   {m_iterations, tr("Timed runs:")}};
    for (const auto& [field, text] : labels)
        static_cast<QLabel*>(form->labelForField(field))->setText(text);
    m_inputsBox->setTitle(tr("Input files"));
    m_run->setText(tr("&Run"));
    for (const InputRow& row : m_inputs)
        retranslateInputRow(row);
}

// The chosen entry's description also shows on the closed picker.
void RunPanel::updateBackendTip() {
    m_backend->setToolTip(m_backend->currentData(Qt::ToolTipRole).toString());
}

void RunPanel::retranslateInputRow(const InputRow& row) {
    row.file->setPlaceholderText(tr("random values"));
    row.file->setToolTip(tr("Optional .npy, .raw or .pb file with the input's values"));
    row.pick->setToolTip(tr("Choose an input file"));
    row.fileLabel->setText(tr("%1:").arg(QString::fromStdString(row.name)));
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
    m_modelPath = document ? document->path() : QString();
    if (document) {
        for (const auto& input : document->declaredInputs()) {
            InputRow row;
            row.name = input.first;
            row.file = new QLineEdit(m_inputsBox);
            row.pick = new QToolButton(m_inputsBox);
            row.pick->setText(QStringLiteral("..."));
            connect(row.pick, &QToolButton::clicked, this,
                    [this, edit = row.file] { browse(edit); });
            auto* fileRow = new QHBoxLayout;
            fileRow->addWidget(row.file, 1);
            fileRow->addWidget(row.pick);
            row.fileLabel = new QLabel(m_inputsBox);
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

std::optional<run::RunSpec> RunPanel::request(QString* error, std::string* failedInput) const {
    auto failWith = [error](const QString& message) {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (m_modelPath.isEmpty())
        return failWith(tr("Open a model first."));
    run::RunSpec r;
    r.model = m_modelPath.toStdString();
    r.target = m_backend->currentData().toString().toStdString();
    r.threads = m_threads->value();
    r.warmup = m_warmup->value();
    r.iterations = m_iterations->value();
    // The same random inputs in every run, so runs compare.
    r.seed = 1;
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
    const std::optional<run::RunSpec> r = request(&error, &input);
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
