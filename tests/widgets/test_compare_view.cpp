#include "project/node_map.h"
#include "run/targets.h"
#include "widget_test_graphs.h"
#include "widgets/compare_charts.h"
#include "widgets/compare_view.h"
#include "widgets/comparison_data.h"
#include "widgets/comparison_table_model.h"
#include "widgets/empty_chart.h"
#include "widgets/target_texts.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QFile>
#include <QImage>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <catch2/catch.hpp>
#include <cmath>
#include <qcustomplot.h>

using lb::widgets::CompareCharts;
using lb::widgets::CompareView;
using lb::widgets::ComparisonData;
using lb::widgets::ComparisonTableModel;

namespace {

lb::report::NodeProfile row(const char* name, const char* op, double ms,
                            std::vector<std::string> covers, const char* fallback = "") {
    lb::report::NodeProfile n;
    n.name = name;
    n.op = op;
    n.timeMs = ms;
    n.covers = std::move(covers);
    n.fallback.code = fallback;
    return n;
}

lb::report::ProfileReport report(const char* target, const char* precision,
                                 std::vector<double> runs, double sqnr) {
    lb::report::ProfileReport r;
    r.target = target;
    r.backend = target;
    r.precision = precision;
    r.runsMs = std::move(runs);
    r.iterations = static_cast<int>(r.runsMs.size());
    r.latencyMs = lb::report::latencyStats(r.runsMs);
    r.throughputPerS = 1000.0 / r.latencyMs.mean;
    r.peakRssMb = 100;
    r.accuracy.reference = "cpu-fp32";
    r.accuracy.sqnrDb = sqnr;
    r.accuracy.maxAbsError = std::isinf(sqnr) ? 0.0 : 0.01;
    return r;
}

// cpu-fp32 fuses conv1 + relu1 into one kernel; mobile-cpu runs them apart; gpu-fp16 fuses them
// too and has no row for pool (as if its passes folded it).
std::shared_ptr<const lb::report::Comparison> makeComparison() {
    auto c = std::make_shared<lb::report::Comparison>();
    c->reference = "cpu-fp32";
    c->rounds = 3;
    std::vector<double> runs;
    for (int i = 1; i <= 21; ++i)
        runs.push_back(i);
    auto cpu = report("cpu-fp32", "fp32", runs, HUGE_VAL);
    cpu.nodes = {row("conv1", "FusedConv", 2.0, {"conv1", "relu1"}),
                 row("pool", "GlobalAveragePool", 1.0, {"pool"})};
    auto mobile = report("mobile-cpu", "fp32", {4, 5, 6}, 40.0);
    mobile.nodes = {row("conv1", "Conv", 1.0, {"conv1"}), row("relu1", "Relu", 0.5, {"relu1"}),
                    row("pool", "GlobalAveragePool", 2.0, {"pool"}, "unsupported-op")};
    auto gpu = report("gpu-fp16", "fp16", {7, 8, 9}, 60.0);
    gpu.nodes = {row("conv1_relu", "FusedConv", 3.0, {"conv1", "relu1"})};
    c->reports = {cpu, mobile, gpu};
    return c;
}

} // namespace

TEST_CASE("comparison data matches rows across targets by the ONNX nodes they cover", "[compare]") {
    const ComparisonData data(makeComparison());
    REQUIRE(data.targetCount() == 3);
    const auto& layers = data.layers();
    REQUIRE(layers.size() == 2);
    // The fused kernel and its unfused parts are one layer, summed per target.
    CHECK(layers[0].nodes == std::vector<std::string>{"conv1", "relu1"});
    CHECK(layers[0].timeMs[0] == 2.0);
    CHECK(layers[0].timeMs[1] == 1.5);
    CHECK(layers[0].timeMs[2] == 3.0);
    CHECK(layers[0].op == "FusedConv");
    CHECK(layers[1].nodes == std::vector<std::string>{"pool"});
    CHECK(layers[1].timeMs[0] == 1.0);
    CHECK(layers[1].timeMs[1] == 2.0);
    CHECK_FALSE(layers[1].timeMs[2].has_value());
    CHECK(CompareCharts::layerLabel(layers[0]) == QStringLiteral("conv1 +1"));

    CHECK(data.fastestTarget("relu1") == 1);
    CHECK(data.fastestTarget("conv1") == 1);
    CHECK(data.fastestTarget("pool") == 0);
    CHECK_FALSE(data.fastestTarget("conv2").has_value());
    CHECK(data.ratio("conv1", 0, 1) == Approx(2.0 / 1.5));
    CHECK(data.ratio("pool", 1, 0) == Approx(2.0));
    CHECK_FALSE(data.ratio("pool", 2, 0).has_value());

    // p5 as numpy interpolates it: 5 % of the way through 1..21 is 2.
    CHECK(data.p5Ms(0) == Approx(2.0));
    CHECK(data.p5Ms(1) == Approx(4.1));
    CHECK(data.fallbackCount(1) == 1);
    CHECK(data.fallbackCount(0) == 0);

    // Op types: the fused op on two targets, the unfused on one.
    REQUIRE(data.opTypes().size() == 4);
    CHECK(data.opTypes()[0].op == "FusedConv");
    CHECK(data.opTypes()[0].timeMs == std::vector<double>{2.0, 0.0, 3.0});
}

