#include "widgets/quant_view.h"

#include "widgets/encodings_editor.h"
#include "widgets/encodings_table_model.h"
#include "widgets/histogram_plot.h"
#include "widgets/quant_sqnr_chart.h"
#include "widgets/tr_label.h"
#include "widgets/ui_format.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>
#include <cmath>

namespace lb::widgets {

namespace {
struct Bucket {
    double below; // dB
    QColor colour;
};
// Worst first; a tensor takes the first bucket it is under.
const Bucket kBuckets[] = {
    {10.0, QColor(0xb1, 0x0e, 0x0e)},     {20.0, QColor(0xe0, 0x6a, 0x1b)},
    {30.0, QColor(0xf3, 0xc1, 0x4e)},     {40.0, QColor(0xa6, 0xd8, 0x6e)},
    {INFINITY, QColor(0x3a, 0x9e, 0x4f)},
};
} // namespace

QuantView::QuantView(QWidget* parent) : QWidget(parent), m_model(new EncodingsTableModel(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* top = new QHBoxLayout;
    m_headline = new TrLabel(this);
    m_headline->setWordWrap(true);
    m_headline->setTextFormat(Qt::RichText);
    top->addWidget(m_headline, 1);
    m_mode = new QComboBox(this);
    m_mode->addItem(QString());
    m_mode->addItem(QString());
    top->addWidget(m_mode);
    m_thresholdLabel = new QLabel(this);
    top->addWidget(m_thresholdLabel);
    m_threshold = new QDoubleSpinBox(this);
    m_threshold->setRange(-50, QuantSqnrChart::kInfiniteDb);
    m_threshold->setDecimals(1);
    m_threshold->setSingleStep(0.5);
    top->addWidget(m_threshold);
    m_overlay = new QCheckBox(this);
    m_overlay->setChecked(true);
    top->addWidget(m_overlay);
    layout->addLayout(top);
    m_remeasure = new TrLabel(this);
    m_remeasure->setTextFormat(Qt::PlainText); // an engine error is shown as written
    m_remeasure->hide();
    layout->addWidget(m_remeasure);

    m_tabs = new QTabWidget(this);
    m_split = new QSplitter(Qt::Horizontal, m_tabs);
    m_chart = new QuantSqnrChart(m_split);
    m_histogram = new HistogramPlot(m_split);
    m_split->addWidget(m_chart);
    m_split->addWidget(m_histogram);
    m_split->setChildrenCollapsible(false);
    m_split->setStretchFactor(0, 3);
    m_split->setStretchFactor(1, 2);
    // setSizes before the dock is laid out is lost: keep the split at every width until moved.
    m_split->installEventFilter(this);
    connect(m_split, &QSplitter::splitterMoved, this, [this] { m_splitMoved = true; });
    m_tabs->addTab(m_split, QString());
    m_editor = new EncodingsEditor(m_model, m_tabs);
    m_tabs->addTab(m_editor, QString());
    layout->addWidget(m_tabs, 1);
    m_threshold->setValue(m_chart->threshold());

    connect(m_mode, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_chart->setMode(i == 0 ? QuantSqnrChart::Mode::Cumulative
                                : QuantSqnrChart::Mode::Isolated);
        emit overlayChanged();
    });
    connect(m_threshold, &QDoubleSpinBox::valueChanged, m_chart, &QuantSqnrChart::setThreshold);
    connect(m_chart, &QuantSqnrChart::thresholdChanged, this, [this](double db) {
        m_threshold->setValue(db);
        emit overlayChanged();
    });
    connect(m_overlay, &QCheckBox::toggled, this, &QuantView::overlayChanged);
    connect(m_chart, &QuantSqnrChart::tensorClicked, this, &QuantView::onTensorClicked);
    connect(m_editor, &EncodingsEditor::tensorSelected, this, &QuantView::showTensor);
    connect(m_histogram, &HistogramPlot::rangeDragged, this,
            [this](const QString& tensor, const lb::quant::Encoding& encoding) {
                auto set = std::make_shared<lb::quant::EncodingSet>(m_model->encodings());
                (m_model->isParam(tensor) ? set->params : set->activations)[tensor.toStdString()] =
                    encoding;
                requestRemeasure(tensor, set, true);
            });
    connect(m_histogram, &HistogramPlot::rangeEdited, this,
            [this](const QString& tensor, const lb::quant::Encoding& encoding) {
                m_model->commitEncoding(tensor, encoding, tr("Drag range of %1").arg(tensor));
            });
    connect(m_model, &EncodingsTableModel::encodingChanged, this, [this](const QString& tensor) {
        if (tensor == m_histogram->tensor())
            m_histogram->setEncoding(m_model->encodingOf(tensor));
        requestRemeasure(
            tensor, std::make_shared<const lb::quant::EncodingSet>(m_model->encodings()), false);
    });
    retranslateUi();
    clear();
}

void QuantView::retranslateUi() {
    m_mode->setItemText(0, tr("Cumulative"));
    m_mode->setItemText(1, tr("Isolated"));
    m_mode->setToolTip(tr("Cumulative: each tensor in the fully quantized model. Isolated: the "
                          "model outputs with only that tensor quantized (sensitivity)."));
    m_thresholdLabel->setText(tr("Threshold:"));
    m_threshold->setSuffix(tr(" dB"));
    m_overlay->setText(tr("Colour graph by SQNR"));
    m_tabs->setTabText(m_tabs->indexOf(m_split), tr("Per-layer error"));
    m_tabs->setTabText(m_tabs->indexOf(m_editor), tr("Encodings"));
}

void QuantView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi(); // the headline lines are TrLabels: they follow on their own
    QWidget::changeEvent(event);
}

