#include "widgets/compare_view.h"

#include "run/targets.h"
#include "widgets/chart_export.h"
#include "widgets/compare_charts.h"
#include "widgets/comparison_table_model.h"
#include "widgets/target_texts.h"
#include "widgets/tr_label.h"
#include "widgets/ui_format.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <qcustomplot.h>

namespace lb::widgets {

namespace {
constexpr int kOpTypes = 12;

QCustomPlot* makeChart(const QString& objectName, QWidget* parent) {
    auto* plot = new QCustomPlot(parent);
    plot->setObjectName(objectName);
    plot->setMinimumSize(200, 120);
    return plot;
}
} // namespace

CompareView::CompareView(QWidget* parent)
    : QWidget(parent), m_data(std::make_shared<ComparisonData>()) {
    qRegisterMetaType<Settings>();
    m_model = new ComparisonTableModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ComparisonTableModel::SortRole);

    m_headline = new TrLabel(this);
    m_headline->setObjectName(QStringLiteral("compareHeadline"));
    m_headline->setWordWrap(true);
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_coloursLabel = new QLabel(this);
    m_colours = new QComboBox(this);
    m_colours->setObjectName(QStringLiteral("graphColours"));
    m_ratioA = new QComboBox(this);
    m_ratioA->setObjectName(QStringLiteral("ratioTargetA"));
    m_versus = new QLabel(this);
    m_ratioB = new QComboBox(this);
    m_ratioB->setObjectName(QStringLiteral("ratioTargetB"));
    for (QComboBox* box : {m_colours, m_ratioA, m_ratioB})
        connect(box, &QComboBox::currentIndexChanged, this, [this] {
            const bool ratio = graphColours() == RatioColours;
            for (QWidget* w : std::initializer_list<QWidget*>{m_ratioA, m_versus, m_ratioB})
                w->setVisible(ratio);
            emit graphColoursChanged();
        });

    m_colours->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_logTime = new QCheckBox(this);
    m_logTime->setObjectName(QStringLiteral("compareLogTime"));
    connect(m_logTime, &QCheckBox::toggled, this, &CompareView::fillCharts);

    m_export = new QToolButton(this);
    m_export->setObjectName(QStringLiteral("compareExport"));
    m_export->setPopupMode(QToolButton::InstantPopup);
    auto* exportMenu = new QMenu(m_export);
    m_export->setMenu(exportMenu);
    const std::pair<ExportFormat, const char*> formats[] = {
        {Png, QT_TR_NOOP("Save Chart as PNG...")},
        {Svg, QT_TR_NOOP("Save Chart as SVG...")},
        {Csv, QT_TR_NOOP("Save Data as CSV...")}};
    for (const auto& [format, text] : formats) {
        QAction* action = exportMenu->addAction(QString());
        action->setData(static_cast<int>(format));
        action->setProperty("lbText", QString::fromLatin1(text));
        connect(action, &QAction::triggered, this,
                [this, format = format] { emit exportRequested(currentChart(), format); });
    }

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("compareTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(22);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // the comparison's order until a click

    m_latencyChart = makeChart(QStringLiteral("compareLatencyChart"), this);
    m_layersChart = makeChart(QStringLiteral("compareLayersChart"), this);
    m_opChart = makeChart(QStringLiteral("compareOpTypesChart"), this);
    m_accuracyChart = makeChart(QStringLiteral("compareAccuracyChart"), this);

    auto* layerBar = new QWidget(this);
    auto* layerRow = new QHBoxLayout(layerBar);
    layerRow->setContentsMargins(0, 0, 0, 0);
    m_layerCountLabel = new QLabel(layerBar);
    m_layerCount = new QSpinBox(layerBar);
    m_layerCount->setObjectName(QStringLiteral("compareLayerCount"));
    m_layerCount->setRange(1, 50);
    m_layerCount->setValue(10);
    m_layerCountLabel->setBuddy(m_layerCount);
    layerRow->addWidget(m_layerCountLabel);
    layerRow->addWidget(m_layerCount);
    layerRow->addStretch(1);
    connect(m_layerCount, &QSpinBox::valueChanged, this, [this](int count) {
        CompareCharts::fillLayers(m_layersChart, *m_data, count, m_logTime->isChecked());
    });

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("compareTabs"));
    m_tabs->addTab(m_table, QString());
    m_tabs->addTab(makeChartTab(m_latencyChart), QString());
    m_tabs->addTab(makeChartTab(m_layersChart, layerBar), QString());
    m_tabs->addTab(makeChartTab(m_opChart), QString());
    m_tabs->addTab(makeChartTab(m_accuracyChart), QString());
    connect(m_tabs, &QTabWidget::currentChanged, this, &CompareView::updateActions);

