#include "widgets/profile_view.h"

#include "widgets/profile_charts.h"
#include "widgets/profile_table_model.h"
#include "widgets/tr_label.h"
#include "widgets/ui_format.h"

#include <QCheckBox>
#include <QEvent>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>
#include <qcustomplot.h>

namespace lb::widgets {

namespace {
QString megabytes(double bytes) {
    return UiFormat::fixed(bytes / (1024.0 * 1024.0), 1);
}

constexpr int kMaxTopBars = 15;
constexpr int kMaxOpBars = 12;

QCustomPlot* makeChart(const QString& objectName, QWidget* parent) {
    auto* plot = new QCustomPlot(parent);
    plot->setObjectName(objectName);
    plot->setMinimumSize(160, 90);
    return plot;
}

// Bars whose labels fit the chart's height: a label line each, less the value axis below.
int barsThatFit(const QCustomPlot* plot, int most) {
    const int line = QFontMetrics(plot->yAxis->tickLabelFont()).height() + 3;
    const int room = plot->height() - 50; // value axis, its label and margins
    return std::clamp(room / line, 3, most);
}
} // namespace

ProfileView::ProfileView(QWidget* parent) : QWidget(parent) {
    m_model = new ProfileTableModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ProfileTableModel::SortRole);
    m_proxy->setFilterRole(ProfileTableModel::FallbackCodeRole);

    m_headline = new TrLabel(this);
    m_headline->setObjectName(QStringLiteral("profileHeadline"));
    m_headline->setWordWrap(true);
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_heatMap = new QCheckBox(this);
    m_heatMap->setChecked(true);
    connect(m_heatMap, &QCheckBox::toggled, this, &ProfileView::heatMapToggled);

    auto* tablePane = new QWidget(this);
    m_fallbacksOnly = new QCheckBox(tablePane);
    m_fallbacksOnly->setObjectName(QStringLiteral("fallbacksOnly"));
    connect(m_fallbacksOnly, &QCheckBox::toggled, this, &ProfileView::setFallbacksOnly);

    m_table = new QTableView(tablePane);
    m_table->setObjectName(QStringLiteral("profileTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(22);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->sortByColumn(ProfileTableModel::TimeColumn, Qt::DescendingOrder);
    connect(m_table, &QTableView::clicked, this, [this](const QModelIndex& index) {
        activateReportNode(m_proxy->mapToSource(index).row());
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                m_selectedNode = current.isValid() ? m_proxy->mapToSource(current).row() : -1;
                selectTopBar();
                if (current.isValid() && !m_syncingTable)
                    activateReportNode(m_selectedNode);
            });

    m_topChart = makeChart(QStringLiteral("topLayersChart"), this);
    m_topChart->installEventFilter(this);
    m_topChart->setInteractions(QCP::iSelectPlottables);
    connect(
        m_topChart, &QCustomPlot::plottableClick, this,
        [this](QCPAbstractPlottable*, int dataIndex, QMouseEvent*) { onTopBarClicked(dataIndex); });
    m_opChart = makeChart(QStringLiteral("opTypeChart"), this);
    m_opChart->installEventFilter(this);
    m_latencyChart = makeChart(QStringLiteral("latencyChart"), this);

    auto* right = new QSplitter(Qt::Vertical, this);
    right->addWidget(m_opChart);
    right->addWidget(m_latencyChart);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    auto* tableLayout = new QVBoxLayout(tablePane);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addWidget(m_fallbacksOnly);
    tableLayout->addWidget(m_table, 1);
    splitter->addWidget(tablePane);
    splitter->addWidget(m_topChart);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 5);
    splitter->setStretchFactor(1, 4);
    splitter->setStretchFactor(2, 3);
    splitter->setSizes({500, 400, 300});

    auto* top = new QHBoxLayout;
    top->addWidget(m_headline, 1);
    top->addWidget(m_heatMap, 0, Qt::AlignTop);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(splitter, 1);
    retranslate();
    clear();
}

void ProfileView::retranslate() {
    m_heatMap->setText(tr("Heat map on the graph"));
    m_fallbacksOnly->setToolTip(
        tr("List only the nodes that did not run as asked: a preferred backend declined them, or "
           "they run simulated instead of in int8"));
    updateFallbacksOnly();
}

void ProfileView::clear() {
    setReport(nullptr, nullptr);
}

void ProfileView::setReport(std::shared_ptr<const lb::report::ProfileReport> report,
                            std::shared_ptr<const lb::project::NodeMap> nodes) {
    m_report = std::move(report);
    m_nodes = std::move(nodes);
    m_model->setReport(m_report);
    m_table->resizeColumnsToContents();
    m_table->setColumnWidth(ProfileTableModel::NodeColumn,
                            std::min(m_table->columnWidth(ProfileTableModel::NodeColumn), 220));
    m_selectedNode = -1;
    updateFallbacksOnly();
    fillCharts();
    updateHeadline();
}

void ProfileView::updateFallbacksOnly() {
    const int count = m_model->fallbackCount();
    if (count == 0)
        m_fallbacksOnly->setChecked(false);
    m_fallbacksOnly->setEnabled(count > 0);
    m_fallbacksOnly->setText(tr("Fallbacks only (%1)").arg(count));
}

void ProfileView::setFallbacksOnly(bool only) {
    // The filter role holds the row's fallback code: any code is a fallback row.
    m_proxy->setFilterRegularExpression(only ? QRegularExpression(QStringLiteral("."))
                                             : QRegularExpression());
}

void ProfileView::fillCharts() {
    for (QCustomPlot* chart : {m_topChart, m_opChart, m_latencyChart})
        UiFormat::applyLocale(chart);
    m_topBars = m_opBars = 0;
    fillBarCharts();
    const lb::report::ProfileReport empty;
    ProfileCharts::fillLatency(m_latencyChart, m_report ? *m_report : empty);
}

void ProfileView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        fillCharts(); // axis titles, "other", tick numbers in the new locale
    }
    QWidget::changeEvent(event);
}