TEST_CASE("two reports of one target are told apart", "[compare]") {
    auto c = std::make_shared<lb::report::Comparison>(*makeComparison());
    c->reports.push_back(c->reports[0]);
    c->reports.back().source = "device";
    c->reports.back().device = "R58M";
    const ComparisonData data(c);
    CHECK(data.targetLabel(0) == QStringLiteral("cpu-fp32 #1"));
    CHECK(data.targetLabel(3) == QStringLiteral("cpu-fp32 (R58M)"));
    CHECK(data.targetLabel(1) == QStringLiteral("mobile-cpu"));
}

TEST_CASE("the comparison table has one row per target and exports as CSV", "[compare]") {
    ComparisonTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setComparison(std::make_shared<const ComparisonData>(makeComparison()));
    REQUIRE(model.rowCount() == 3);
    CHECK(model.columnCount() == ComparisonTableModel::ColumnCount);
    CHECK(model.data(model.index(1, ComparisonTableModel::TargetColumn)).toString() ==
          QStringLiteral("mobile-cpu"));
    CHECK(model.data(model.index(0, ComparisonTableModel::SqnrColumn)).toString() ==
          QStringLiteral("\u221e"));
    CHECK(model
              .data(model.index(1, ComparisonTableModel::FallbacksColumn),
                    ComparisonTableModel::SortRole)
              .toInt() == 1);
    const QStringList lines = model.toCsv().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    REQUIRE(lines.size() == 4);
    CHECK(lines[0] ==
          QStringLiteral("target,precision,p50_ms,p95_ms,p99_ms,mean_ms,"
                         "throughput_per_s,peak_rss_mb,sqnr_db,max_abs_error,fallbacks"));
    CHECK(lines[1] == QStringLiteral("cpu-fp32,fp32,11,20,20.8,11,90.9091,100,inf,0,0"));
    CHECK(lines[2] == QStringLiteral("mobile-cpu,fp32,5,5.9,5.98,5,200,100,40,0.01,1"));
    model.setComparison(std::make_shared<const ComparisonData>());
    CHECK(model.rowCount() == 0);
}

TEST_CASE("chart CSVs hold what the charts show", "[compare]") {
    const ComparisonData data(makeComparison());
    CHECK(CompareCharts::layersCsv(data, 10) ==
          QStringLiteral("layer,op,nodes,cpu-fp32_ms,mobile-cpu_ms,gpu-fp16_ms\n"
                         "conv1 +1,FusedConv,conv1 relu1,2,1.5,3\n"
                         "pool,GlobalAveragePool,pool,1,2,\n"));
    CHECK(CompareCharts::layersCsv(data, 1).count(QLatin1Char('\n')) == 2);
    CHECK(CompareCharts::latencyCsv(data) == QStringLiteral("target,p5_ms,p50_ms,p95_ms,runs\n"
                                                            "cpu-fp32,2,11,20,21\n"
                                                            "mobile-cpu,4.1,5,5.9,3\n"
                                                            "gpu-fp16,7.1,8,8.9,3\n"));
    CHECK(CompareCharts::accuracyCsv(data) ==
          QStringLiteral("target,p50_ms,sqnr_db,max_abs_error,reference_target\n"
                         "cpu-fp32,11,inf,0,cpu-fp32\n"
                         "mobile-cpu,5,40,0.01,cpu-fp32\n"
                         "gpu-fp16,8,60,0.01,cpu-fp32\n"));
    CHECK(CompareCharts::opTypesCsv(data, 2) ==
          QStringLiteral("op,cpu-fp32_ms,mobile-cpu_ms,gpu-fp16_ms\n"
                         "FusedConv,2,0,3\n"
                         "GlobalAveragePool,1,2,0\n"));
}

