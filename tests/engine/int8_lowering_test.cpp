// Int8 as a contract (quant/int8_lowering.h): a session hands the quantization simulation and
// the int8 lowering to its backends; each lowers the nodes it was assigned, into the int8 ops it
// claims, and what it declines stays simulated with the reason. On PaddleOCR cls.
#include "backends/onednn/onednn_backend.h"
#include "backends/reference/reference_backend.h"
#include "lowering/fusions.h"
#include "onnx/importer.h"
#include "ops/int8_ops.h"
#include "passes/graph_pass.h"
#include "quant/calibration.h"
#include "quant/calibration_data.h"
#include "quant/fake_quant_transform.h"
#include "quant/int8_lowering.h"
#include "runtime/session.h"

#include <catch2/catch.hpp>
#include <set>

using namespace lb;

namespace {

const std::string kCls = std::string(LB_MODELS_DIR) + "/ch_ppocr_mobile_v2.0_cls_infer.onnx";

// oneDNN, but declining some ops: a target whose kernel table differs.
class PickyBackend : public runtime::Backend {
public:
    explicit PickyBackend(std::set<std::string> declined) : m_declined(std::move(declined)) {}
    std::string name() const override { return "picky"; }
    runtime::Claim capability(const ir::Graph& graph, const ir::Node& node) const override {
        if (m_declined.count(node.opType))
            return runtime::Claim::declined(runtime::Decline::Op, "picky: no ", node.opType);
        return m_inner.capability(graph, node);
    }
    std::vector<runtime::LoweringCount>
    lower(ir::Graph& graph, const std::function<bool(ir::NodeId)>& mine,
          const runtime::LoweringContext& context) const override {
        // oneDNN's lowering, asking this backend's claims.
        const auto claims = [&](const ir::Node& n) { return bool(capability(graph, n)); };
        std::vector<runtime::LoweringCount> counts;
        for (const lowering::RewriteCount& c : lowering::fuseForBackend(graph, mine, claims))
            counts.push_back({c.rewrite, c.count});
        if (context.int8)
            for (runtime::LoweringCount& c : context.int8->lower(graph, mine, claims, name()))
                counts.push_back(std::move(c));
        return counts;
    }
    std::unique_ptr<runtime::Kernel> createKernel(const runtime::KernelInfo& info) const override {
        return m_inner.createKernel(info);
    }
    Tensor toPlain(const Tensor& tensor) const override { return m_inner.toPlain(tensor); }

private:
    backends::onednn::OneDnnBackend m_inner;
    std::set<std::string> m_declined;
};

struct Quantized {
    ir::Graph simulated; // after applyFakeQuant and the generic passes
    std::shared_ptr<quant::Int8Lowering> lowering;
    quant::FakeQuantResult simulation;
    quant::Sample input;
};

Quantized quantizedCls() {
    onnx::ImportOptions options;
    options.inputShapes["x"] = {1, 3, 48, 192};
    ir::Graph g = onnx::importModel(kCls, options).graph;
    const std::vector<quant::Sample> samples = quant::randomSamples(g, 3, 42);
    quant::CalibrationConfig config;
    config.perChannel = true;
    config.backend = "onednn";
    const quant::EncodingSet set = quant::computeEncodings(
        g, quant::observeActivations(g, {samples[0], samples[1]}, config), config);
    Quantized q;
    q.simulation = quant::applyFakeQuant(g, set);
    q.lowering = std::make_shared<quant::Int8Lowering>(g, set);
    passes::optimize(g, passes::genericPasses());
    q.simulated = std::move(g);
    q.input = samples[2];
    return q;
}

std::map<std::string, int> opsOn(const runtime::Session& s, const std::string& backend) {
    std::map<std::string, int> ops;
    for (const runtime::PlanStep& step : s.steps())
        if (step.backend == backend)
            ++ops[s.graph().node(step.node).opType];
    return ops;
}

runtime::SessionOptions int8Options(const Quantized& q) {
    runtime::SessionOptions options;
    options.int8 = q.lowering;
    return options;
}

} // namespace

