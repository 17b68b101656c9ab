#include "widgets/op_count_model.h"
#include "widgets/summary_pane.h"
#include "widgets/tensor_table_model.h"

#include <QAbstractItemModelTester>
#include <catch2/catch.hpp>

namespace {
QStringList g_warnings;
void collect(QtMsgType type, const QMessageLogContext&, const QString& msg) {
    if (type != QtDebugMsg && type != QtInfoMsg)
        g_warnings.append(msg);
}

lb::report::ModelSummary sampleSummary() {
    lb::report::ModelSummary s;
    s.path = "/models/cls.onnx";
    s.irVersion = 7;
    s.opsets[""] = 11;
    s.producer = "PaddlePaddle";
    s.inputs = {{"x", "float32", "?x3x48x192"}};
    s.outputs = {{"save_infer_model/scale_0.tmp_1", "float32", "?x2"},
                 {"aux", "int64", ""},
                 {"maps", "float32", "p2o.DynamicDimension.0x1xunk__7xmax_len"}};
    s.ops = {{"Conv", 53}, {"Relu", 30}, {"Add", 30}, {"HardSigmoid", 9}, {"Softmax", 1}};
    s.params = 583'000;
    s.paramBytes = 583'000 * 4;
    s.macs = 21'400'000;
    s.nodes.resize(123);
    return s;
}
} // namespace

TEST_CASE("summary pane models pass QAbstractItemModelTester through resets", "[summary]") {
    g_warnings.clear();
    const QtMessageHandler previous = qInstallMessageHandler(collect);
    {
        lb::widgets::SummaryPane pane;
        QAbstractItemModelTester tensors(pane.tensorModel(),
                                         QAbstractItemModelTester::FailureReportingMode::Warning);
        QAbstractItemModelTester ops(pane.opModel(),
                                     QAbstractItemModelTester::FailureReportingMode::Warning);
        pane.setSummary(sampleSummary());
        pane.setSummary({});
        pane.setSummary(sampleSummary());

        auto* t = pane.tensorModel();
        REQUIRE(t->rowCount() == 4);
        CHECK(t->index(0, 0).data().toString() == QStringLiteral("input"));
        CHECK(t->index(0, 1).data().toString() == QStringLiteral("x"));
        CHECK(t->index(0, 3).data().toString() == QStringLiteral("?x3x48x192"));
        CHECK(t->index(2, 0).data().toString() == QStringLiteral("output"));
        CHECK(t->index(2, 3).data().toString() == QStringLiteral("unknown"));
        // Generated dim names read as "?" (the tooltip keeps them); a user's own name stays.
        CHECK(t->index(3, 3).data().toString() == QStringLiteral("?x1x?xmax_len"));
        CHECK(t->index(3, 3).data(Qt::ToolTipRole).toString() ==
              QStringLiteral("p2o.DynamicDimension.0x1xunk__7xmax_len"));

        auto* o = pane.opModel();
        REQUIRE(o->rowCount() == 5);
        // Most frequent first; equal counts by name.
        CHECK(o->index(0, 0).data().toString() == QStringLiteral("Conv"));
        CHECK(o->index(1, 0).data().toString() == QStringLiteral("Add"));
        CHECK(o->index(2, 0).data().toString() == QStringLiteral("Relu"));
        CHECK(o->index(4, 1).data().toLongLong() == 1);

        const QString info = pane.infoText();
        INFO(info.toStdString());
        CHECK(info.contains(QStringLiteral("/models/cls.onnx")));
        CHECK(info.contains(QStringLiteral("IR version: 7")));
        CHECK(info.contains(QStringLiteral("ai.onnx 11")));
        CHECK(info.contains(QStringLiteral("PaddlePaddle")));
        CHECK(info.contains(QStringLiteral("583.0 k parameters")));
        CHECK(info.contains(QStringLiteral("21.40 M MACs")));
        CHECK(info.contains(QStringLiteral("123 nodes")));
    }
    qInstallMessageHandler(previous);
    INFO(g_warnings.join(QLatin1Char('\n')).toStdString());
    CHECK(g_warnings.isEmpty());
}
