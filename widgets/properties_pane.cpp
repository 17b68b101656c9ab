#include "widgets/properties_pane.h"

#include "widgets/tensor_stats.h"
#include "widgets/ui_format.h"
#include "widgets/weight_inputs.h"

#include <QEvent>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace lb::widgets {

namespace {
constexpr int kHistogramBins = 64;
constexpr int kHistogramHeight = 130;
constexpr int kWeightPanelHeight = kHistogramHeight + 80; // the title, statistics and margins

QString valueDescription(const lb::ir::Graph& graph, lb::ir::ValueId id) {
    const lb::ir::Value& v = graph.value(id);
    const QString shape =
        v.shape ? QString::fromStdString(lb::shapeToString(*v.shape)) : PropertiesPane::tr("?");
    return QStringLiteral("%1 %2").arg(QString::fromStdString(lb::dtypeName(v.dtype)), shape);
}
} // namespace

PropertiesPane::PropertiesPane(QWidget* parent) : QWidget(parent) {
    m_tree = new QTreeWidget(this);
    m_tree->setObjectName(QStringLiteral("propertiesTree"));
    m_tree->setColumnCount(2);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_tree->setRootIsDecorated(true);
    m_tree->setUniformRowHeights(true);

    m_weights = new QWidget;
    m_weightsLayout = new QVBoxLayout(m_weights);
    m_weightsLayout->setContentsMargins(0, 0, 0, 0);
    m_weightsLayout->addStretch(1);
    auto* scroll = m_weightsScroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setWidget(m_weights);
    // A weight's panel (its statistics line and histogram) in full: a dock shared with the
    // profile dock opened the splitter at about 70 px, the histogram cut off.
    scroll->setMinimumHeight(kWeightPanelHeight);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // the statistics wrap

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_tree);
    splitter->addWidget(scroll);
    splitter->setChildrenCollapsible(false);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);
    rebuild();
}

void PropertiesPane::setGraph(std::shared_ptr<const lb::ir::Graph> graph) {
    m_graph = std::move(graph);
    m_node = lb::ir::kNoNode;
    rebuild();
}

void PropertiesPane::setNode(lb::ir::NodeId id) {
    m_node = m_graph && m_graph->isAlive(id) ? id : lb::ir::kNoNode;
    rebuild();
}

int PropertiesPane::weightPlotCount() const {
    return static_cast<int>(m_weights->findChildren<QCustomPlot*>().size());
}

void PropertiesPane::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        rebuild(); // every row and chart is made from the graph in the current words
    QWidget::changeEvent(event);
}

void PropertiesPane::rebuild() {
    m_tree->setHeaderLabels({tr("Property"), tr("Value")});
    m_tree->clear();
    clearWeightPanels();
    m_weightsScroll->hide();
    if (!m_graph)
        return;
    if (m_node == lb::ir::kNoNode)
        showGraphIo();
    else
        showNode(m_graph->node(m_node));
    m_tree->expandAll();
    m_weightsScroll->setVisible(m_weightsLayout->count() > 1); // a panel besides the stretch
}

QTreeWidgetItem* PropertiesPane::addSection(const QString& title) {
    auto* item = new QTreeWidgetItem(m_tree, {title});
    QFont bold = item->font(0);
    bold.setBold(true);
    item->setFont(0, bold);
    item->setFirstColumnSpanned(true);
    return item;
}

void PropertiesPane::addValueRows(QTreeWidgetItem* section,
                                  const std::vector<lb::ir::ValueId>& values) {
    for (lb::ir::ValueId v : values) {
        if (v == lb::ir::kNoValue) {
            new QTreeWidgetItem(section, {tr("(omitted)"), QString()});
            continue;
        }
        QString desc = valueDescription(*m_graph, v);
        if (isWeightInput(*m_graph, v))
            desc += QLatin1Char(' ') + tr("(weight)");
        new QTreeWidgetItem(section, {QString::fromStdString(m_graph->value(v).name), desc});
    }
}

void PropertiesPane::showGraphIo() {
    auto* model = addSection(tr("Model"));
    new QTreeWidgetItem(
        model, {tr("Nodes"), UiFormat::integer(static_cast<int64_t>(m_graph->nodeCount()))});
    std::vector<lb::ir::ValueId> inputs;
    for (lb::ir::ValueId v : m_graph->inputs())
        if (!m_graph->isInitializer(v))
            inputs.push_back(v);
    addValueRows(addSection(tr("Inputs")), inputs);
    addValueRows(addSection(tr("Outputs")), m_graph->outputs());
}