bool QuantView::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_split && event->type() == QEvent::Resize && !m_splitMoved) {
        // The chart needs the width for its many bars; the histogram reads well at a third.
        const int width = m_split->width() - m_split->handleWidth();
        m_split->setSizes({width * 64 / 100, width - width * 64 / 100});
    }
    return QWidget::eventFilter(watched, event);
}

void QuantView::setResult(std::shared_ptr<const lb::report::QuantReport> report,
                          const lb::quant::EncodingSet& encodings,
                          std::shared_ptr<const Histograms> histograms,
                          std::shared_ptr<const lb::project::NodeMap> nodes, bool randomData) {
    m_report = report ? std::make_shared<lb::report::QuantReport>(*report) : nullptr;
    m_histograms = std::move(histograms);
    m_nodes = std::move(nodes);
    m_randomData = randomData;
    m_model->setEncodings(encodings);
    m_chart->setReport(m_report);
    m_histogram->clearHistogram();
    m_selected.clear();
    m_measures.clear();
    updateInfoLine();
    updateHeadline();
    // The worst tensor is the first one worth a look.
    const QStringList below = m_chart->tensorsBelowThreshold();
    if (!m_chart->shownTensors().isEmpty()) {
        QString worst = m_chart->shownTensors().front();
        for (const QString& t : m_chart->shownTensors())
            if (m_chart->sqnrOf(t) < m_chart->sqnrOf(worst))
                worst = t;
        showTensor(worst);
    }
    emit overlayChanged();
}

void QuantView::clear() {
    m_report.reset();
    m_histograms.reset();
    m_nodes.reset();
    m_chart->setReport(nullptr);
    m_histogram->clearHistogram();
    m_selected.clear();
    m_chart->setSelectedTensor({});
    m_measures.clear();
    updateInfoLine();
    m_headline->setTextSource([] {
        return tr("Quantize the model (Tools > Quantize...) to see where the accuracy goes layer "
                  "by layer.");
    });
}

void QuantView::setReport(std::shared_ptr<const lb::report::QuantReport> report) {
    m_report = report ? std::make_shared<lb::report::QuantReport>(*report) : nullptr;
    m_chart->setReport(m_report);
    m_measures.clear(); // every number is new
    updateInfoLine();
    updateHeadline();
    emit overlayChanged();
}

