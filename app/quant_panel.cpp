#include "app/quant_panel.h"

#include "app/image_preprocess_box.h"
#include "app/input_shapes.h"
#include "app/input_shapes_editor.h"
#include "widgets/ui_format.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <set>

namespace lb::app {

namespace {
QComboBox* bitsCombo(QWidget* parent, const QList<int>& bits) {
    auto* combo = new QComboBox(parent);
    for (int b : bits)
        combo->addItem(QString::number(b), b);
    return combo;
}
} // namespace

QuantPanel::QuantPanel(InputShapes* shapes, QWidget* parent) : QWidget(parent), m_shapes(shapes) {
    // The settings outgrow a dock's height at 1280x800: they scroll instead of being squeezed.
    auto* scroll = m_scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* content = new QWidget(scroll);
    auto* layout = new QVBoxLayout(content);
    m_shapesEditor = new InputShapesEditor(m_shapes, content);
    layout->addWidget(m_shapesEditor);

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_data = new QComboBox(content);
    m_data->setObjectName(QStringLiteral("quantData"));
    for (auto data : {QuantizeRequest::Data::Random, QuantizeRequest::Data::InputList,
                      QuantizeRequest::Data::Folder, QuantizeRequest::Data::Images})
        m_data->addItem(QString(), int(data));
    form->addRow(new QLabel(content), m_data); // label texts: retranslateUi
    m_pathRow = new QWidget(content);
    auto* pathRow = new QHBoxLayout(m_pathRow);
    pathRow->setContentsMargins(0, 0, 0, 0);
    m_path = new QLineEdit(m_pathRow);
    m_path->setObjectName(QStringLiteral("quantDataPath"));
    m_browse = new QPushButton(m_pathRow);
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(m_browse);
    form->addRow(new QLabel(content), m_pathRow);
    m_samples = new QSpinBox(content);
    m_samples->setRange(1, 1000);
    m_samples->setValue(8);
    form->addRow(new QLabel(content), m_samples);
    m_preprocess = new ImagePreprocessBox(content);
    connect(m_preprocess, &ImagePreprocessBox::loadFailed, this,
            [this](const QString& message) { showError(message); });
    form->addRow(m_preprocess);
    m_form = form;

    QFormLayout* settings = form; // one form: its labels line up
    m_calibrator = new QComboBox(content);
    for (const char* method : {"minmax", "percentile", "mse", "entropy"})
        m_calibrator->addItem(QString(), QString::fromLatin1(method));
    settings->addRow(new QLabel(content), m_calibrator);
    m_percentile = new QDoubleSpinBox(content);
    m_percentile->setRange(90.0, 100.0);
    m_percentile->setDecimals(3);
    m_percentile->setValue(99.99);
    m_percentile->setSuffix(QStringLiteral(" %"));
    settings->addRow(new QLabel(content), m_percentile);
    m_perChannel = new QCheckBox(content);
    settings->addRow(QString(), m_perChannel);
    m_actBits = bitsCombo(content, {8, 16, 4});
    settings->addRow(new QLabel(content), m_actBits);
    m_weightBits = bitsCombo(content, {8, 4, 16});
    settings->addRow(new QLabel(content), m_weightBits);
    m_isolated = new QSpinBox(content);
    m_isolated->setRange(-1, 100000);
    m_isolated->setValue(-1);
    settings->addRow(new QLabel(content), m_isolated);

    m_mixed = new QCheckBox(content);
    m_mixed->setObjectName(QStringLiteral("quantMixed"));
    settings->addRow(QString(), m_mixed);
    m_targetSqnr = new QDoubleSpinBox(content);
    m_targetSqnr->setRange(0.0, 200.0);
    m_targetSqnr->setDecimals(1);
    m_targetSqnr->setValue(30.0);
    m_targetSqnr->setSuffix(QStringLiteral(" dB"));
    settings->addRow(new QLabel(content), m_targetSqnr);
    m_maxPromotions = new QSpinBox(content);
    m_maxPromotions->setRange(-1, 100000);
    m_maxPromotions->setValue(-1);
    settings->addRow(new QLabel(content), m_maxPromotions);
    layout->addLayout(form);

    m_warning = new QLabel(content);
    m_warning->setWordWrap(true);
    m_warning->setStyleSheet(QStringLiteral("color: #b05000;"));
    layout->addWidget(m_warning);
    m_quantize = new QPushButton(content);
    m_quantize->setObjectName(QStringLiteral("quantizeButton"));
    layout->addWidget(m_quantize);
    m_error = new QLabel(content);
    m_error->setObjectName(QStringLiteral("quantError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b03020;"));
    m_error->hide();
    layout->addWidget(m_error);
    m_plan = new QLabel(content);
    m_plan->setObjectName(QStringLiteral("quantPlan"));
    m_plan->setWordWrap(true);
    m_plan->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_plan->hide();
    layout->addWidget(m_plan);
    m_alternatives = new QLabel(content);
    m_alternatives->setObjectName(QStringLiteral("quantAlternatives"));
    m_alternatives->setWordWrap(true);
    m_alternatives->setTextFormat(Qt::RichText);
    m_alternatives->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_alternatives->hide();
    layout->addWidget(m_alternatives);
    m_useBest = new QPushButton(content);
    m_useBest->setObjectName(QStringLiteral("quantUseBest"));
    m_useBest->hide();
    layout->addWidget(m_useBest);
    layout->addStretch(1);
    scroll->setWidget(content);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);

