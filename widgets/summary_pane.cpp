#include "widgets/summary_pane.h"

#include "widgets/op_count_model.h"
#include "widgets/tensor_table_model.h"
#include "widgets/ui_format.h"

#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace lb::widgets {

namespace {
constexpr int kMaxTensorRowsShown = 8; // more inputs/outputs scroll

QTableView* makeTable(QAbstractItemModel* model, QWidget* parent) {
    auto* view = new QTableView(parent);
    view->setModel(model);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setWordWrap(false);
    return view;
}
} // namespace

SummaryPane::SummaryPane(QWidget* parent) : QWidget(parent) {
    m_tensorModel = new TensorTableModel(this);
    m_opModel = new OpCountModel(this);
    m_info = new QLabel(this);
    m_info->setObjectName(QStringLiteral("summaryInfo"));
    m_info->setTextFormat(Qt::PlainText);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_info->setWordWrap(true);
    m_totals = new QLabel(this);
    m_totals->setObjectName(QStringLiteral("summaryTotals"));
    m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_tensorView = makeTable(m_tensorModel, this);
    m_opView = makeTable(m_opModel, this);
    m_opView->horizontalHeader()->setStretchLastSection(false);
    m_opView->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_opView->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_chart = new QCustomPlot(this);
    m_chart->setObjectName(QStringLiteral("opHistogram"));
    m_chart->setMinimumHeight(120);
    m_chart->installEventFilter(this);

    // Inputs/outputs take the height of their rows; the op table and chart share the rest.
    m_tensorView->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_tensorView->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    auto* bottom = new QSplitter(Qt::Horizontal, this);
    bottom->addWidget(m_opView);
    bottom->addWidget(m_chart);
    bottom->setStretchFactor(0, 2);
    bottom->setStretchFactor(1, 3);
    bottom->setSizes({180, 270});

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_info);
    layout->addWidget(m_totals);
    layout->addWidget(m_tensorView);
    layout->addWidget(bottom, 1);
    clear();
}

void SummaryPane::clear() {
    setSummary({});
}

QString SummaryPane::infoText() const {
    return m_info->text() + QLatin1Char('\n') + m_totals->text();
}

void SummaryPane::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        setSummary(m_summary);
    QWidget::changeEvent(event);
}

void SummaryPane::setSummary(const lb::report::ModelSummary& summary) {
    if (&summary != &m_summary)
        m_summary = summary;
    QStringList opsets;
    for (const auto& [domain, version] : summary.opsets)
        opsets.append(
            QStringLiteral("%1 %2")
                .arg(domain.empty() ? QStringLiteral("ai.onnx") : QString::fromStdString(domain))
                .arg(version));
    QStringList lines;
    lines << tr("File: %1").arg(QString::fromStdString(summary.path));
    if (!summary.graphName.empty())
        lines << tr("Graph: %1").arg(QString::fromStdString(summary.graphName));
    lines << tr("IR version: %1").arg(summary.irVersion)
          << tr("Opsets: %1").arg(opsets.join(QStringLiteral(", ")))
          << tr("Producer: %1").arg(QString::fromStdString(summary.producer));
    m_info->setText(lines.join(QLatin1Char('\n')));

    const QLocale locale = UiFormat::locale();
    QString macs = tr("%1 MACs").arg(UiFormat::compactCount(summary.macs));
    if (summary.unknownMacNodes > 0)
        macs += QLatin1Char(' ') +
                tr("(%n node(s) unknown)", "", static_cast<int>(summary.unknownMacNodes));
    m_totals->setText(tr("%1 parameters (%2 bytes)   %3   %4 nodes")
                          .arg(UiFormat::compactCount(summary.params),
                               UiFormat::integer(summary.paramBytes), macs,
                               UiFormat::integer(static_cast<int64_t>(summary.nodes.size()))));
    m_totals->setToolTip(tr("%1 parameters, %2 MACs")
                             .arg(locale.toString(static_cast<qlonglong>(summary.params)),
                                  locale.toString(static_cast<qlonglong>(summary.macs))));
    m_tensorModel->setSummary(summary);
    m_opModel->setSummary(summary);
    m_tensorView->resizeColumnsToContents();
    fitTensorViewToRows();
    updateChart();
}