void QuantView::dropNumbers(const QString& why) {
    dropNumbers([why] { return why; });
}

void QuantView::dropNumbers(std::function<QString()> why) {
    m_report.reset();
    m_chart->setReport(nullptr);
    m_measures.clear();
    updateInfoLine();
    m_headline->setTextSource(std::move(why));
    emit overlayChanged();
}

QString QuantView::headlineText() const {
    return m_headline->text();
}

QString QuantView::remeasureText() const {
    return m_remeasure->text();
}

void QuantView::updateHeadline() {
    if (m_report)
        m_headline->setTextSource([this] { return headline(); });
}

QString QuantView::headline() const {
    if (!m_report)
        return {};
    const lb::report::QuantReport& r = *m_report;
    QString text =
        tr("<b>Output SQNR %1 dB</b>, top-1 agreement %2 %, %3 tensors, %4 samples, %5, act %6 "
           "bit, weights %7 bit%8")
            .arg(UiFormat::decibels(r.outputError.sqnrDb), UiFormat::percent(r.top1Agreement, 1))
            .arg(r.tensors.size())
            .arg(r.samples)
            .arg(QString::fromStdString(r.calibrator))
            .arg(r.activationBitwidth)
            .arg(r.weightBitwidth)
            .arg(r.perChannel ? tr(" per-channel") : QString());
    if (m_randomData)
        text += QStringLiteral("<br><span style='color:#b05000'>") +
                tr("Calibrated on random data: the ranges say little about real inputs.") +
                QStringLiteral("</span>");
    return text;
}

void QuantView::showTensor(const QString& tensor) {
    m_selected = tensor;
    // Every view follows (a tensor without a row clears the table's selection); selecting the row
    // comes back here through tensorSelected, which finds nothing left to do.
    m_editor->selectTensor(tensor);
    m_chart->setSelectedTensor(tensor);
    updateInfoLine();
    if (tensor == m_histogram->tensor())
        return;
    const auto it =
        m_histograms ? m_histograms->find(tensor.toStdString()) : Histograms::const_iterator();
    if (!m_histograms || it == m_histograms->end()) {
        m_histogram->clearHistogram();
        return;
    }
    m_histogram->setHistogram(tensor, it->second, m_model->encodingOf(tensor));
}

void QuantView::onTensorClicked(const QString& tensor) {
    showTensor(tensor);
    const QList<lb::ir::NodeId> nodes = nodesOf(tensor);
    if (!nodes.isEmpty())
        emit nodesRequested(nodes);
}

void QuantView::applyRemeasure(const QString& tensor, const lb::quant::ProbeResult& result,
                               double elapsedMs, bool preview) {
    if (!m_report)
        return;
    const std::string name = tensor.toStdString();
    for (lb::report::TensorQuantStats& t : m_report->tensors)
        if (t.tensor == name) {
            t.cumulative = result.tensor.cumulative;
            t.isolated = result.tensor.isolated;
            t.encodingMse = result.tensor.encodingMse;
            t.bitwidth = result.tensor.bitwidth;
        }
    m_report->outputError = result.outputError;
    m_report->top1Agreement = result.top1Agreement;
    m_chart->setReport(m_report);
    updateHeadline();
    m_measures[tensor] = {Measure::State::Done, preview, elapsedMs, {}};
    updateInfoLine();
    emit overlayChanged();
}

void QuantView::remeasureFailed(const QString& tensor, const QString& message) {
    m_measures[tensor] = {Measure::State::Failed, false, 0.0, message};
    updateInfoLine();
}

void QuantView::requestRemeasure(const QString& tensor,
                                 std::shared_ptr<const lb::quant::EncodingSet> encodings,
                                 bool preview) {
    m_measures[tensor] = {Measure::State::Pending, preview, 0.0, {}};
    updateInfoLine();
    emit remeasureRequested(tensor, std::move(encodings), preview);
}