TEST_CASE("the latency chart draws the median with p5-p95 whiskers", "[compare]") {
    const ComparisonData data(makeComparison());
    QCustomPlot plot;
    CompareCharts::fillLatency(&plot, data);
    CHECK_FALSE(lb::widgets::EmptyChart::isShown(&plot));
    std::vector<QCPErrorBars*> whiskers;
    for (int i = 0; i < plot.plottableCount(); ++i)
        if (auto* w = qobject_cast<QCPErrorBars*>(plot.plottable(i)))
            whiskers.push_back(w);
    REQUIRE(whiskers.size() == 3);
    auto* bars = qobject_cast<QCPBars*>(whiskers[0]->dataPlottable());
    REQUIRE(bars);
    CHECK(bars->data()->at(0)->value == 11.0);
    CHECK(whiskers[0]->data()->at(0).errorMinus == Approx(11.0 - 2.0));
    CHECK(whiskers[0]->data()->at(0).errorPlus == Approx(20.0 - 11.0));

    // A log time axis keeps the fast targets readable beside a slow one; bars start on it.
    QCustomPlot layers;
    CompareCharts::fillLayers(&layers, data, 10, true);
    CHECK(layers.xAxis->scaleType() == QCPAxis::stLogarithmic);
    CHECK(layers.xAxis->range().lower == Approx(0.1)); // a decade under the shortest bar (1 ms)
    auto* first = qobject_cast<QCPBars*>(layers.plottable(0));
    REQUIRE(first);
    CHECK(first->baseValue() == Approx(0.1));
    CompareCharts::fillLayers(&layers, data, 10, false);
    CHECK(layers.xAxis->scaleType() == QCPAxis::stLinear);

    QCustomPlot empty;
    CompareCharts::fillLatency(&empty, ComparisonData());
    CHECK(lb::widgets::EmptyChart::isShown(&empty));
    CHECK(lb::widgets::EmptyChart::message(&empty).startsWith(QStringLiteral("No comparison yet")));
}

TEST_CASE("the graph is coloured by the fastest target or by the ratio of two", "[compare]") {
    auto graph = lb::widgets::test::makeSmallGraph();
    auto map = std::make_shared<const lb::project::NodeMap>(graph);
    CompareView view;
    view.setGraph(map);
    view.setComparison(makeComparison());
    auto id = [&](const char* name) { return *map->nodeId(name); };
    QSignalSpy changed(&view, &CompareView::graphColoursChanged);

    CHECK(view.graphOverlay().isEmpty()); // no compare colours until asked
    view.setGraphColours(CompareView::FastestColours);
    CHECK(changed.count() == 1);
    auto overlay = view.graphOverlay();
    CHECK(overlay.size() == 3); // conv1, relu1, pool; the rest has no time (grey)
    CHECK(overlay.value(id("conv1")) == CompareCharts::targetColour(1));
    CHECK(overlay.value(id("relu1")) == CompareCharts::targetColour(1));
    CHECK(overlay.value(id("pool")) == CompareCharts::targetColour(0));
    CHECK_FALSE(overlay.contains(id("conv2")));
    CHECK(view.graphLegend().size() == 3);
    CHECK(view.graphLegend()[1].first.contains(QStringLiteral("mobile-cpu")));

    // cpu-fp32 against mobile-cpu: 2.0 / 1.5 on conv1 + relu1, 1 / 2 on pool.
    view.setGraphColours(CompareView::RatioColours, 0, 1);
    overlay = view.graphOverlay();
    CHECK(overlay.size() == 3);
    CHECK(overlay.value(id("conv1")) == CompareCharts::ratioColour(1.5));
    CHECK(overlay.value(id("pool")) == CompareCharts::ratioColour(0.5));
    CHECK(CompareCharts::ratioColour(1.5) != CompareCharts::ratioColour(1.0));
    CHECK(CompareCharts::ratioColour(0.5) != CompareCharts::ratioColour(1.0));
    CHECK(CompareCharts::ratioColour(0.4) != CompareCharts::ratioColour(0.5));
    CHECK(CompareCharts::ratioColour(1.1) == CompareCharts::ratioColour(0.9));
    CHECK(view.graphLegend().front().first.contains(QStringLiteral("cpu-fp32")));
    // gpu-fp16 has no pool: only the fused layer gets a colour.
    view.setGraphColours(CompareView::RatioColours, 2, 0);
    overlay = view.graphOverlay();
    CHECK(overlay.size() == 2);
    CHECK(overlay.value(id("relu1")) == CompareCharts::ratioColour(1.5));

    view.setGraphColours(CompareView::NoGraphColours);
    CHECK(view.graphOverlay().isEmpty());
}

