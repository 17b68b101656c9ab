// Every view shows the state it claims (issue #10 item 6): the quantization view after an edit,
// selection kept in step between charts and tables, charts emptied with their report, a search
// that stops matching; and the graph legend and bias histograms of item 9.
#include "project/node_map.h"
#include "quant/encoding.h"
#include "quant/histogram_observer.h"
#include "widget_test_graphs.h"
#include "widgets/empty_chart.h"
#include "widgets/encodings_editor.h"
#include "widgets/encodings_table_model.h"
#include "widgets/graph_scene_builder.h"
#include "widgets/graph_view.h"
#include "widgets/histogram_plot.h"
#include "widgets/profile_table_model.h"
#include "widgets/profile_view.h"
#include "widgets/quant_sqnr_chart.h"
#include "widgets/quant_view.h"
#include "widgets/search_bar.h"

#include <QItemSelectionModel>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTreeView>
#include <catch2/catch.hpp>
#include <cmath>
#include <qcustomplot.h>
#include <random>

using lb::widgets::EmptyChart;
using lb::widgets::EncodingsTableModel;
using lb::widgets::QuantView;

namespace {

const QString kInput = QStringLiteral("input");
const QString kRelu = QStringLiteral("conv1/Relu:0");
const QString kWeight = QStringLiteral("conv1.weight");
const QString kUnencoded = QStringLiteral("prob"); // measured, but has no row in the table

lb::quant::EncodingSet encodings() {
    lb::quant::EncodingSet set;
    set.version = "1.0.0";
    set.activations[kRelu.toStdString()] = lb::quant::perTensorEncoding(0.0, 6.0, 8, false);
    set.activations[kInput.toStdString()] = lb::quant::perTensorEncoding(-1.0, 1.0, 8, false);
    set.params[kWeight.toStdString()] = lb::quant::perTensorEncoding(-0.5, 0.5, 8, true);
    return set;
}

lb::report::ErrorStats stats(double db) {
    lb::report::ErrorStats s;
    s.sqnrDb = db;
    s.count = 100;
    return s;
}

std::shared_ptr<lb::report::QuantReport> quantReport() {
    auto r = std::make_shared<lb::report::QuantReport>();
    r->outputError = stats(13.06);
    r->top1Agreement = 0.9;
    const std::pair<QString, double> tensors[] = {
        {kInput, 41.0}, {kWeight, 35.5}, {kRelu, 22.25}, {kUnencoded, 30.0}};
    for (const auto& [name, db] : tensors) {
        lb::report::TensorQuantStats t;
        t.tensor = name.toStdString();
        t.kind = name == kWeight ? "weight" : "activation";
        t.cumulative = stats(db);
        t.isolated = stats(db + 10);
        r->tensors.push_back(t);
    }
    return r;
}

std::shared_ptr<const QuantView::Histograms> histograms() {
    auto h = std::make_shared<QuantView::Histograms>();
    std::mt19937 rng(7);
    std::normal_distribution<float> normal(2.0f, 1.0f);
    std::vector<float> values(5000);
    for (const QString& name : {kInput, kRelu, kWeight}) {
        for (float& v : values)
            v = std::clamp(normal(rng), 0.0f, 5.9f);
        (*h)[name.toStdString()].observe(values);
    }
    return h;
}

// A whole, visible quantization view holding the report above.
struct QuantFixture {
    QuantView view;
    QuantFixture() {
        view.resize(1200, 500);
        view.show();
        REQUIRE(QTest::qWaitForWindowExposed(&view));
        view.setResult(quantReport(), encodings(), histograms(), nullptr, false);
        view.chart()->replot();
    }
    QString tableTensor() const {
        QTreeView* table = view.editor()->view();
        return view.encodingsModel()->tensorAt(table->currentIndex());
    }
    QModelIndexList selectedRows() const {
        return view.editor()->view()->selectionModel()->selectedRows();
    }
};

void dragHandle(lb::widgets::HistogramPlot* plot, double from, double to) {
    const int y = plot->height() / 2;
    const QPoint start(static_cast<int>(std::lround(plot->pixelOf(from))), y);
    const QPoint end(static_cast<int>(std::lround(plot->pixelOf(to))), y);
    QTest::mousePress(plot, Qt::LeftButton, Qt::NoModifier, start);
    QMouseEvent move(QEvent::MouseMove, QPointF(end), plot->mapToGlobal(QPointF(end)), Qt::NoButton,
                     Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(plot, &move);
    QTest::mouseRelease(plot, Qt::LeftButton, Qt::NoModifier, end);
}

lb::quant::ProbeResult probe(double ownDb, double outputDb) {
    lb::quant::ProbeResult r;
    r.tensor.cumulative = stats(ownDb);
    r.tensor.isolated = stats(ownDb + 5);
    r.outputError = stats(outputDb);
    r.top1Agreement = 0.85;
    return r;
}

} // namespace

TEST_CASE("quant view: after a typed edit or a handle drag the info line and headline describe "
          "the edited tensor's new numbers",
          "[quant][state]") {
    QuantFixture f;
    QuantView& view = f.view;
    EncodingsTableModel* model = view.encodingsModel();
    QSignalSpy requested(&view, &QuantView::remeasureRequested);

    view.showTensor(kRelu);
    CHECK(view.remeasureText().isEmpty()); // nothing edited yet

    // A typed edit: until its numbers come, the line says they are being measured.
    REQUIRE(model->setData(model->indexOf(kRelu, EncodingsTableModel::MaxColumn),
                           QStringLiteral("3.1")));
    REQUIRE(requested.size() == 1);
    CHECK(view.remeasureText().contains(kRelu));
    CHECK(view.remeasureText().contains(QStringLiteral("measuring")));
    view.applyRemeasure(kRelu, probe(17.25, 13.49), 12.0, false);
    CHECK(view.remeasureText().contains(kRelu));
    CHECK(view.remeasureText().contains(QStringLiteral("own SQNR 17.25 dB")));
    CHECK(view.remeasureText().contains(QStringLiteral("output SQNR 13.49 dB")));
    CHECK(view.headlineText().contains(QStringLiteral("Output SQNR 13.49 dB")));
    CHECK(view.chart()->sqnrOf(kRelu) == Approx(17.25));

    // Another tensor selected: the line no longer speaks of the edited one beside its histogram.
    view.showTensor(kInput);
    CHECK(view.histogram()->tensor() == kInput);
    CHECK_FALSE(view.remeasureText().contains(kRelu));
    // Back on the edited one: its last numbers again.
    view.showTensor(kRelu);
    CHECK(view.remeasureText().contains(QStringLiteral("own SQNR 17.25 dB")));

    // A drag of the weight's max handle: a preview while dragging, then the committed edit; the
    // line follows the dragged tensor, not the one edited before.
    view.showTensor(kWeight);
    view.tabs()->setCurrentIndex(0);
    lb::widgets::HistogramPlot* plot = view.histogram();
    plot->replot();
    REQUIRE(plot->hasHandles());
    requested.clear();
    dragHandle(plot, plot->encoding().channels.front().max, 0.3);
    REQUIRE(requested.size() >= 2);
    CHECK(requested.first().at(2).toBool());      // preview while dragging
    CHECK_FALSE(requested.last().at(2).toBool()); // the release commits
    CHECK(requested.last().at(0).toString() == kWeight);
    CHECK(view.remeasureText().contains(kWeight));
    CHECK(view.remeasureText().contains(QStringLiteral("measuring")));
    CHECK_FALSE(view.remeasureText().contains(kRelu));
    view.applyRemeasure(kWeight, probe(28.5, 12.75), 9.0, false);
    CHECK(view.remeasureText().contains(QStringLiteral("%1: own SQNR 28.50 dB").arg(kWeight)));
    CHECK(view.headlineText().contains(QStringLiteral("Output SQNR 12.75 dB")));

    // A failed measure says so instead of keeping "measuring".
    REQUIRE(model->setData(model->indexOf(kWeight, EncodingsTableModel::MaxColumn),
                           QStringLiteral("0.25")));
    view.remeasureFailed(kWeight, QStringLiteral("conv1.weight: out of memory"));
    CHECK(view.remeasureText().contains(QStringLiteral("could not be measured")));
    CHECK_FALSE(view.remeasureText().contains(QStringLiteral("measuring")));

    // Whole new numbers (a re-analysis): no line about an edit they already include.
    view.setReport(quantReport());
    CHECK(view.remeasureText().isEmpty());
}

TEST_CASE("quant view: a bar click selects its table row and a table row selects its bar",
          "[quant][state]") {
    QuantFixture f;
    QuantView& view = f.view;
    lb::widgets::QuantSqnrChart* chart = view.chart();
    REQUIRE(chart->shownTensors().size() == 4);

    view.showTensor(kInput);
    REQUIRE(f.tableTensor() == kInput);
    for (int i = 0; i < chart->shownTensors().size(); ++i) {
        const QString tensor = chart->shownTensors()[i];
        QTest::mouseClick(chart, Qt::LeftButton, Qt::NoModifier, chart->barCentre(i).toPoint());
        INFO("bar " << i << ": " << tensor.toStdString());
        CHECK(view.selectedTensor() == tensor);
        CHECK(chart->selectedTensor() == tensor);
        CHECK(chart->selectionShown());
        if (tensor == kUnencoded) {
            // No row for it: the table must not stay on the row clicked before.
            CHECK_FALSE(view.editor()->view()->currentIndex().isValid());
            CHECK(f.selectedRows().isEmpty());
        } else {
            CHECK(f.tableTensor() == tensor);
            REQUIRE(f.selectedRows().size() == 1);
            CHECK(view.encodingsModel()->tensorAt(f.selectedRows().front()) == tensor);
            CHECK(view.histogram()->tensor() == tensor);
        }
    }

    // The other way: a row chosen in the table marks its bar.
    view.tabs()->setCurrentIndex(1);
    QTreeView* table = view.editor()->view();
    table->setCurrentIndex(view.encodingsModel()->indexOf(kRelu));
    CHECK(chart->selectedTensor() == kRelu);
    CHECK(chart->selectionShown());
    CHECK(view.histogram()->tensor() == kRelu);
    QTest::keyClick(table, Qt::Key_Down); // the next row, by keyboard
    const QString next = f.tableTensor();
    INFO("row below " << kRelu.toStdString() << ": " << next.toStdString());
    CHECK(next != kRelu);
    CHECK(chart->selectedTensor() == next);

    // Cleared (another model opened): no tensor is marked.
    view.clear();
    CHECK(chart->selectedTensor().isEmpty());
    CHECK_FALSE(chart->selectionShown());
}

namespace {
std::shared_ptr<lb::report::ProfileReport> profileReport() {
    auto r = std::make_shared<lb::report::ProfileReport>();
    r->backend = "reference";
    r->iterations = 4;
    r->runsMs = {2.0, 2.2, 2.1, 3.0};
    r->latencyMs = lb::report::latencyStats(r->runsMs);
    auto node = [](uint32_t id, const char* name, double ms, double share) {
        lb::report::NodeProfile n;
        n.id = id;
        n.name = name;
        n.op = "Conv";
        n.backend = "reference";
        n.timeMs = ms;
        n.share = share;
        return n;
    };
    r->nodes = {node(0, "conv0", 1.2, 0.6), node(3, "relu", 0.2, 0.03), node(5, "fc", 0.6, 0.37)};
    r->nodes[0].covers = {"conv1"};
    r->nodes[1].covers = {"relu1"};
    r->nodes[2].covers = {"fc"};
    return r;
}

// The report's rows on makeSmallGraph(), as the engine maps them.
std::shared_ptr<const lb::project::NodeMap>
smallGraphMap(std::shared_ptr<const lb::report::ProfileReport> report) {
    return std::make_shared<const lb::project::NodeMap>(lb::widgets::test::makeSmallGraph(),
                                                        std::move(report));
}

// Screen position of the top-layers bar that stands for report node `name`.
QPoint barOf(QCustomPlot* chart, const lb::report::ProfileReport& r, const std::string& name) {
    auto* bars = qobject_cast<QCPBars*>(chart->plottable(0));
    REQUIRE(bars);
    double ms = 0;
    for (const auto& n : r.nodes)
        if (n.name == name)
            ms = n.timeMs;
    for (int i = 0; i < bars->dataCount(); ++i)
        if (bars->data()->at(i)->value == ms) {
            const double key = bars->data()->at(i)->key;
            return QPoint(static_cast<int>(chart->xAxis->coordToPixel(ms / 2)),
                          static_cast<int>(chart->yAxis->coordToPixel(key)));
        }
    FAIL("no bar for " << name);
    return {};
}
} // namespace

TEST_CASE("profile view: a bar click selects its table row and a table row selects its bar",
          "[profile][state]") {
    lb::widgets::ProfileView view;
    view.resize(1200, 400);
    view.show();
    REQUIRE(QTest::qWaitForWindowExposed(&view));
    const auto report = profileReport();
    const auto nodes = smallGraphMap(report);
    view.setReport(report, nodes);
    QCustomPlot* chart = view.topLayersChart();
    chart->replot();
    QTableView* table = view.table();
    auto* proxy = qobject_cast<QSortFilterProxyModel*>(table->model());
    REQUIRE(proxy);
    auto rowOf = [&](int node) { return proxy->mapFromSource(view.model()->index(node, 0)); };
    auto currentNode = [&] { return proxy->mapToSource(table->currentIndex()).row(); };

    table->setCurrentIndex(rowOf(0)); // conv0
    REQUIRE(currentNode() == 0);
    QSignalSpy requested(&view, &lb::widgets::ProfileView::nodesRequested);
    QTest::mouseClick(chart, Qt::LeftButton, Qt::NoModifier, barOf(chart, *report, "fc"));
    REQUIRE(requested.size() == 1);
    CHECK(requested.at(0).at(0).value<QList<lb::ir::NodeId>>() ==
          QList<lb::ir::NodeId>{*nodes->nodeId("fc")});
    CHECK(currentNode() == 2); // the table left conv0's row for fc's
    CHECK(table->selectionModel()->isRowSelected(rowOf(2).row(), {}));
    CHECK(view.selectedReportNode() == 2);

    // A row chosen in the table marks its bar: relu is the shortest, the bottom bar (index 0).
    table->setCurrentIndex(rowOf(1));
    CHECK(view.selectedReportNode() == 1);
    CHECK(view.selectedTopBar() == 0);
    table->setCurrentIndex(rowOf(0));
    CHECK(view.selectedTopBar() == 2);
}

namespace {
void requireEmpty(QCustomPlot* plot, const QCustomPlot* fresh) {
    INFO(plot->objectName().toStdString());
    CHECK(EmptyChart::isShown(plot));
    for (int i = 0; i < plot->plottableCount(); ++i)
        CHECK(plot->plottable(i)->interface1D()->dataCount() == 0);
    // Not an axis, range or tick of the report shown before: as if nothing had been shown.
    CHECK(plot->xAxis->range() == fresh->xAxis->range());
    CHECK(plot->yAxis->range() == fresh->yAxis->range());
    CHECK(EmptyChart::message(plot) == EmptyChart::message(fresh));
}
} // namespace

TEST_CASE("empty charts: cleared profile and quantization charts keep nothing of the last report",
          "[profile][quant][state]") {
    lb::widgets::ProfileView fresh, used;
    for (auto* view : {&fresh, &used}) {
        view->resize(1200, 400);
        view->show();
        REQUIRE(QTest::qWaitForWindowExposed(view));
    }
    const auto report = profileReport();
    used.setReport(report, smallGraphMap(report));
    const auto charts = {QStringLiteral("topLayersChart"), QStringLiteral("opTypeChart"),
                         QStringLiteral("latencyChart")};
    for (const QString& name : charts) {
        const auto* chart = used.findChild<QCustomPlot*>(name);
        REQUIRE(chart);
        CHECK_FALSE(EmptyChart::isShown(chart));
    }
    used.clear(); // what opening another model does
    for (const QString& name : charts) {
        requireEmpty(used.findChild<QCustomPlot*>(name), fresh.findChild<QCustomPlot*>(name));
        CHECK(EmptyChart::message(used.findChild<QCustomPlot*>(name)) ==
              QStringLiteral("No run yet"));
    }

    QuantView freshQuant;
    QuantFixture f;
    f.view.showTensor(kRelu);
    CHECK_FALSE(EmptyChart::isShown(f.view.chart()));
    CHECK_FALSE(EmptyChart::isShown(f.view.histogram()));
    // Numbers dropped while a re-analysis runs: no bars or threshold of the old numbers.
    f.view.dropNumbers(QStringLiteral("Measuring..."));
    requireEmpty(f.view.chart(), freshQuant.chart());
    f.view.clear();
    requireEmpty(f.view.chart(), freshQuant.chart());
    requireEmpty(f.view.histogram(), freshQuant.histogram());
    CHECK(f.view.histogram()->tensor().isEmpty());

    // Filled again, the axes come back.
    f.view.setResult(quantReport(), encodings(), histograms(), nullptr, false);
    CHECK_FALSE(EmptyChart::isShown(f.view.chart()));
}

TEST_CASE("search: a query that stops matching clears the hit an earlier prefix selected",
          "[search][state]") {
    const auto g = lb::widgets::test::makeSmallGraph();
    lb::widgets::GraphView view;
    view.resize(800, 600);
    view.show();
    view.setScene(
        std::make_shared<const lb::widgets::GraphScene>(lb::widgets::buildGraphScene(*g)));
    lb::widgets::SearchBar bar;
    bar.setGraph(g);
    QObject::connect(&bar, &lb::widgets::SearchBar::nodeRequested, &view,
                     [&view](lb::ir::NodeId id) { view.selectNode(id, true); });
    QSignalSpy selected(&view, &lb::widgets::GraphView::nodeSelected);
    bar.activate();
    auto* edit = bar.findChild<QLineEdit*>(QStringLiteral("searchEdit"));
    REQUIRE(edit);

    QTest::keyClicks(edit, QStringLiteral("soft"));
    REQUIRE(bar.hitCount() == 1);
    CHECK(view.selectedNode() == *g->findNode("prob"));
    QTest::keyClicks(edit, QStringLiteral("xq")); // "softxq": nothing
    CHECK(bar.statusText() == QStringLiteral("No matches"));
    CHECK(view.selectedNode() == lb::ir::kNoNode);
    REQUIRE_FALSE(selected.isEmpty());
    CHECK(selected.last().at(0).value<lb::ir::NodeId>() == lb::ir::kNoNode); // properties follow

    // A node the user picked while the query matched nothing is theirs: more letters keep it.
    view.selectNode(*g->findNode("fc"));
    QTest::keyClicks(edit, QStringLiteral("z"));
    CHECK(bar.statusText() == QStringLiteral("No matches"));
    CHECK(view.selectedNode() == *g->findNode("fc"));

    // Matching again selects the new hit.
    edit->clear();
    QTest::keyClicks(edit, QStringLiteral("pool"));
    CHECK(view.selectedNode() == *g->findNode("pool"));
}

TEST_CASE("histogram: an int32 bias range and far outliers leave the values readable",
          "[quant][histogram]") {
    lb::widgets::HistogramPlot plot;
    plot.resize(600, 300);
    plot.show();
    REQUIRE(QTest::qWaitForWindowExposed(&plot));
    std::mt19937 rng(11);
    std::normal_distribution<float> normal(0.05f, 0.2f);
    auto shown = [&plot] {
        double total = 0;
        for (auto it = plot.graph(0)->data()->constBegin(); it != plot.graph(0)->data()->constEnd();
             ++it)
            total += it->value >= 1.0 ? it->value : 0.0; // empty bars sit at 0.5 on the log axis
        return total;
    };
    auto filledBars = [&plot] {
        int n = 0;
        for (auto it = plot.graph(0)->data()->constBegin(); it != plot.graph(0)->data()->constEnd();
             ++it)
            n += it->value >= 1.0;
        return n;
    };

    // A bias of 64 values with QNN's int32 encoding: +-2^31 * scale is about +-215k.
    std::vector<float> bias(64);
    for (float& v : bias)
        v = normal(rng);
    lb::quant::HistogramObserver biasHistogram;
    biasHistogram.observe(bias);
    const lb::quant::Encoding int32 =
        lb::quant::perTensorEncoding(-214748.3648, 214748.3647, 32, true);
    plot.setHistogram(QStringLiteral("conv.b"), biasHistogram, int32);
    const double spread = biasHistogram.max() - biasHistogram.min();
    CHECK(plot.xAxis->range().size() < 1.5 * spread);
    CHECK(plot.xAxis->range().contains(biasHistogram.min()));
    CHECK(plot.xAxis->range().contains(biasHistogram.max()));
    CHECK(shown() == Approx(64));
    CHECK(filledBars() >= 10); // the spread of the values, not one spike
    CHECK_FALSE(plot.hasHandles());
    CHECK(plot.title().contains(QStringLiteral("32-bit")));

    // 20,000 values around 0 and five at 400. With a clipped range (as percentile calibration
    // gives) the axis is the values' robust range and the five are counted in the last bar.
    std::vector<float> values(20000);
    std::normal_distribution<float> unit(0.0f, 1.0f);
    for (float& v : values)
        v = unit(rng);
    for (int i = 0; i < 5; ++i)
        values[static_cast<size_t>(i) * 1000] = 400.0f;
    lb::quant::HistogramObserver act;
    act.observe(values);
    plot.setHistogram(QStringLiteral("act"), act,
                      lb::quant::perTensorEncoding(-3.0, 3.0, 8, false));
    CHECK(plot.xAxis->range().upper < 10.0);
    CHECK(plot.hasHandles());
    CHECK(shown() == Approx(20000));
    CHECK(plot.graph(0)->data()->at(plot.graph(0)->data()->size() - 1)->value >= 5);
    // A range out to the outliers (minmax): the axis reaches them and draws them where they are.
    plot.setEncoding(lb::quant::perTensorEncoding(act.min(), 400.0, 8, false));
    CHECK(plot.hasHandles());
    CHECK(plot.xAxis->range().contains(400.0));
    CHECK(shown() == Approx(20000));
    CHECK(plot.graph(0)->data()->at(plot.graph(0)->data()->size() - 1)->key > 390.0);
}

namespace {
// `chains` parallel chains of `length` Relus from x, joined by a Concat: a block of boxes that a
// fit spreads over the whole viewport, corners included.
std::shared_ptr<lb::ir::Graph> gridGraph(int chains, int length) {
    auto g = std::make_shared<lb::ir::Graph>();
    auto value = [&g](const std::string& name) {
        const lb::ir::ValueId v = g->addValue(name);
        g->value(v).dtype = lb::DataType::Float32;
        g->value(v).shape = lb::symbolicShape(lb::Shape{1, 8});
        return v;
    };
    auto node = [&g](const std::string& name, const std::string& op,
                     std::vector<lb::ir::ValueId> inputs, std::vector<lb::ir::ValueId> outputs) {
        lb::ir::Node n;
        n.name = name;
        n.opType = op;
        n.inputs = std::move(inputs);
        n.outputs = std::move(outputs);
        g->addNode(std::move(n));
    };
    const lb::ir::ValueId x = value("x");
    g->inputs().push_back(x);
    std::vector<lb::ir::ValueId> ends;
    for (int c = 0; c < chains; ++c) {
        lb::ir::ValueId in = x;
        for (int i = 0; i < length; ++i) {
            const std::string name = "c" + std::to_string(c) + "_" + std::to_string(i);
            const lb::ir::ValueId out = value(name + "_out");
            node(name, "Relu", {in}, {out});
            in = out;
        }
        ends.push_back(in);
    }
    const lb::ir::ValueId y = value("y");
    node("concat", "Concat", ends, {y});
    g->outputs().push_back(y);
    return g;
}

// Every node box of the scene, in viewport pixels.
QList<QRectF> nodeRects(const lb::widgets::GraphView& view) {
    QList<QRectF> rects;
    for (const lb::widgets::SceneNode& n : view.scene()->nodes())
        rects.append(
            QRectF(view.mapFromScene(n.rect.topLeft()), view.mapFromScene(n.rect.bottomRight())));
    return rects;
}

// Every node coloured, with the SQNR overlay's legend: six rows.
void showSqnrLegend(lb::widgets::GraphView& view, const lb::ir::Graph& g) {
    QHash<lb::ir::NodeId, QColor> colours;
    for (lb::ir::NodeId id : g.nodeIds())
        colours.insert(id, Qt::green);
    view.setNodeOverlay(colours, {{QStringLiteral("SQNR < 10 dB"), Qt::red},
                                  {QStringLiteral("10 - 20 dB"), Qt::red},
                                  {QStringLiteral("20 - 30 dB"), Qt::yellow},
                                  {QStringLiteral("30 - 40 dB"), Qt::green},
                                  {QStringLiteral(">= 40 dB"), Qt::green},
                                  {QStringLiteral("no quantized tensor"), Qt::gray}});
}
} // namespace

TEST_CASE("graph view: a fitted graph stays clear of the legend, and a click folds the legend",
          "[view][legend]") {
    const auto g = gridGraph(6, 6);
    lb::widgets::GraphView view;
    view.show();
    view.setScene(
        std::make_shared<const lb::widgets::GraphScene>(lb::widgets::buildGraphScene(*g)));
    showSqnrLegend(view, *g);
    // Wide, tall and square viewports, so the fit is bound by either side.
    QList<QSize> sizes;
    for (int w = 300; w <= 1300; w += 100)
        for (int h = 200; h <= 900; h += 100)
            sizes.append(QSize(w, h));
    int coveredSizes = 0; // viewport sizes where the legend hides a node
    for (const QSize& size : sizes) {
        view.resize(size);
        view.fitToView();
        const QRect legend = view.legendRect();
        REQUIRE_FALSE(legend.isEmpty());
        INFO(size.width() << "x" << size.height() << ", legend " << legend.width() << "x"
                          << legend.height());
        int covered = 0;
        for (const QRectF& r : nodeRects(view)) {
            covered += r.intersects(QRectF(legend));
            // The whole graph is still in view.
            CHECK(QRectF(view.viewport()->rect()).adjusted(-1, -1, 1, 1).contains(r));
        }
        CHECK(covered == 0);
        coveredSizes += covered > 0;
    }
    INFO("sizes where the legend hid a node: " << coveredSizes << " of " << sizes.size());
    CHECK(coveredSizes == 0);

    // A click on the legend folds it to its title (and selects nothing under it); another opens
    // it again.
    view.resize(700, 700);
    view.fitToView();
    const QRect open = view.legendRect();
    QSignalSpy selected(&view, &lb::widgets::GraphView::nodeSelected);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, open.center());
    CHECK(view.legendCollapsed());
    CHECK(view.legendRect().height() < open.height() / 2);
    CHECK(selected.isEmpty());
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, view.legendRect().center());
    CHECK_FALSE(view.legendCollapsed());
    CHECK(view.legendRect() == open);
}