void ProfileView::fillBarCharts() {
    const int top = barsThatFit(m_topChart, kMaxTopBars);
    const int op = barsThatFit(m_opChart, kMaxOpBars);
    const lb::report::ProfileReport empty;
    const lb::report::ProfileReport& r = m_report ? *m_report : empty;
    if (top != m_topBars) {
        m_topBars = top;
        m_topIndices = ProfileCharts::fillTopLayers(m_topChart, r, top);
        selectTopBar();
    }
    if (op != m_opBars) {
        m_opBars = op;
        ProfileCharts::fillOpTypes(m_opChart, r, op - 1); // and one "other" bar
    }
}

bool ProfileView::eventFilter(QObject* watched, QEvent* event) {
    if ((watched == m_topChart || watched == m_opChart) && event->type() == QEvent::Resize)
        fillBarCharts();
    return QWidget::eventFilter(watched, event);
}

void ProfileView::updateHeadline() {
    m_headline->setTextSource([this] { return headline(); });
}

QString ProfileView::headline() const {
    if (!m_report)
        return tr("No run yet: choose the settings in the Run panel and press Run.");
    const lb::report::ProfileReport& r = *m_report;
    auto ms = [](double v) { return UiFormat::fixed(v, 2); };
    QString text = tr("<b>%1 ms</b> mean &nbsp; p50 %2 &nbsp; p95 %3 &nbsp; p99 %4 ms &nbsp; "
                      "<b>%5</b> inferences/s")
                       .arg(ms(r.latencyMs.mean), ms(r.latencyMs.p50), ms(r.latencyMs.p95),
                            ms(r.latencyMs.p99), UiFormat::fixed(r.throughputPerS, 1));
    text += QStringLiteral("<br>");
    text +=
        tr("peak RSS %1 MB &nbsp; planned memory %2 MB (naive %3 MB) &nbsp; backend %4, "
           "%n thread(s), %5 runs",
           "", r.threads)
            .arg(UiFormat::fixed(r.peakRssMb, 1), megabytes(static_cast<double>(r.plannedBytes)),
                 megabytes(static_cast<double>(r.naiveBytes)),
                 QString::fromStdString(r.backend).toHtmlEscaped())
            .arg(r.iterations);
    if (const int fallbacks = m_model->fallbackCount(); fallbacks > 0)
        text +=
            QStringLiteral("<br><span style=\"color:#b35c00\">") +
            // English has no numerus translation: the singular is its own text.
            (fallbacks == 1 ? tr("1 node fell back") : tr("%n nodes fell back", "", fallbacks)) +
            QStringLiteral("</span>");
    return text;
}

QString ProfileView::headlineText() const {
    return m_headline->text();
}

bool ProfileView::heatMapEnabled() const {
    return m_heatMap->isChecked();
}

QHash<lb::ir::NodeId, QColor> ProfileView::heatOverlay() const {
    QHash<lb::ir::NodeId, QColor> overlay;
    if (!m_report || !m_nodes)
        return overlay;
    for (size_t i = 0; i < m_report->nodes.size(); ++i) {
        if (m_report->nodes[i].parent >= 0)
            continue; // a subgraph's row: its control-flow node is coloured by its own time
        const QColor colour = ProfileCharts::heatColour(m_report->nodes[i].share);
        for (lb::ir::NodeId id : m_nodes->nodesOfRow(i))
            overlay.insert(id, colour);
    }
    return overlay;
}

void ProfileView::activateReportNode(int index) {
    if (index < 0 || !m_nodes)
        return;
    const std::vector<lb::ir::NodeId>& nodes = m_nodes->nodesOfRow(static_cast<size_t>(index));
    if (!nodes.empty())
        emit nodesRequested(QList<lb::ir::NodeId>(nodes.begin(), nodes.end()));
}

void ProfileView::onTopBarClicked(int dataIndex) {
    if (dataIndex < 0 || static_cast<size_t>(dataIndex) >= m_topIndices.size())
        return;
    const int node = m_topIndices[static_cast<size_t>(dataIndex)];
    // The table follows the bar (the row it showed before is not the one clicked).
    const QModelIndex row = m_proxy->mapFromSource(m_model->index(node, 0));
    m_syncingTable = true;
    m_table->selectionModel()->setCurrentIndex(row, QItemSelectionModel::ClearAndSelect |
                                                        QItemSelectionModel::Rows);
    m_syncingTable = false;
    m_table->scrollTo(row);
    activateReportNode(node);
}

int ProfileView::selectedReportNode() const {
    return m_selectedNode;
}

int ProfileView::selectedTopBar() const {
    auto* bars = m_topChart->plottableCount() > 0 ? qobject_cast<QCPBars*>(m_topChart->plottable(0))
                                                  : nullptr;
    if (!bars || bars->selection().isEmpty())
        return -1;
    return bars->selection().dataRange(0).begin();
}

void ProfileView::selectTopBar() {
    auto* bars = m_topChart->plottableCount() > 0 ? qobject_cast<QCPBars*>(m_topChart->plottable(0))
                                                  : nullptr;
    if (!bars)
        return;
    const auto it = std::find(m_topIndices.begin(), m_topIndices.end(), m_selectedNode);
    const int bar = m_selectedNode < 0 || it == m_topIndices.end()
                        ? -1
                        : static_cast<int>(it - m_topIndices.begin());
    bars->setSelection(bar < 0 ? QCPDataSelection() : QCPDataSelection(QCPDataRange(bar, bar + 1)));
    m_topChart->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace lb::widgets