    auto* right = new QWidget(this);
    auto* controls = new QHBoxLayout;
    controls->addWidget(m_coloursLabel);
    controls->addWidget(m_colours);
    controls->addWidget(m_ratioA);
    controls->addWidget(m_versus);
    controls->addWidget(m_ratioB);
    controls->addStretch(1);
    controls->addWidget(m_logTime);
    controls->addWidget(m_export);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_headline);
    rightLayout->addLayout(controls);
    rightLayout->addWidget(m_tabs, 1);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(makeSettingsPane());
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({260, 900});
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(splitter);

    retranslate();
    clear();
    setRunning(false);
}

QWidget* CompareView::makeSettingsPane() {
    auto* pane = new QWidget(this);
    pane->setObjectName(QStringLiteral("compareSettings"));
    auto* layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 4, 0);
    m_targetsLabel = new QLabel(pane);
    layout->addWidget(m_targetsLabel);
    auto* targets = new QGridLayout;
    int i = 0;
    const std::vector<std::string> available = run::availableTargetNames();
    for (const run::TargetInfo& target : run::namedTargets()) {
        auto* box = new QCheckBox(QString::fromStdString(target.name), pane);
        box->setObjectName(QStringLiteral("target_") + QString::fromStdString(target.name));
        const bool builtIn =
            std::find(available.begin(), available.end(), target.name) != available.end();
        box->setProperty("lbBuiltIn", builtIn);
        box->setChecked(builtIn && (target.name == "cpu-fp32" || target.name == "mobile-cpu" ||
                                    target.name == "gpu-fp16"));
        connect(box, &QCheckBox::toggled, this, &CompareView::updateActions);
        targets->addWidget(box, i / 2, i % 2);
        m_targets[target.name] = box;
        ++i;
    }
    layout->addLayout(targets);

    auto* form = new QFormLayout;
    m_rounds = new QSpinBox(pane);
    m_rounds->setObjectName(QStringLiteral("compareRounds"));
    m_rounds->setRange(1, 50);
    m_rounds->setValue(3);
    m_iterations = new QSpinBox(pane);
    m_iterations->setObjectName(QStringLiteral("compareIterations"));
    m_iterations->setRange(1, 10000);
    m_iterations->setValue(10);
    m_threads = new QSpinBox(pane);
    m_threads->setObjectName(QStringLiteral("compareThreads"));
    m_threads->setRange(1, 256);
    m_threads->setValue(1);
    m_roundsLabel = new QLabel(pane);
    m_iterationsLabel = new QLabel(pane);
    m_threadsLabel = new QLabel(pane);
    form->addRow(m_roundsLabel, m_rounds);
    form->addRow(m_iterationsLabel, m_iterations);
    form->addRow(m_threadsLabel, m_threads);
    layout->addLayout(form);

    m_encodingsNote = new QLabel(pane);
    m_encodingsNote->setWordWrap(true);
    m_encodingsNote->setStyleSheet(QStringLiteral("color: palette(mid)"));
    layout->addWidget(m_encodingsNote);

    auto* buttons = new QHBoxLayout;
    m_compare = new QPushButton(pane);
    m_compare->setObjectName(QStringLiteral("compareButton"));
    m_compare->setDefault(true);
    connect(m_compare, &QPushButton::clicked, this, [this] {
        showError({});
        emit compareRequested(settings());
    });
    m_cancel = new QPushButton(pane);
    m_cancel->setObjectName(QStringLiteral("compareCancel"));
    connect(m_cancel, &QPushButton::clicked, this, &CompareView::cancelRequested);
    buttons->addWidget(m_compare, 1);
    buttons->addWidget(m_cancel);
    layout->addLayout(buttons);
    m_progress = new QProgressBar(pane);
    m_progress->setObjectName(QStringLiteral("compareProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(8);
    layout->addWidget(m_progress);
    m_progressText = new QLabel(pane);
    m_progressText->setObjectName(QStringLiteral("compareProgressText"));
    layout->addWidget(m_progressText);
    m_error = new QLabel(pane);
    m_error->setObjectName(QStringLiteral("compareError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));
    m_error->hide();
    layout->addWidget(m_error);

    auto* files = new QHBoxLayout;
    m_open = new QPushButton(pane);
    m_open->setObjectName(QStringLiteral("compareOpen"));
    connect(m_open, &QPushButton::clicked, this, &CompareView::openReportsRequested);
    m_save = new QPushButton(pane);
    m_save->setObjectName(QStringLiteral("compareSave"));
    connect(m_save, &QPushButton::clicked, this, &CompareView::saveComparisonRequested);
    files->addWidget(m_open);
    files->addWidget(m_save);
    layout->addLayout(files);
    layout->addStretch(1);
    return pane;
}

QWidget* CompareView::makeChartTab(QCustomPlot* plot, QWidget* above) {
    auto* tab = new QWidget(this);
    auto* layout = new QVBoxLayout(tab);
    layout->setContentsMargins(2, 2, 2, 2);
    if (above)
        layout->addWidget(above);
    layout->addWidget(plot, 1);
    return tab;
}

void CompareView::retranslate() {
    m_targetsLabel->setText(tr("Targets:"));
    for (const run::TargetInfo& target : run::namedTargets()) {
        QCheckBox* box = m_targets.at(target.name);
        QString tip = QStringLiteral("<b>%1</b><br>%2")
                          .arg(TargetTexts::title(target).toHtmlEscaped(),
                               TargetTexts::description(target).toHtmlEscaped());
        if (!box->property("lbBuiltIn").toBool())
            tip += QStringLiteral("<br><i>") +
                   tr("Not available: this build lacks its backend (%1).")
                       .arg(QString::fromStdString(target.backend)) +
                   QStringLiteral("</i>");
        else if (target.needsEncodings && m_encodings == 0)
            tip += QStringLiteral("<br><i>") +
                   tr("Needs encodings: quantize the model or import encodings first.") +
                   QStringLiteral("</i>");
        box->setToolTip(tip);
    }
    m_roundsLabel->setText(tr("&Rounds:"));
    m_rounds->setToolTip(tr("Each round runs every target once; the order rotates by one target "
                            "per round, so machine noise hits the targets alike"));
    m_iterationsLabel->setText(tr("&Iterations per round:"));
    m_threadsLabel->setText(tr("&Threads:"));
    m_roundsLabel->setBuddy(m_rounds);
    m_iterationsLabel->setBuddy(m_iterations);
    m_threadsLabel->setBuddy(m_threads);
    m_encodingsNote->setText(
        m_encodings > 0 ? tr("npu-int8 runs with the Encodings table's encodings (%1 tensors).")
                              .arg(UiFormat::integer(m_encodings))
                        : tr("npu-int8 needs encodings: quantize the model or import encodings."));
    m_compare->setText(tr("&Compare"));
    m_compare->setToolTip(tr("Run every checked target on the same inputs, with the Run panel's "
                             "input shapes"));
    m_cancel->setText(tr("Cancel"));
    m_open->setText(tr("&Open Reports..."));
    m_open->setToolTip(tr("Add saved profile reports or comparisons to the view"));
    m_save->setText(tr("&Save Comparison..."));
    m_save->setToolTip(tr("Write the comparison shown as JSON (layerbench.comparison)"));
    m_export->setText(tr("Export"));
    for (QAction* action : m_export->menu()->actions())
        action->setText(tr(action->property("lbText").toString().toUtf8().constData()));

    m_coloursLabel->setText(tr("Graph:"));
    m_logTime->setText(tr("&Log time axis"));
    m_logTime->setToolTip(tr("Times on a logarithmic axis, so a slow target (the reference) does "
                             "not flatten the others"));
    const int colours = std::max(0, m_colours->currentIndex());
    {
        const QSignalBlocker block(m_colours);
        m_colours->clear();
        m_colours->addItem(tr("No compare colours"));
        m_colours->addItem(tr("Fastest target per node"));
        m_colours->addItem(tr("Ratio of two targets"));
        m_colours->setCurrentIndex(colours);
    }
    m_versus->setText(tr("vs"));
    m_layerCountLabel->setText(tr("&Layers shown:"));
    const QString tabs[] = {tr("Table"), tr("Latency"), tr("Layers"), tr("Op Types"),
                            tr("Accuracy")};
    for (int i = 0; i < m_tabs->count(); ++i)
        m_tabs->setTabText(i, tabs[i]);
    updateActions();
}

void CompareView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        fillCharts(); // axis titles and numbers in the new locale
    }
    QWidget::changeEvent(event);
}

void CompareView::clear() {
    setComparison(nullptr);
}

void CompareView::setComparison(std::shared_ptr<const report::Comparison> comparison) {
    m_data = std::make_shared<const ComparisonData>(std::move(comparison));
    m_model->setComparison(m_data);
    m_table->resizeColumnsToContents();
    fillRatioTargets();
    fillCharts();
    m_headline->setTextSource([this] { return headline(); });
    updateActions();
    emit graphColoursChanged();
}

void CompareView::setGraph(std::shared_ptr<const project::NodeMap> graph) {
    m_graph = std::move(graph);
    emit graphColoursChanged();
}

void CompareView::fillRatioTargets() {
    for (QComboBox* box : {m_ratioA, m_ratioB}) {
        const QSignalBlocker block(box);
        const int keep = box->currentIndex();
        box->clear();
        for (int t = 0; t < m_data->targetCount(); ++t)
            box->addItem(m_data->targetLabel(t));
        const int fallback = box == m_ratioA ? 0 : std::min(1, m_data->targetCount() - 1);
        box->setCurrentIndex(keep >= 0 && keep < box->count() ? keep : fallback);
    }
    for (QWidget* w : std::initializer_list<QWidget*>{m_ratioA, m_versus, m_ratioB})
        w->setVisible(graphColours() == RatioColours);
}

void CompareView::fillCharts() {
    for (QCustomPlot* chart : {m_latencyChart, m_layersChart, m_opChart, m_accuracyChart})
        UiFormat::applyLocale(chart);
    const bool log = m_logTime->isChecked();
    CompareCharts::fillLatency(m_latencyChart, *m_data, log);
    CompareCharts::fillLayers(m_layersChart, *m_data, m_layerCount->value(), log);
    CompareCharts::fillOpTypes(m_opChart, *m_data, kOpTypes, log);
    CompareCharts::fillAccuracy(m_accuracyChart, *m_data, log);
}

QString CompareView::headline() const {
    if (m_data->empty())
        return tr("No comparison yet: pick targets and press Compare");
    int fastest = 0;
    for (int t = 1; t < m_data->targetCount(); ++t)
        if (m_data->report(t).latencyMs.p50 < m_data->report(fastest).latencyMs.p50)
            fastest = t;
    const report::Comparison& c = *m_data->comparison();
    // English has no numerus translation: the singulars are texts of their own.
    const int n = m_data->targetCount();
    QString text = n == 1 ? tr("1 target") : tr("%n targets", "", n);
    if (c.rounds > 0)
        text +=
            QStringLiteral(", ") + (c.rounds == 1 ? tr("1 round") : tr("%n rounds", "", c.rounds));
    text += QStringLiteral(" &nbsp; ") +
            tr("fastest: <b>%1</b>, %2 ms median")
                .arg(m_data->targetLabel(fastest).toHtmlEscaped(),
                     UiFormat::fixed(m_data->report(fastest).latencyMs.p50, 2));
    if (!c.reference.empty())
        text += QStringLiteral(" &nbsp; ") +
                tr("accuracy against %1").arg(QString::fromStdString(c.reference).toHtmlEscaped());
    return text;
}

QString CompareView::headlineText() const {
    return m_headline->text();
}

CompareView::Settings CompareView::settings() const {
    Settings s;
    for (const run::TargetInfo& target : run::namedTargets()) {
        const QCheckBox* box = m_targets.at(target.name);
        if (box->isChecked() && box->isEnabled())
            s.targets.push_back(target.name);
    }
    s.rounds = m_rounds->value();
    s.iterations = m_iterations->value();
    s.threads = m_threads->value();
    return s;
}

void CompareView::setSettings(const Settings& settings) {
    for (auto& [name, box] : m_targets)
        box->setChecked(std::find(settings.targets.begin(), settings.targets.end(), name) !=
                        settings.targets.end());
    m_rounds->setValue(settings.rounds);
    m_iterations->setValue(settings.iterations);
    m_threads->setValue(settings.threads);
}

void CompareView::setCanCompare(bool can) {
    m_canCompare = can;
    updateActions();
}

void CompareView::setEncodingsCount(int tensors) {
    const bool had = m_encodings > 0;
    m_encodings = tensors;
    if (!had && tensors > 0)
        if (QCheckBox* npu = targetBox("npu-int8"))
            npu->setChecked(true);
    retranslate();
}

void CompareView::setRunning(bool running) {
    m_running = running;
    m_progress->setValue(0);
    m_progress->setVisible(running);
    m_progressText->setVisible(running);
    m_progressText->clear();
    updateActions();
}

void CompareView::setProgress(double fraction, const QString& text) {
    m_progress->setValue(static_cast<int>(std::clamp(fraction, 0.0, 1.0) * 1000));
    m_progressText->setText(text);
}

void CompareView::showError(const QString& message) {
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

QString CompareView::errorText() const {
    return m_error->isHidden() ? QString() : m_error->text();
}

void CompareView::updateTargetBoxes() {
    for (const run::TargetInfo& target : run::namedTargets()) {
        QCheckBox* box = m_targets.at(target.name);
        box->setEnabled(!m_running && box->property("lbBuiltIn").toBool() &&
                        (!target.needsEncodings || m_encodings > 0));
    }
}

void CompareView::updateActions() {
    updateTargetBoxes();
    for (QWidget* w : std::initializer_list<QWidget*>{m_rounds, m_iterations, m_threads, m_open})
        w->setEnabled(!m_running);
    m_compare->setEnabled(!m_running && m_canCompare && !settings().targets.empty());
    m_cancel->setEnabled(m_running);
    m_save->setEnabled(!m_running && !m_data->empty());
    m_export->setEnabled(!m_data->empty());
    const bool chart = currentChart() != TableChart;
    for (QAction* action : m_export->menu()->actions())
        action->setEnabled(chart || action->data().toInt() == Csv);
    m_colours->setEnabled(!m_data->empty());
}

QCheckBox* CompareView::targetBox(const std::string& name) const {
    auto it = m_targets.find(name);
    return it == m_targets.end() ? nullptr : it->second;
}

QCustomPlot* CompareView::chart(Chart chart) const {
    switch (chart) {
    case LatencyChart:
        return m_latencyChart;
    case LayersChart:
        return m_layersChart;
    case OpTypesChart:
        return m_opChart;
    case AccuracyChart:
        return m_accuracyChart;
    default:
        return nullptr;
    }
}

CompareView::Chart CompareView::currentChart() const {
    return static_cast<Chart>(std::max(0, m_tabs->currentIndex()));
}

QString CompareView::chartFileStem(Chart chart) {
    switch (chart) {
    case TableChart:
        return QStringLiteral("table");
    case LatencyChart:
        return QStringLiteral("latency");
    case LayersChart:
        return QStringLiteral("layers");
    case OpTypesChart:
        return QStringLiteral("op_types");
    case AccuracyChart:
        return QStringLiteral("accuracy");
    }
    return {};
}

QString CompareView::chartCsv(Chart chart) const {
    switch (chart) {
    case TableChart:
        return m_model->toCsv();
    case LatencyChart:
        return CompareCharts::latencyCsv(*m_data);
    case LayersChart:
        return CompareCharts::layersCsv(*m_data, m_layerCount->value());
    case OpTypesChart:
        return CompareCharts::opTypesCsv(*m_data, kOpTypes);
    case AccuracyChart:
        return CompareCharts::accuracyCsv(*m_data);
    }
    return {};
}

bool CompareView::exportChart(Chart which, ExportFormat format, const QString& path) const {
    if (format == Csv)
        return ChartExport::saveText(chartCsv(which), path);
    QCustomPlot* plot = chart(which);
    if (!plot)
        return false;
    return format == Png ? ChartExport::savePng(plot, path)
                         : ChartExport::saveSvg(plot, path, m_tabs->tabText(which));
}

CompareView::GraphColours CompareView::graphColours() const {
    return static_cast<GraphColours>(std::max(0, m_colours->currentIndex()));
}

void CompareView::setGraphColours(GraphColours colours, int targetA, int targetB) {
    {
        const QSignalBlocker a(m_ratioA), b(m_ratioB);
        m_ratioA->setCurrentIndex(targetA);
        m_ratioB->setCurrentIndex(targetB);
    }
    if (m_colours->currentIndex() == colours)
        emit graphColoursChanged();
    else
        m_colours->setCurrentIndex(colours); // emits
}

QHash<lb::ir::NodeId, QColor> CompareView::graphOverlay() const {
    QHash<lb::ir::NodeId, QColor> overlay;
    const GraphColours colours = graphColours();
    if (colours == NoGraphColours || m_data->empty() || !m_graph || !m_graph->graph())
        return overlay;
    const int a = m_ratioA->currentIndex(), b = m_ratioB->currentIndex();
    for (lb::ir::NodeId id : m_graph->graph()->nodeIds()) {
        const std::string name = m_graph->nodeName(id);
        if (colours == FastestColours) {
            if (const auto fastest = m_data->fastestTarget(name))
                overlay.insert(id, CompareCharts::targetColour(*fastest));
        } else if (const auto ratio = m_data->ratio(name, a, b)) {
            overlay.insert(id, CompareCharts::ratioColour(*ratio));
        }
    }
    return overlay;
}

QList<QPair<QString, QColor>> CompareView::graphLegend() const {
    if (m_data->empty())
        return {};
    if (graphColours() == FastestColours)
        return CompareCharts::fastestLegend(*m_data);
    if (graphColours() == RatioColours)
        return CompareCharts::ratioLegend(m_ratioA->currentText(), m_ratioB->currentText());
    return {};
}

} // namespace lb::widgets