TEST_CASE("int8 lowering: oneDNN lowers every conv of cls and most other nodes", "[int8][models]") {
    Quantized q = quantizedCls();
    auto graph = std::make_shared<const ir::Graph>(q.simulated);
    runtime::Session session(graph,
                             {std::make_shared<backends::onednn::OneDnnBackend>(),
                              std::make_shared<backends::reference::ReferenceBackend>()},
                             int8Options(q));
    const auto onednn = opsOn(session, "onednn");
    CHECK(onednn.at("QConv") == 53); // every Conv of cls
    const quant::Int8Result result = q.lowering->result(session.graph(), q.simulation);
    INFO(result.summary());
    CHECK(result.int8Nodes == 73);
    int int8Steps = 0;
    for (const runtime::PlanStep& step : session.steps())
        int8Steps += ops::isInt8Op(session.graph().node(step.node));
    CHECK(int8Steps == 73 + result.borderNodes);
    CHECK(result.borderNodes > 0);
}

TEST_CASE("int8 lowering: a backend that declines QConv keeps its convs simulated, saying why",
          "[int8][models]") {
    Quantized q = quantizedCls();
    auto graph = std::make_shared<const ir::Graph>(q.simulated);
    runtime::Session session(graph,
                             {std::make_shared<PickyBackend>(std::set<std::string>{"QConv"}),
                              std::make_shared<backends::reference::ReferenceBackend>()},
                             int8Options(q));
    const auto picky = opsOn(session, "picky");
    CHECK_FALSE(picky.count("QConv"));
    CHECK(picky.at("Conv") + (picky.count("FusedConv") ? picky.at("FusedConv") : 0) == 53);
    CHECK(picky.count("QGlobalAveragePool")); // the rest still int8
    CHECK(picky.count("QMul"));
    const quant::Int8Result result = q.lowering->result(session.graph(), q.simulation);
    int saidWhy = 0;
    for (const auto& [node, why] : result.simulated)
        saidWhy += why.find("picky does not run QConv") != std::string::npos;
    CHECK(saidWhy == 53);
    CHECK_FALSE(session.run(q.input).empty());
}

TEST_CASE("int8 lowering: nodes that fall back are lowered by the reference, in int8",
          "[int8][models]") {
    // The picky backend runs no Conv and none of the residual Adds and activations fused into
    // them: every conv
    // group falls back to the reference backend, which lowers it to its own QConv; the picky
    // backend lowers the rest. (Were the activation the picky backend's, the Conv's output would
    // have no encoding, and it would stay simulated: nothing is fused across backends.)
    Quantized q = quantizedCls();
    auto graph = std::make_shared<const ir::Graph>(q.simulated);
    runtime::Session session(graph,
                             {std::make_shared<PickyBackend>(std::set<std::string>{
                                  "Conv", "Add", "Relu", "HardSwish", "HardSigmoid", "Clip"}),
                              std::make_shared<backends::reference::ReferenceBackend>()},
                             int8Options(q));
    const quant::Int8Result result = q.lowering->result(session.graph(), q.simulation);
    for (const auto& [node, why] : result.simulated)
        UNSCOPED_INFO(node << ": " << why);
    CHECK(opsOn(session, "reference")["QConv"] == 53);
    CHECK_FALSE(opsOn(session, "picky").count("QConv"));
    for (const runtime::PlanStep& step : session.steps())
        if (session.graph().node(step.node).opType == "QConv")
            CHECK(step.fallbackCode == "unsupported-op");
    REQUIRE(session.lowerings().size() == 2);
    CHECK(session.lowerings()[1].backend == "reference");
    // The same int8 ops, split differently, give the bytes the oneDNN-only session gives.
    runtime::Session onednn(graph,
                            {std::make_shared<backends::onednn::OneDnnBackend>(),
                             std::make_shared<backends::reference::ReferenceBackend>()},
                            int8Options(quantizedCls()));
    const std::vector<Tensor> a = session.run(q.input), b = onednn.run(q.input);
    REQUIRE(a.size() == b.size());
    for (size_t k = 0; k < a.size(); ++k)
        for (int64_t i = 0; i < a[k].numel(); ++i)
            CHECK(a[k].data<float>()[i] == b[k].data<float>()[i]);
}
