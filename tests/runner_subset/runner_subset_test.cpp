// The runner subset (core, ir, ops, runtime, backends/reference, report) on its own: a graph built
// in code runs on the reference backend and gives what plain loops here compute, its summary counts
// the MACs, and a report of the run reads back from JSON. It links only those modules, so it also
// builds where oneDNN, protobuf and Qt are absent (tests/runner_subset/check.sh).
#include "backends/reference/reference_backend.h"
#include "report/model_summary.h"
#include "report/profile_report.h"
#include "runtime/session.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

using namespace lb;

namespace {

constexpr int64_t kC = 2, kH = 5, kW = 5; // input x: 1 x kC x kH x kW
constexpr int64_t kM = 3;                 // Conv output channels (3x3, pads 1: same H, W)
constexpr int64_t kK = kM * kH * kW;      // features after Reshape
constexpr int64_t kN = 4;                 // MatMul outputs

// Deterministic, sign-mixed values that are not all alike.
std::vector<float> pattern(int64_t n, float scale, int phase) {
    std::vector<float> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i)
        v[i] = scale * static_cast<float>(((i * 7 + phase) % 11) - 5);
    return v;
}

Tensor floats(Shape shape, const std::vector<float>& values) {
    Tensor t(DataType::Float32, std::move(shape));
    std::copy(values.begin(), values.end(), t.data<float>());
    return t;
}

struct Weights {
    std::vector<float> w = pattern(kM * kC * 3 * 3, 0.1f, 1); // Conv [M, C, 3, 3]
    std::vector<float> b = pattern(kM, 0.05f, 2);             // Conv bias [M]
    std::vector<float> shift = pattern(kM, 0.2f, 3);          // Add, broadcast [M, 1, 1]
    std::vector<float> fc = pattern(kK * kN, 0.01f, 4);       // MatMul [K, N]
    std::vector<float> fcBias = pattern(kN, 0.3f, 5);         // Add [N]
};

// x -> Conv(w, b; pads 1) -> Relu -> Add(shift) -> Reshape([1, K]) -> MatMul(fc) -> Add(fcBias)
std::shared_ptr<ir::Graph> buildGraph(const Weights& p) {
    auto g = std::make_shared<ir::Graph>();
    g->name = "runner_subset";
    g->opsetImports[""] = 17;
    auto value = [&](const std::string& name, Shape shape) {
        const ir::ValueId v = g->addValue(name);
        g->value(v).dtype = DataType::Float32;
        g->value(v).shape = symbolicShape(shape);
        return v;
    };
    auto initializer = [&](const std::string& name, Tensor t) {
        const ir::ValueId v = g->addValue(name);
        g->setInitializer(v, std::move(t));
        return v;
    };
    auto node = [&](const std::string& name, const std::string& op, std::vector<ir::ValueId> inputs,
                    ir::ValueId output, std::vector<ir::Attribute> attributes = {}) {
        ir::Node n;
        n.name = name;
        n.opType = op;
        n.inputs = std::move(inputs);
        n.outputs = {output};
        n.attributes = std::move(attributes);
        g->addNode(std::move(n));
    };
    const ir::ValueId x = value("x", {1, kC, kH, kW});
    g->inputs().push_back(x);
    const ir::ValueId w = initializer("w", floats({kM, kC, 3, 3}, p.w));
    const ir::ValueId b = initializer("b", floats({kM}, p.b));
    const ir::ValueId shift = initializer("shift", floats({kM, 1, 1}, p.shift));
    Tensor shapeData(DataType::Int64, {2});
    shapeData.data<int64_t>()[0] = 1;
    shapeData.data<int64_t>()[1] = kK;
    const ir::ValueId shape = initializer("shape", shapeData);
    const ir::ValueId fc = initializer("fc", floats({kK, kN}, p.fc));
    const ir::ValueId fcBias = initializer("fc_bias", floats({kN}, p.fcBias));

    const ir::ValueId conv = value("conv", {1, kM, kH, kW});
    node("conv1", "Conv", {x, w, b}, conv,
         {ir::intsAttribute("kernel_shape", {3, 3}), ir::intsAttribute("pads", {1, 1, 1, 1})});
    const ir::ValueId relu = value("relu", {1, kM, kH, kW});
    node("relu1", "Relu", {conv}, relu);
    const ir::ValueId shifted = value("shifted", {1, kM, kH, kW});
    node("add1", "Add", {relu, shift}, shifted);
    const ir::ValueId flat = value("flat", {1, kK});
    node("reshape1", "Reshape", {shifted, shape}, flat);
    const ir::ValueId mm = value("mm", {1, kN});
    node("matmul1", "MatMul", {flat, fc}, mm);
    const ir::ValueId y = value("y", {1, kN});
    node("add2", "Add", {mm, fcBias}, y);
    g->outputs().push_back(y);
    return g;
}