void PropertiesPane::showNode(const lb::ir::Node& node) {
    auto* info = addSection(tr("Node"));
    new QTreeWidgetItem(info, {tr("Op"), QString::fromStdString(node.opType)});
    new QTreeWidgetItem(info,
                        {tr("Domain"), node.domain.empty() ? tr("ai.onnx (default)")
                                                           : QString::fromStdString(node.domain)});
    new QTreeWidgetItem(info, {tr("Name"), QString::fromStdString(node.name)});
    if (!node.docString.empty())
        new QTreeWidgetItem(info, {tr("Doc"), QString::fromStdString(node.docString)});

    if (!node.attributes.empty()) {
        auto* attrs = addSection(tr("Attributes"));
        for (const lb::ir::Attribute& a : node.attributes) {
            auto* row = new QTreeWidgetItem(
                attrs, {QString::fromStdString(a.name),
                        QString::fromStdString(lb::ir::attributeValueToString(a))});
            row->setToolTip(1, QString::fromStdString(lb::ir::attributeValueToString(a, 256)));
        }
    }
    addValueRows(addSection(tr("Inputs")), node.inputs);
    addValueRows(addSection(tr("Outputs")), node.outputs);

    // Initializers and tensors held by Constant nodes (PaddleOCR keeps its weights there); a
    // selected Constant shows its own value.
    std::vector<lb::ir::ValueId> weights = node.inputs;
    if (node.opType == "Constant")
        weights = node.outputs;
    for (lb::ir::ValueId v : weights) {
        const lb::Tensor* tensor = weightTensor(*m_graph, v);
        if (tensor == nullptr)
            continue;
        addWeightPanel(QString::fromStdString(m_graph->value(v).name),
                       computeTensorStats(*tensor, kHistogramBins));
    }
}

void PropertiesPane::clearWeightPanels() {
    while (m_weightsLayout->count() > 1) {
        QLayoutItem* item = m_weightsLayout->takeAt(0);
        delete item->widget();
        delete item;
    }
}

void PropertiesPane::addWeightPanel(const QString& name, const TensorStats& stats) {
    auto* box = new QGroupBox(name);
    box->setObjectName(QStringLiteral("weightPanel"));
    auto* layout = new QVBoxLayout(box);
    auto* text = new QLabel(box);
    text->setObjectName(QStringLiteral("weightStats"));
    text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    text->setWordWrap(true);
    text->setText(tr("%1 elements   min %2   max %3   mean %4   std %5")
                      .arg(UiFormat::integer(stats.count), UiFormat::significant(stats.min, 5),
                           UiFormat::significant(stats.max, 5),
                           UiFormat::significant(stats.mean, 5),
                           UiFormat::significant(stats.stddev, 5)));
    layout->addWidget(text);
    if (stats.nonFinite > 0)
        layout->addWidget(new QLabel(
            tr("%n non-finite value(s) left out", "", static_cast<int>(stats.nonFinite)), box));

    if (!stats.histogram.empty()) {
        auto* plot = new QCustomPlot(box);
        plot->setMinimumHeight(kHistogramHeight);
        UiFormat::applyLocale(plot);
        plot->xAxis->ticker()->setTickCount(4); // a dock is narrow: few labels, none overlap
        plot->yAxis->ticker()->setTickCount(3);
        auto* bars = new QCPBars(plot->xAxis, plot->yAxis);
        QVector<double> keys;
        QVector<double> counts;
        for (size_t b = 0; b < stats.histogram.size(); ++b) {
            keys.append(stats.min + (static_cast<double>(b) + 0.5) * stats.binWidth);
            counts.append(static_cast<double>(stats.histogram[b]));
        }
        bars->setWidth(stats.binWidth > 0 ? stats.binWidth : 1.0);
        bars->setData(keys, counts, true);
        bars->setPen(Qt::NoPen);
        bars->setBrush(QColor(0x33, 0x6f, 0xb3));
        plot->xAxis->setLabel(tr("value"));
        plot->yAxis->setLabel(tr("count"));
        plot->rescaleAxes();
        plot->yAxis->setRangeLower(0);
        layout->addWidget(plot);
    }
    m_weightsLayout->insertWidget(m_weightsLayout->count() - 1, box);
}

} // namespace lb::widgets
