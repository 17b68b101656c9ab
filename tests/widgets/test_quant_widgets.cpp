#include "project/node_map.h"
#include "quant/encoding.h"
#include "quant/histogram_observer.h"
#include "widget_test_graphs.h"
#include "widgets/encodings_table_model.h"
#include "widgets/histogram_plot.h"
#include "widgets/quant_sqnr_chart.h"
#include "widgets/quant_view.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

using lb::widgets::EncodingsTableModel;

namespace {

lb::quant::EncodingSet sampleSet() {
    lb::quant::EncodingSet set;
    set.version = "1.0.0";
    set.activations["conv1/Relu:0"] = lb::quant::perTensorEncoding(0.0, 6.0, 8, false);
    set.activations["input"] = lb::quant::perTensorEncoding(-1.0, 1.0, 8, false);
    lb::quant::Encoding w;
    w.bitwidth = 8;
    w.symmetric = true;
    w.axis = 0;
    for (double m : {0.5, 1.0, 2.0})
        w.channels.push_back(lb::quant::paramsFromMinMax(-m, m, 8, true));
    set.params["conv1.weight"] = w;
    return set;
}

} // namespace

TEST_CASE("encodings model: tree of tensors and channels passes the model tester", "[quant]") {
    EncodingsTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setEncodings(sampleSet());
    REQUIRE(model.rowCount() == 3);
    const QModelIndex weight = model.indexOf(QStringLiteral("conv1.weight"));
    REQUIRE(weight.isValid());
    CHECK(model.rowCount(weight) == 3); // one child per channel
    CHECK(model.rowCount(model.indexOf(QStringLiteral("input"))) == 0);
    CHECK(model.index(0, EncodingsTableModel::KindColumn, {}).data().toString() ==
          QStringLiteral("activation"));
    CHECK(weight.siblingAtColumn(EncodingsTableModel::KindColumn).data().toString() ==
          QStringLiteral("param"));
    const QModelIndex ch2 = model.index(2, EncodingsTableModel::MaxColumn, weight);
    CHECK(ch2.data().toDouble() == Approx(2.0).epsilon(0.01));
    CHECK(model.parent(ch2) == weight.siblingAtColumn(0));
    // Per-channel ranges are edited on the channel rows, not on the tensor row.
    CHECK_FALSE(model.flags(weight.siblingAtColumn(EncodingsTableModel::MinColumn)) &
                Qt::ItemIsEditable);
    CHECK(model.flags(ch2) & Qt::ItemIsEditable);
}