// The same computation as plain loops.
std::vector<float> expected(const std::vector<float>& x, const Weights& p) {
    std::vector<float> features(kK);
    for (int64_t m = 0; m < kM; ++m)
        for (int64_t i = 0; i < kH; ++i)
            for (int64_t j = 0; j < kW; ++j) {
                double acc = p.b[m];
                for (int64_t c = 0; c < kC; ++c)
                    for (int64_t ki = 0; ki < 3; ++ki)
                        for (int64_t kj = 0; kj < 3; ++kj) {
                            const int64_t si = i + ki - 1, sj = j + kj - 1;
                            if (si < 0 || si >= kH || sj < 0 || sj >= kW)
                                continue;
                            acc += static_cast<double>(x[(c * kH + si) * kW + sj]) *
                                   p.w[((m * kC + c) * 3 + ki) * 3 + kj];
                        }
                features[(m * kH + i) * kW + j] =
                    static_cast<float>(std::max(acc, 0.0) + p.shift[m]);
            }
    std::vector<float> y(kN);
    for (int64_t n = 0; n < kN; ++n) {
        double acc = p.fcBias[n];
        for (int64_t k = 0; k < kK; ++k)
            acc += static_cast<double>(features[k]) * p.fc[k * kN + n];
        y[n] = static_cast<float>(acc);
    }
    return y;
}

} // namespace

TEST_CASE("a Conv/Relu/Add/Reshape/MatMul graph built in code runs on the reference backend") {
    const Weights p;
    const auto graph = buildGraph(p);
    runtime::Session session(graph, {std::make_shared<backends::reference::ReferenceBackend>()});
    REQUIRE(session.steps().size() == 6);
    for (const runtime::PlanStep& step : session.steps())
        CHECK(step.backend == "reference");

    std::vector<std::vector<float>> wants;
    for (int sample = 0; sample < 2; ++sample) {
        const std::vector<float> x = pattern(kC * kH * kW, 0.25f, sample * 3);
        const std::vector<Tensor> out = session.run({{"x", floats({1, kC, kH, kW}, x)}});
        REQUIRE(out.size() == 1);
        REQUIRE(out[0].shape() == Shape{1, kN});
        wants.push_back(expected(x, p));
        for (int64_t n = 0; n < kN; ++n) {
            INFO("sample " << sample << ", output " << n);
            CHECK(out[0].data<float>()[n] == Approx(wants.back()[n]).epsilon(1e-5).margin(1e-5));
        }
    }
    // The two samples give different outputs, so matching both says more than a constant would.
    CHECK(std::abs(wants[0][0] - wants[1][0]) > 1e-3);
}

TEST_CASE("the runner subset's report module summarizes the graph and reads its JSON back") {
    const Weights p;
    const auto graph = buildGraph(p);
    const report::ModelSummary summary = report::summarize(*graph);
    REQUIRE(summary.nodes.size() == 6);
    for (const report::NodeSummary& n : summary.nodes) {
        if (n.op == "Conv")
            CHECK(n.macs == kM * kH * kW * kC * 3 * 3);
        if (n.op == "MatMul")
            CHECK(n.macs == kK * kN);
    }
    CHECK(summary.params == kM * kC * 9 + kM + kM + 2 + kK * kN + kN);

    runtime::Session session(graph, {std::make_shared<backends::reference::ReferenceBackend>()});
    report::ProfileReport r;
    r.model = "runner_subset";
    r.backend = "reference";
    r.iterations = 1;
    r.runsMs = {1.5};
    r.latencyMs = report::latencyStats(r.runsMs);
    for (const runtime::PlanStep& step : session.steps()) {
        report::NodeProfile n;
        n.id = step.node;
        n.name = graph->node(step.node).name;
        n.op = graph->node(step.node).opType;
        n.backend = step.backend;
        r.nodes.push_back(n);
    }
    const report::ProfileReport back = report::profileReportFromJson(report::toJson(r));
    CHECK(back.model == r.model);
    CHECK(back.backend == "reference");
    CHECK(back.latencyMs.p50 == Approx(1.5));
    REQUIRE(back.nodes.size() == r.nodes.size());
    for (size_t i = 0; i < r.nodes.size(); ++i) {
        CHECK(back.nodes[i].name == r.nodes[i].name);
        CHECK(back.nodes[i].op == r.nodes[i].op);
        CHECK(back.nodes[i].backend == "reference");
    }
}