    connect(m_data, &QComboBox::currentIndexChanged, this, &QuantPanel::updateDataRow);
    connect(m_calibrator, &QComboBox::currentIndexChanged, this, [this] {
        m_percentile->setEnabled(m_calibrator->currentData().toString() ==
                                 QLatin1String("percentile"));
    });
    connect(m_mixed, &QCheckBox::toggled, this, [this](bool on) {
        m_targetSqnr->setEnabled(on);
        m_maxPromotions->setEnabled(on);
    });
    connect(m_browse, &QPushButton::clicked, this, &QuantPanel::browse);
    connect(m_quantize, &QPushButton::clicked, this, &QuantPanel::onQuantize);
    connect(m_useBest, &QPushButton::clicked, this, &QuantPanel::useBestAlternative);
    // A wheel over the scrolling settings scrolls them; it changes a combo box or spin box only
    // once that has the focus (else scrolling past "Channel order" switched it to BGR).
    for (QWidget* field : content->findChildren<QWidget*>())
        if (qobject_cast<QComboBox*>(field) || qobject_cast<QAbstractSpinBox*>(field)) {
            field->setFocusPolicy(Qt::StrongFocus);
            field->installEventFilter(this);
        }
    m_percentile->setEnabled(false);
    m_targetSqnr->setEnabled(false);
    m_maxPromotions->setEnabled(false);
    retranslateUi();
    updateDataRow();
    setModelPath({});
}

void QuantPanel::retranslateUi() {
    m_data->setItemText(0, tr("Random data"));
    m_data->setItemText(1, tr("Input list (input_list.txt)"));
    m_data->setItemText(2, tr("Folder of .npy files"));
    m_data->setItemText(3, tr("Folder of images"));
    m_browse->setText(tr("Browse..."));
    m_calibrator->setItemText(0, tr("MinMax"));
    m_calibrator->setItemText(1, tr("Percentile"));
    m_calibrator->setItemText(2, tr("MSE-optimal"));
    m_calibrator->setItemText(3, tr("Entropy (KL)"));
    m_perChannel->setText(tr("Per-channel weights"));
    m_isolated->setSpecialValueText(tr("all"));
    m_isolated->setToolTip(tr("Sensitivity runs (one per tensor, the lowest SQNR first)"));
    m_mixed->setText(tr("Mixed precision: 16 bit where needed"));
    m_mixed->setToolTip(tr("Promote the most sensitive tensors to 16 bit, one at a time, until "
                           "the output SQNR reaches the target"));
    m_maxPromotions->setSpecialValueText(tr("no limit"));
    const std::pair<QWidget*, QString> labels[] = {
        {m_data, tr("Calibration data:")},
        {m_pathRow, tr("Path:")},
        {m_samples, tr("Random samples:")},
        {m_calibrator, tr("Calibrator:")},
        {m_percentile, tr("Percentile:")},
        {m_actBits, tr("Activation bits:")},
        {m_weightBits, tr("Weight bits:")},
        {m_isolated, tr("Isolated runs:")},
        {m_targetSqnr, tr("Target output SQNR:")},
        {m_maxPromotions, tr("Most promotions:")},
    };
    for (const auto& [field, text] : labels)
        static_cast<QLabel*>(m_form->labelForField(field))->setText(text);
    m_warning->setText(tr("Random data is only for trying the tools out: ranges calibrated on "
                          "uniform noise say little about real inputs."));
    m_quantize->setText(tr("&Quantize"));
    renderAlternatives();
}

void QuantPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

bool QuantPanel::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::Wheel) {
        auto* field = qobject_cast<QWidget*>(watched);
        if (field && !field->hasFocus()) {
            QCoreApplication::sendEvent(m_scroll->verticalScrollBar(), event);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void QuantPanel::onQuantize() {
    QString error;
    std::string input;
    if (const auto r = request(&error, &input)) {
        showError({});
        emit quantizeRequested(*r);
    } else {
        showError(error, input);
    }
}

void QuantPanel::setModelPath(const QString& path) {
    m_modelPath = path;
    m_quantize->setEnabled(!path.isEmpty());
    showError({});
    showPlan(nullptr);
    showAlternatives({}, 0.0);
}

void QuantPanel::setRunning(bool running) {
    m_quantize->setEnabled(!running && !m_modelPath.isEmpty());
}

void QuantPanel::showError(const QString& message, const std::string& input) {
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
    if (input.empty())
        m_shapesEditor->clearMarks();
    else
        m_shapesEditor->markInvalid(input);
}

QString QuantPanel::errorText() const {
    return m_error->isHidden() ? QString() : m_error->text();
}

void QuantPanel::showPlan(const quant::MixedPrecisionPlan* plan) {
    if (!plan) {
        m_plan->clear();
        m_plan->hide();
        return;
    }
    const int promoted = static_cast<int>(plan->steps.size()) - 1;
    const double reachedDb = plan->steps.empty() ? 0.0 : plan->steps.back().outputSqnrDb;
    QString text = plan->reached ? tr("Mixed precision: tensors promoted to 16 bit: %1; output "
                                      "SQNR %2 dB reaches the target of %3 dB.")
                                 : tr("Mixed precision: tensors promoted to 16 bit: %1; output "
                                      "SQNR %2 dB stays below the target of %3 dB.");
    text = text.arg(promoted).arg(widgets::UiFormat::fixed(reachedDb, 1),
                                  widgets::UiFormat::fixed(plan->targetSqnrDb, 1));
    QStringList tensors;
    for (const quant::PromotionStep& step : plan->steps)
        if (step.step > 0)
            tensors << tr("%1 (%2 dB)")
                           .arg(QString::fromStdString(step.tensor),
                                widgets::UiFormat::fixed(step.outputSqnrDb, 1));
    if (!tensors.isEmpty())
        text += QLatin1Char('\n') + tensors.join(QLatin1Char('\n'));
    m_plan->setText(text);
    m_plan->show();
    // Once the label has its size (and the dock its new height): scrolled into view.
    QTimer::singleShot(0, this, [this] { m_scroll->ensureWidgetVisible(m_plan); });
}

QString QuantPanel::planText() const {
    return m_plan->isHidden() ? QString() : m_plan->text();
}

void QuantPanel::showAlternatives(const std::vector<quant::CalibrationAlternative>& alternatives,
                                  double chosenSqnrDb) {
    m_shownAlternatives = alternatives;
    m_chosenSqnrDb = chosenSqnrDb;
    renderAlternatives();
    if (!alternatives.empty())
        QTimer::singleShot(0, this, [this] {
            m_scroll->ensureWidgetVisible(m_useBest->isVisible() ? static_cast<QWidget*>(m_useBest)
                                                                 : m_alternatives);
        });
}

QString QuantPanel::calibratorName(quant::CalibrationMethod method) const {
    return m_calibrator->itemText(m_calibrator->findData(
        QString::fromStdString(quant::calibrationMethodName(method))));
}

void QuantPanel::renderAlternatives() {
    if (m_shownAlternatives.empty()) {
        m_alternatives->clear();
        m_alternatives->hide();
        m_useBest->hide();
        return;
    }
    const auto setting = [this](const quant::CalibrationAlternative& a) {
        return tr("%1, %2").arg(calibratorName(a.method), a.perChannel ? tr("per-channel weights")
                                                                       : tr("per-tensor weights"));
    };
    const QString intro = tr("Output SQNR %1 dB is below %2 dB. Other calibrations, measured "
                             "on the same samples:")
                              .arg(widgets::UiFormat::fixed(m_chosenSqnrDb, 1))
                              .arg(static_cast<int>(quant::kLowOutputSqnrDb));
    // Plain lines for alternativesText(), a table for the label.
    QStringList lines{intro};
    QString html = QStringLiteral("<p>%1</p><table cellspacing=\"0\" cellpadding=\"2\"><tr>"
                                  "<th align=\"left\">%2</th><th align=\"right\">%3</th>"
                                  "<th align=\"right\">%4</th></tr>")
                       .arg(intro.toHtmlEscaped(), tr("Calibration").toHtmlEscaped(),
                            tr("Output SQNR").toHtmlEscaped(), tr("Top-1").toHtmlEscaped());
    for (const quant::CalibrationAlternative& a : m_shownAlternatives) {
        const QString db = widgets::UiFormat::fixed(a.outputSqnrDb, 1);
        const QString top1 = widgets::UiFormat::percent(a.top1Agreement, 1);
        lines << tr("%1: %2 dB, top-1 agreement %3 %").arg(setting(a), db, top1);
        html += QStringLiteral("<tr><td>%1</td><td align=\"right\">&nbsp;%2 dB</td>"
                               "<td align=\"right\">&nbsp;%3 %</td></tr>")
                    .arg(setting(a).toHtmlEscaped(), db, top1);
    }
    html += QStringLiteral("</table>");
    const quant::CalibrationAlternative& best = m_shownAlternatives.front();
    if (std::max(best.outputSqnrDb, m_chosenSqnrDb) < quant::kLowOutputSqnrDb) {
        lines << tr("None reaches %1 dB: keep the most sensitive tensors at 16 bit (Mixed "
                    "precision, target %1 dB).")
                     .arg(static_cast<int>(quant::kLowOutputSqnrDb));
        html += QStringLiteral("<p>%1</p>").arg(lines.back().toHtmlEscaped());
    }
    m_alternativesPlain = lines.join(QLatin1Char('\n'));
    m_alternatives->setText(html);
    m_alternatives->show();
    const bool better = best.outputSqnrDb > m_chosenSqnrDb;
    m_useBest->setText(tr("Use %1").arg(setting(best)));
    m_useBest->setVisible(better);
}

QString QuantPanel::alternativesText() const {
    return m_alternatives->isHidden() ? QString() : m_alternativesPlain;
}

void QuantPanel::useBestAlternative() {
    if (m_shownAlternatives.empty())
        return;
    const quant::CalibrationAlternative& best = m_shownAlternatives.front();
    m_calibrator->setCurrentIndex(m_calibrator->findData(
        QString::fromStdString(quant::calibrationMethodName(best.method))));
    m_perChannel->setChecked(best.perChannel);
}

bool QuantPanel::randomDataWarningVisible() const {
    return !m_warning->isHidden();
}

void QuantPanel::setData(QuantizeRequest::Data data, const QString& path) {
    m_data->setCurrentIndex(m_data->findData(int(data)));
    m_path->setText(path);
}

void QuantPanel::setTargetSqnr(std::optional<double> db, int maxPromotions) {
    m_mixed->setChecked(db.has_value());
    if (db)
        m_targetSqnr->setValue(*db);
    m_maxPromotions->setValue(maxPromotions);
}

void QuantPanel::setRandomSamples(int samples) {
    m_samples->setValue(samples);
}

void QuantPanel::setIsolatedRuns(int runs) {
    m_isolated->setValue(runs);
}

void QuantPanel::updateDataRow() {
    const auto data = static_cast<QuantizeRequest::Data>(m_data->currentData().toInt());
    const bool random = data == QuantizeRequest::Data::Random;
    m_path->setEnabled(!random);
    m_browse->setEnabled(!random);
    m_samples->setEnabled(random);
    m_warning->setVisible(random);
    m_form->setRowVisible(m_preprocess, data == QuantizeRequest::Data::Images);
    showError({}); // it was about the other data
}

void QuantPanel::browse() {
    const auto data = static_cast<QuantizeRequest::Data>(m_data->currentData().toInt());
    const bool folder = data != QuantizeRequest::Data::InputList;
    const QString start = QFileInfo(m_modelPath).absolutePath();
    const QString path =
        folder ? QFileDialog::getExistingDirectory(this, tr("Calibration Folder"), start)
               : QFileDialog::getOpenFileName(this, tr("Calibration Input List"), start,
                                              tr("Input lists (*.txt);;All files (*)"));
    if (!path.isEmpty())
        m_path->setText(path);
}

std::optional<QuantizeRequest> QuantPanel::request(QString* error, std::string* failedInput) const {
    auto failed = [error](const QString& message) {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (m_modelPath.isEmpty())
        return failed(tr("Open a model first."));
    QuantizeRequest r;
    r.modelPath = m_modelPath;
    r.data = static_cast<QuantizeRequest::Data>(m_data->currentData().toInt());
    r.randomSamples = m_samples->value();
    bool samplesFixShapes = false;
    if (r.data != QuantizeRequest::Data::Random) {
        r.dataPath = m_path->text().trimmed();
        const QFileInfo info(r.dataPath);
        const bool folder = r.data != QuantizeRequest::Data::InputList;
        if (r.dataPath.isEmpty())
            return failed(tr("Choose the calibration data."));
        if (folder ? !info.isDir() : !info.isFile())
            return failed(folder ? tr("%1 does not exist or is not a folder.").arg(r.dataPath)
                                 : tr("%1 does not exist or is not a file.").arg(r.dataPath));
        samplesFixShapes = true; // tensors in files carry their shapes
    }
    if (r.data == QuantizeRequest::Data::Images) {
        QString preprocessError;
        const auto spec = m_preprocess->spec(&preprocessError);
        if (!spec)
            return failed(preprocessError);
        r.preprocess = *spec;
        samplesFixShapes = spec->height && spec->width; // else the input's H and W decide
    }
    std::set<std::string> provided;
    if (samplesFixShapes)
        for (const InputShapes::Input& input : m_shapes->inputs())
            provided.insert(input.name);
    QString shapeError;
    const auto shapes = m_shapes->shapes(provided, &shapeError, failedInput);
    if (!shapes)
        return failed(shapeError);
    r.inputShapes = *shapes;
    r.config.activations.method =
        quant::parseCalibrationMethod(m_calibrator->currentData().toString().toStdString());
    r.config.activations.percentile = m_percentile->value();
    r.config.activations.bitwidth = m_actBits->currentData().toInt();
    r.config.weightBitwidth = m_weightBits->currentData().toInt();
    r.config.perChannel = m_perChannel->isChecked();
    r.maxIsolated = m_isolated->value();
    if (m_mixed->isChecked()) {
        r.targetSqnrDb = m_targetSqnr->value();
        r.maxPromotions = m_maxPromotions->value();
    }
    return r;
}

} // namespace lb::app