TEST_CASE("the compare view's settings, empty state and exports", "[compare]") {
    CompareView view;
    // One check box per named target, nothing spelled by hand.
    for (const lb::run::TargetInfo& t : lb::run::namedTargets()) {
        REQUIRE(view.targetBox(t.name));
        CHECK(lb::widgets::TargetTexts::isKnown(t.title));
        CHECK(lb::widgets::TargetTexts::isKnown(t.description));
    }
    CHECK(view.headlineText().startsWith(QStringLiteral("No comparison yet")));
    CHECK_FALSE(view.compareButton()->isEnabled()); // no model
    view.setCanCompare(true);
    CHECK(view.compareButton()->isEnabled());
    QCheckBox* npu = view.targetBox("npu-int8");
    CHECK_FALSE(npu->isEnabled());
    view.setEncodingsCount(12);
    CHECK(npu->isEnabled());
    CHECK(npu->isChecked());

    CompareView::Settings settings;
    settings.targets = {"cpu-fp32", "reference"};
    settings.rounds = 2;
    settings.iterations = 4;
    settings.threads = 2;
    view.setSettings(settings);
    QSignalSpy requested(&view, &CompareView::compareRequested);
    view.compareButton()->click();
    REQUIRE(requested.count() == 1);
    const auto asked = requested.at(0).at(0).value<CompareView::Settings>();
    CHECK(asked.targets == settings.targets);
    CHECK(asked.rounds == 2);
    CHECK(asked.iterations == 4);
    CHECK(asked.threads == 2);

    view.setRunning(true);
    CHECK_FALSE(view.compareButton()->isEnabled());
    CHECK(view.cancelButton()->isEnabled());
    QSignalSpy cancel(&view, &CompareView::cancelRequested);
    view.cancelButton()->click();
    CHECK(cancel.count() == 1);
    view.setRunning(false);

    view.resize(1000, 400);
    view.setComparison(makeComparison());
    CHECK(view.headlineText().contains(QStringLiteral("mobile-cpu")));
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("latency.png"));
    REQUIRE(view.exportChart(CompareView::LatencyChart, CompareView::Png, png));
    CHECK_FALSE(QImage(png).isNull());
    const QString svg = dir.filePath(QStringLiteral("layers.svg"));
    REQUIRE(view.exportChart(CompareView::LayersChart, CompareView::Svg, svg));
    QFile svgFile(svg);
    REQUIRE(svgFile.open(QIODevice::ReadOnly));
    const QByteArray svgText = svgFile.readAll();
    CHECK(svgText.contains("<svg"));
    CHECK(svgText.contains("conv1 +1"));
    const QString csv = dir.filePath(QStringLiteral("table.csv"));
    REQUIRE(view.exportChart(CompareView::TableChart, CompareView::Csv, csv));
    QFile csvFile(csv);
    REQUIRE(csvFile.open(QIODevice::ReadOnly));
    CHECK(QString::fromUtf8(csvFile.readAll()) == view.tableModel()->toCsv());
    CHECK_FALSE(view.exportChart(CompareView::TableChart, CompareView::Png, png));
    CHECK_FALSE(view.exportChart(CompareView::LatencyChart, CompareView::Png,
                                 dir.filePath(QStringLiteral("missing/x.png"))));

    view.clear();
    CHECK(view.headlineText().startsWith(QStringLiteral("No comparison yet")));
    CHECK(lb::widgets::EmptyChart::isShown(view.chart(CompareView::LayersChart)));
}