TEST_CASE("graph view: in a graph too big to fit, any node scrolls clear of the legend",
          "[view][legend]") {
    // Thirty chains of sixty: opened at a readable zoom, it scrolls both ways.
    const auto g = gridGraph(30, 60);
    lb::widgets::GraphView view;
    view.resize(700, 500);
    view.show();
    view.setScene(
        std::make_shared<const lb::widgets::GraphScene>(lb::widgets::buildGraphScene(*g)));
    showSqnrLegend(view, *g);
    QScrollBar* h = view.horizontalScrollBar();
    QScrollBar* v = view.verticalScrollBar();
    REQUIRE(h->maximum() > h->minimum());
    REQUIRE(v->maximum() > v->minimum());
    const QRectF legend(view.legendRect());
    REQUIRE_FALSE(legend.isEmpty());
    // Scrolled fully left, the legend's column holds no node, wherever the view is vertically.
    h->setValue(h->minimum());
    int positions = 0;
    for (int y = v->minimum(); y <= v->maximum(); y += std::max(1, v->pageStep() / 2)) {
        v->setValue(y);
        INFO("vertical scroll " << y << " of " << v->minimum() << ".." << v->maximum());
        int covered = 0;
        int shown = 0;
        for (const QRectF& r : nodeRects(view)) {
            covered += r.intersects(legend);
            shown += r.intersects(QRectF(view.viewport()->rect()));
        }
        CHECK(covered == 0);
        CHECK(shown > 0); // the graph is in view, not scrolled away
        ++positions;
    }
    CHECK(positions > 3);
}