TEST_CASE("encodings model: edits are validated, nudged, undoable", "[quant]") {
    EncodingsTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setEncodings(sampleSet());
    QSignalSpy failed(&model, &EncodingsTableModel::validationFailed);
    QSignalSpy changed(&model, &EncodingsTableModel::encodingChanged);
    const QString relu = QStringLiteral("conv1/Relu:0");
    const QModelIndex max = model.indexOf(relu, EncodingsTableModel::MaxColumn);
    const QModelIndex min = model.indexOf(relu, EncodingsTableModel::MinColumn);

    // Not a number: not applied, cell marked, one line naming the tensor.
    CHECK_FALSE(model.setData(max, QStringLiteral("abc")));
    REQUIRE(failed.size() == 1);
    CHECK(failed.at(0).at(0).toString().startsWith(relu));
    CHECK(model.isInvalid(max));
    CHECK(model.encodingOf(relu)->channels.front().max == Approx(6.0));
    CHECK_FALSE(model.isModified());
    // max < min.
    CHECK_FALSE(model.setData(min, QStringLiteral("7")));
    CHECK(failed.size() == 2);
    CHECK(failed.at(1).at(0).toString().contains(QStringLiteral("max")));
    // Offset out of range for 8 bit.
    CHECK_FALSE(
        model.setData(model.indexOf(relu, EncodingsTableModel::OffsetColumn), QStringLiteral("5")));
    CHECK_FALSE(model.setData(model.indexOf(relu, EncodingsTableModel::BitwidthColumn),
                              QStringLiteral("7")));
    CHECK(changed.isEmpty());

    // A valid edit: min 0.5 is widened to hold 0, max nudged so that 0 is exact.
    REQUIRE(model.setData(max, QStringLiteral("3.1")));
    CHECK_FALSE(model.isInvalid(max));
    CHECK(changed.size() == 1);
    const lb::quant::ChannelParams p = model.encodingOf(relu)->channels.front();
    const lb::quant::ChannelParams expected = lb::quant::paramsFromMinMax(0.0, 3.1, 8, false);
    CHECK(p == expected);
    CHECK(p.min == 0.0);
    CHECK(model.isModified());
    CHECK(max.data().toDouble() == Approx(expected.max));

    // Bitwidth 16 recomputes the scale from the range.
    REQUIRE(model.setData(model.indexOf(relu, EncodingsTableModel::BitwidthColumn),
                          QStringLiteral("16")));
    CHECK(model.encodingOf(relu)->bitwidth == 16);
    CHECK(model.encodingOf(relu)->channels.front().scale ==
          Approx(expected.max / 65535.0).epsilon(1e-6));

    // A channel of the per-channel weight.
    const QModelIndex weight = model.indexOf(QStringLiteral("conv1.weight"));
    REQUIRE(
        model.setData(model.index(1, EncodingsTableModel::MaxColumn, weight), QStringLiteral("4")));
    CHECK(model.encodingOf(QStringLiteral("conv1.weight"))->channels[1].max ==
          Approx(4.0).epsilon(1e-9));

    QUndoStack* undo = model.undoStack();
    CHECK(undo->count() == 3);
    undo->undo();
    CHECK(model.encodingOf(QStringLiteral("conv1.weight"))->channels[1].max ==
          Approx(1.0).epsilon(1e-9));
    undo->undo();
    CHECK(model.encodingOf(relu)->bitwidth == 8);
    undo->undo();
    CHECK(model.encodingOf(relu)->channels.front().max == Approx(6.0));
    CHECK_FALSE(model.isModified());
    undo->redo();
    CHECK(model.encodingOf(relu)->channels.front() == expected);
    CHECK(model.isModified());
    model.setSaved();
    CHECK_FALSE(model.isModified());

    // Symmetric via the check box.
    REQUIRE(model.setData(model.indexOf(relu, EncodingsTableModel::SymmetricColumn), Qt::Checked,
                          Qt::CheckStateRole));
    CHECK(model.encodingOf(relu)->symmetric);
    CHECK(model.encodingOf(relu)->channels.front().offset == -128);
}

TEST_CASE("histogram handles: dragging the max handle edits the nudged range", "[quant]") {
    lb::quant::HistogramObserver observer;
    std::mt19937 rng(3);
    std::normal_distribution<float> normal(1.0f, 1.0f);
    std::vector<float> data(20000);
    for (float& v : data)
        v = normal(rng);
    observer.observe(data);
    const lb::quant::Encoding start =
        lb::quant::perTensorEncoding(observer.min(), observer.max(), 8, false);

    lb::widgets::HistogramPlot plot;
    plot.resize(600, 300);
    plot.show();
    REQUIRE(QTest::qWaitForWindowExposed(&plot));
    plot.setHistogram(QStringLiteral("t"), observer, start);
    plot.replot();
    REQUIRE(plot.hasHandles());
    QSignalSpy dragged(&plot, &lb::widgets::HistogramPlot::rangeDragged);
    QSignalSpy edited(&plot, &lb::widgets::HistogramPlot::rangeEdited);

    const int y = plot.height() / 2;
    const QPoint from(static_cast<int>(std::lround(plot.pixelOf(start.channels.front().max))), y);
    const QPoint to(static_cast<int>(std::lround(plot.pixelOf(2.0))), y);
    QTest::mousePress(&plot, Qt::LeftButton, Qt::NoModifier, from);
    QMouseEvent move(QEvent::MouseMove, QPointF(to), plot.mapToGlobal(QPointF(to)), Qt::NoButton,
                     Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&plot, &move);
    QTest::mouseRelease(&plot, Qt::LeftButton, Qt::NoModifier, to);

    CHECK_FALSE(dragged.isEmpty());
    REQUIRE(edited.size() == 1);
    const auto e = edited.at(0).at(1).value<lb::quant::Encoding>();
    const lb::quant::ChannelParams& c = e.channels.front();
    // The max moved to about 2.0 (one pixel is well under 0.05 here); the min stayed.
    CHECK(c.max == Approx(2.0).margin(0.05));
    CHECK(c.min == Approx(start.channels.front().min).margin(0.05));
    // Nudged: 0 is exactly representable and min/max follow from scale/offset.
    CHECK(c == lb::quant::paramsFromScaleOffset(c.scale, c.offset, 8));
    CHECK(std::abs(c.offset * c.scale - c.min) < 1e-12);
    CHECK(lb::quant::fakeQuantValue(0.0, c, 8) == 0.0);
    CHECK(plot.encoding() == e);

    // Grabbing away from both handles does nothing.
    QTest::mousePress(&plot, Qt::LeftButton, Qt::NoModifier,
                      QPoint(static_cast<int>(plot.pixelOf(0.9)), y));
    QTest::mouseRelease(&plot, Qt::LeftButton, Qt::NoModifier,
                        QPoint(static_cast<int>(plot.pixelOf(1.5)), y));
    CHECK(edited.size() == 1);
}