void QuantView::updateInfoLine() {
    // Only ever about the selected tensor, and only once it has been edited: a line about another
    // tensor next to this one's histogram would be read as this one's.
    const auto it = m_measures.constFind(m_selected);
    if (!m_report || m_selected.isEmpty() || it == m_measures.constEnd()) {
        m_remeasure->clear();
        m_remeasure->hide();
        return;
    }
    const Measure& m = *it;
    // Built again on a language switch from the numbers captured now.
    TrLabel::Source text;
    switch (m.state) {
    case Measure::State::Pending:
        text = [tensor = m_selected, preview = m.preview] {
            return preview ? tr("Preview %1: measuring the dragged range...").arg(tensor)
                           : tr("%1: measuring the edited encoding...").arg(tensor);
        };
        break;
    case Measure::State::Failed:
        text = [tensor = m_selected, error = m.error] {
            return tr("%1: the edited encoding could not be measured: %2").arg(tensor, error);
        };
        break;
    case Measure::State::Done: {
        const std::string name = m_selected.toStdString();
        const lb::report::TensorQuantStats* stats = nullptr;
        for (const lb::report::TensorQuantStats& t : m_report->tensors)
            if (t.tensor == name)
                stats = &t;
        const auto sqnr = [](const std::optional<lb::report::ErrorStats>& e) {
            return e ? std::optional<double>(e->sqnrDb) : std::nullopt;
        };
        text = [tensor = m_selected, preview = m.preview, elapsedMs = m.elapsedMs,
                own = stats ? sqnr(stats->cumulative) : std::nullopt,
                isolated = stats ? sqnr(stats->isolated) : std::nullopt,
                output = m_report->outputError.sqnrDb] {
            const auto db = [](std::optional<double> v) {
                return v ? UiFormat::decibels(*v) : QStringLiteral("-");
            };
            return tr("%1%2: own SQNR %3 dB, isolated %4 dB, output SQNR %5 dB (measured in %6 ms; "
                      "other tensors keep their last numbers)")
                .arg(preview ? tr("Preview ") : QString(), tensor, db(own), db(isolated),
                     UiFormat::decibels(output), UiFormat::fixed(elapsedMs, 0));
        };
        break;
    }
    }
    m_remeasure->setTextSource(std::move(text));
    m_remeasure->show();
}

QList<lb::ir::NodeId> QuantView::nodesOf(const QString& tensor) const {
    if (!m_nodes)
        return {};
    const std::vector<lb::ir::NodeId> nodes = m_nodes->nodesOfTensor(tensor.toStdString());
    return QList<lb::ir::NodeId>(nodes.begin(), nodes.end());
}

bool QuantView::overlayEnabled() const {
    return m_report && m_overlay->isChecked();
}

QHash<lb::ir::NodeId, QColor> QuantView::sqnrOverlay() const {
    QHash<lb::ir::NodeId, double> worst;
    for (const QString& tensor : m_chart->shownTensors()) {
        const double db = m_chart->sqnrOf(tensor);
        for (lb::ir::NodeId node : nodesOf(tensor))
            if (!worst.contains(node) || db < worst.value(node))
                worst.insert(node, db);
    }
    QHash<lb::ir::NodeId, QColor> overlay;
    for (auto it = worst.begin(); it != worst.end(); ++it)
        overlay.insert(it.key(), sqnrColour(it.value()));
    return overlay;
}

QColor QuantView::sqnrColour(double db) {
    for (const Bucket& b : kBuckets)
        if (db < b.below)
            return b.colour;
    return kBuckets[std::size(kBuckets) - 1].colour;
}

QList<QPair<QString, QColor>> QuantView::sqnrLegend() {
    return {{tr("SQNR < 10 dB"), kBuckets[0].colour},
            {tr("10 - 20 dB"), kBuckets[1].colour},
            {tr("20 - 30 dB"), kBuckets[2].colour},
            {tr("30 - 40 dB"), kBuckets[3].colour},
            {tr(">= 40 dB"), kBuckets[4].colour}};
}

} // namespace lb::widgets