void SummaryPane::fitTensorViewToRows() {
    const int rows = std::min(m_tensorModel->rowCount(), kMaxTensorRowsShown);
    const int rowHeight = m_tensorView->verticalHeader()->defaultSectionSize();
    const int header = m_tensorView->horizontalHeader()->sizeHint().height();
    const int scrollBar = m_tensorView->horizontalScrollBar()->isVisible()
                              ? m_tensorView->horizontalScrollBar()->sizeHint().height()
                              : 0;
    m_tensorView->setFixedHeight(header + std::max(1, rows) * rowHeight + scrollBar +
                                 2 * m_tensorView->frameWidth());
}

void SummaryPane::updateChart() {
    m_chart->clearPlottables();
    UiFormat::applyLocale(m_chart);
    const auto& counts = m_opModel->counts();
    QVector<double> keys;
    QVector<double> values;
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    // Most frequent at the top: the highest key is drawn topmost. As many bars as the chart's
    // height gives a label line each (at most a dozen); the rest share one bar (the table lists
    // them all).
    QFont small = m_chart->yAxis->tickLabelFont();
    small.setPointSizeF(std::max(6.5, QFont().pointSizeF() - 1.5));
    const int kMaxBars = barsThatFit(small);
    m_chartBars = kMaxBars;
    const int total = static_cast<int>(counts.size());
    const int shown = total > kMaxBars ? kMaxBars - 1 : total;
    const int n = shown + (total > shown ? 1 : 0);
    for (int i = 0; i < shown; ++i) {
        const double key = n - i;
        keys.append(key);
        values.append(static_cast<double>(counts[static_cast<size_t>(i)].second));
        ticker->addTick(key, QString::fromStdString(counts[static_cast<size_t>(i)].first));
    }
    if (total > shown) {
        double rest = 0;
        for (int i = shown; i < total; ++i)
            rest += static_cast<double>(counts[static_cast<size_t>(i)].second);
        keys.append(1);
        values.append(rest);
        ticker->addTick(1, tr("%1 other ops").arg(total - shown));
    }
    auto* bars = new QCPBars(m_chart->yAxis, m_chart->xAxis);
    bars->setData(keys, values, true);
    bars->setWidth(0.7);
    bars->setPen(Qt::NoPen);
    bars->setBrush(QColor(0x33, 0x6f, 0xb3));
    m_chart->yAxis->setTicker(ticker);
    m_chart->yAxis->setTickLabelFont(small);
    m_chart->yAxis->setRange(0.3, n + 0.7);
    m_chart->xAxis->setLabel(tr("nodes"));
    // Few whole-number ticks: a narrow dock has room for three or four labels. Steps are whole
    // multiples of one node, so a model of one or two nodes never shows "0 0 1 1 1".
    QSharedPointer<QCPAxisTickerFixed> countTicker(new QCPAxisTickerFixed);
    countTicker->setTickStep(1.0);
    countTicker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    countTicker->setTickCount(3);
    countTicker->setTickStepStrategy(QCPAxisTicker::tssReadability);
    m_chart->xAxis->setTicker(countTicker);
    m_chart->xAxis->setNumberFormat(QStringLiteral("f"));
    m_chart->xAxis->setNumberPrecision(0);
    double top = 1;
    for (double v : values)
        top = std::max(top, v);
    m_chart->xAxis->setRange(0, top * 1.08);
    m_chart->replot();
}

int SummaryPane::barsThatFit(const QFont& labelFont) const {
    const int line = QFontMetrics(labelFont).height() + 2;
    const int room = m_chart->height() - 55; // the count axis, its label and margins
    return std::clamp(room / line, 3, 12);
}

bool SummaryPane::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_chart && event->type() == QEvent::Resize &&
        barsThatFit(m_chart->yAxis->tickLabelFont()) != m_chartBars)
        updateChart();
    return QWidget::eventFilter(watched, event);
}

} // namespace lb::widgets