TEST_CASE("SQNR chart: threshold marks tensors, drag and click", "[quant]") {
    auto report = std::make_shared<lb::report::QuantReport>();
    const double dbs[] = {35.0, 12.0, 28.0, INFINITY};
    int i = 0;
    for (double db : dbs) {
        lb::report::TensorQuantStats t;
        t.tensor = "t" + std::to_string(i++);
        t.kind = "activation";
        lb::report::ErrorStats s;
        s.sqnrDb = db;
        t.cumulative = s;
        if (i == 2) {
            s.sqnrDb = 5.0;
            t.isolated = s;
        }
        report->tensors.push_back(t);
    }
    lb::widgets::QuantSqnrChart chart;
    chart.resize(600, 300);
    chart.show();
    REQUIRE(QTest::qWaitForWindowExposed(&chart));
    chart.setReport(report);
    chart.setThreshold(20.0);
    chart.replot();
    CHECK(chart.shownTensors().size() == 4);
    CHECK(chart.tensorsBelowThreshold() == QStringList{QStringLiteral("t1")});
    chart.setThreshold(30.0);
    CHECK(chart.tensorsBelowThreshold() ==
          QStringList({QStringLiteral("t1"), QStringLiteral("t2")}));

    // Drag the line down to about 10 dB: nothing under it any more.
    QSignalSpy threshold(&chart, &lb::widgets::QuantSqnrChart::thresholdChanged);
    const int x = chart.width() / 2;
    QTest::mousePress(&chart, Qt::LeftButton, Qt::NoModifier,
                      QPoint(x, static_cast<int>(std::lround(chart.thresholdPixel()))));
    const QPoint to(x, static_cast<int>(std::lround(chart.yAxis->coordToPixel(10.0))));
    QMouseEvent move(QEvent::MouseMove, QPointF(to), chart.mapToGlobal(QPointF(to)), Qt::NoButton,
                     Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&chart, &move);
    QTest::mouseRelease(&chart, Qt::LeftButton, Qt::NoModifier, to);
    REQUIRE_FALSE(threshold.isEmpty());
    CHECK(chart.threshold() == Approx(10.0).margin(1.0));
    CHECK(chart.tensorsBelowThreshold().isEmpty());

    // Clicking a bar names its tensor.
    QSignalSpy clicked(&chart, &lb::widgets::QuantSqnrChart::tensorClicked);
    QTest::mouseClick(&chart, Qt::LeftButton, Qt::NoModifier, chart.barCentre(2).toPoint());
    REQUIRE(clicked.size() == 1);
    CHECK(clicked.at(0).at(0).toString() == QStringLiteral("t2"));

    // Isolated shows only the tensors with a sensitivity run.
    chart.setMode(lb::widgets::QuantSqnrChart::Mode::Isolated);
    CHECK(chart.shownTensors() == QStringList{QStringLiteral("t1")});
    CHECK(chart.tensorsBelowThreshold() == QStringList{QStringLiteral("t1")});
}

TEST_CASE("quant view: undo and redo of an edit ask for a re-measure of that tensor", "[quant]") {
    lb::widgets::QuantView view;
    view.encodingsModel()->setEncodings(sampleSet());
    QSignalSpy remeasure(&view, &lb::widgets::QuantView::remeasureRequested);
    const QString relu = QStringLiteral("conv1/Relu:0");
    view.encodingsModel()->commitEncoding(relu, lb::quant::perTensorEncoding(0.0, 3.0, 8, false),
                                          QStringLiteral("edit"));
    view.encodingsModel()->undoStack()->undo();
    view.encodingsModel()->undoStack()->redo();
    REQUIRE(remeasure.size() == 3);
    for (const QList<QVariant>& call : remeasure) {
        CHECK(call.at(0).toString() == relu);
        CHECK_FALSE(call.at(2).toBool()); // committed, not a drag preview
    }
    const auto undone =
        remeasure.at(1).at(1).value<std::shared_ptr<const lb::quant::EncodingSet>>();
    REQUIRE(undone);
    CHECK(undone->activations.at(relu.toStdString()).channels.front().max == Approx(6.0));
}

TEST_CASE("quant view: tensors land on the graph's nodes through the engine's node map",
          "[quant]") {
    // Tensors of makeSmallGraph(): an activation shows on its producer, a weight and the graph
    // input on the node that reads them.
    const std::shared_ptr<const lb::ir::Graph> graph = lb::widgets::test::makeSmallGraph();
    auto report = std::make_shared<lb::report::QuantReport>();
    const std::pair<const char*, double> tensors[] = {
        {"relu1_out", 10.0}, {"conv1.weight", 40.0}, {"x", 30.0}};
    lb::quant::EncodingSet set;
    for (const auto& [name, db] : tensors) {
        lb::report::TensorQuantStats t;
        t.tensor = name;
        t.kind = std::string(name) == "conv1.weight" ? "weight" : "activation";
        lb::report::ErrorStats s;
        s.sqnrDb = db;
        t.cumulative = s;
        report->tensors.push_back(t);
        (t.kind == "weight" ? set.params : set.activations)[name] =
            lb::quant::perTensorEncoding(-1.0, 1.0, 8, t.kind == "weight");
    }
    lb::widgets::QuantView view;
    view.resize(1200, 500);
    view.setResult(report, set, nullptr, std::make_shared<const lb::project::NodeMap>(graph),
                   false);
    const lb::ir::NodeId conv1 = *graph->findNode("conv1"), relu1 = *graph->findNode("relu1");

    const auto overlay = view.sqnrOverlay();
    CHECK(overlay.size() == 2);
    CHECK(overlay.value(relu1) == lb::widgets::QuantView::sqnrColour(10.0));
    // conv1 reads x (30 dB) and conv1.weight (40 dB): the worst of them.
    CHECK(overlay.value(conv1) == lb::widgets::QuantView::sqnrColour(30.0));

    QSignalSpy requested(&view, &lb::widgets::QuantView::nodesRequested);
    emit view.chart()->tensorClicked(QStringLiteral("relu1_out"));
    emit view.chart()->tensorClicked(QStringLiteral("conv1.weight"));
    REQUIRE(requested.size() == 2);
    CHECK(requested.at(0).at(0).value<QList<lb::ir::NodeId>>() == QList<lb::ir::NodeId>{relu1});
    CHECK(requested.at(1).at(0).value<QList<lb::ir::NodeId>>() == QList<lb::ir::NodeId>{conv1});

    // Without a map the numbers show and nothing lands on a graph.
    view.setResult(report, set, nullptr, nullptr, false);
    CHECK(view.sqnrOverlay().isEmpty());
}
