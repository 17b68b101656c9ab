// Fusions belong to targets: the session partitions first, then each backend fuses only the
// nodes it was assigned, and only into ops it claims (Backend::lower, lowering/fusions.h).
#include "lowering/fusions.h"
#include "onednn_test_util.h"
#include "runtime/claim.h"

#include <set>

using namespace lbtest;

namespace {

// oneDNN's kernels, but a backend that declines some ops and some fusions: stands for a target
// whose kernel table differs (XNNPACK runs no FusedConv with a residual and hard-swish).
class PickyBackend : public runtime::Backend {
public:
    PickyBackend(std::set<std::string> declinedOps, bool fusedHardSwish)
        : m_declined(std::move(declinedOps)), m_fusedHardSwish(fusedHardSwish) {}
    std::string name() const override { return "picky"; }
    runtime::Claim capability(const ir::Graph& graph, const ir::Node& node) const override {
        if (m_declined.count(node.opType))
            return runtime::Claim::declined(runtime::Decline::Op, "picky: no ", node.opType);
        const ir::Attribute* act = node.attribute("activation");
        if (!m_fusedHardSwish && node.opType == "FusedConv" && act && act->s == "HardSwish")
            return runtime::Claim::declined(runtime::Decline::Attribute,
                                            "picky: no fused hard-swish");
        return m_inner.capability(graph, node);
    }
    std::vector<runtime::LoweringCount> lower(ir::Graph& graph,
                                              const std::function<bool(ir::NodeId)>& mine,
                                              const runtime::LoweringContext&) const override {
        std::vector<runtime::LoweringCount> counts;
        for (const auto& c : lowering::fuseForBackend(
                 graph, mine, [&](const ir::Node& n) { return bool(capability(graph, n)); }))
            counts.push_back({c.rewrite, c.count});
        return counts;
    }
    std::unique_ptr<runtime::Kernel> createKernel(const runtime::KernelInfo& info) const override {
        return m_inner.createKernel(info);
    }
    Tensor toPlain(const Tensor& tensor) const override { return m_inner.toPlain(tensor); }

private:
    backends::onednn::OneDnnBackend m_inner;
    std::set<std::string> m_declined;
    bool m_fusedHardSwish;
};

// x -> Conv -> Add(x) -> activation -> GlobalAveragePool
std::shared_ptr<ir::Graph> residualBlock(const std::string& activation) {
    GraphBuilder b;
    const Shape s{1, 8, 10, 10};
    ir::ValueId x = b.input("x", s);
    ir::ValueId c =
        b.node("Conv", {x, b.constant("w", randomTensor({8, 8, 3, 3}, 71, -0.3f, 0.3f))}, "c", s,
               {attrInts("pads", {1, 1, 1, 1})});
    ir::ValueId sum = b.node("Add", {c, x}, "sum", s);
    ir::ValueId a = b.node(activation, {sum}, "act", s);
    b.output(b.node("GlobalAveragePool", {a}, "y", Shape{1, 8, 1, 1}));
    return b.graph();
}

std::vector<std::string> opsOf(const runtime::Session& session) {
    std::vector<std::string> ops;
    for (const runtime::PlanStep& step : session.steps())
        ops.push_back(session.graph().node(step.node).opType + "@" + step.backend);
    return ops;
}

} // namespace

TEST_CASE("lowering: oneDNN fuses the residual Add and the activation into its Conv",
          "[lowering]") {
    auto g = residualBlock("HardSwish");
    runtime::Session session(g, {onednnBackend(), referenceBackend()});
    CHECK(opsOf(session) ==
          std::vector<std::string>{"FusedConv@onednn", "GlobalAveragePool@onednn"});
    REQUIRE(session.lowerings().size() == 1);
    CHECK(session.lowerings()[0].backend == "onednn");
    REQUIRE(session.lowerings()[0].rewrites.size() == 1);
    CHECK(session.lowerings()[0].rewrites[0].rewrite == "fuse-conv-activation");
    CHECK(session.lowerings()[0].rewrites[0].count == 2); // the Add, then the hard-swish
    const ir::Node& fused = session.graph().node(session.steps()[0].node);
    CHECK(fused.fusedFrom == std::vector<std::string>{"c_node", "sum_node", "act_node"});
    // The given graph is untouched, and the fused session computes what the plain one does.
    CHECK(g->nodeCount() == 4);
    const std::map<std::string, Tensor> in{{"x", randomTensor({1, 8, 10, 10}, 72)}};
    CHECK(relativeError(session.run(in)[0], runGraph(g, false, in)[0]) <= 1e-4);
}

TEST_CASE("lowering: nothing is fused across backends", "[lowering]") {
    // The activation falls back to the reference: the Conv keeps its Add but not the activation.
    auto g = residualBlock("Relu");
    std::shared_ptr<const runtime::Backend> picky =
        std::make_shared<PickyBackend>(std::set<std::string>{"Relu"}, true);
    runtime::Session session(g, {picky, referenceBackend()});
    CHECK(opsOf(session) ==
          std::vector<std::string>{"FusedConv@picky", "Relu@reference", "GlobalAveragePool@picky"});
    const ir::Node& fused = session.graph().node(session.steps()[0].node);
    CHECK_FALSE(fused.attribute("activation"));
    CHECK(session.steps()[1].fallbackCode == "unsupported-op");
    const std::map<std::string, Tensor> in{{"x", randomTensor({1, 8, 10, 10}, 73)}};
    CHECK(relativeError(session.run(in)[0], runGraph(g, false, in)[0]) <= 1e-4);
}

TEST_CASE("lowering: a backend fuses only into ops it claims", "[lowering]") {
    // No fused hard-swish on this target: the residual is fused, the hard-swish runs alone, on
    // the same backend.
    auto g = residualBlock("HardSwish");
    std::shared_ptr<const runtime::Backend> picky =
        std::make_shared<PickyBackend>(std::set<std::string>{}, false);
    runtime::Session session(g, {picky, referenceBackend()});
    CHECK(opsOf(session) == std::vector<std::string>{"FusedConv@picky", "HardSwish@picky",
                                                     "GlobalAveragePool@picky"});
    const std::map<std::string, Tensor> in{{"x", randomTensor({1, 8, 10, 10}, 74)}};
    CHECK(relativeError(session.run(in)[0], runGraph(g, false, in)[0]) <= 1e-4);
}

TEST_CASE("lowering: the reference backend runs the graph node for node", "[lowering]") {
    auto g = residualBlock("Relu");
    runtime::Session session(g, {referenceBackend()});
    CHECK(session.lowerings().empty());
    CHECK(opsOf(session) == std::vector<std::string>{"Conv@reference", "Add@reference",
                                                     "Relu@reference",
                                                     "GlobalAveragePool@reference"});
}

TEST_CASE("lowering: a node that fell back keeps its reason after its backend fused it",
          "[lowering]") {
    // Conv and Add decline on the picky backend and fuse on oneDNN, the next in line; the Relu
    // stays on the picky backend, apart.
    auto g = residualBlock("Relu");
    std::shared_ptr<const runtime::Backend> picky =
        std::make_shared<PickyBackend>(std::set<std::string>{"Conv", "Add"}, true);
    runtime::Session session(g, {picky, onednnBackend(), referenceBackend()});
    CHECK(opsOf(session) ==
          std::vector<std::string>{"FusedConv@onednn", "Relu@picky", "GlobalAveragePool@picky"});
    CHECK(session.steps()[0].fallbackCode == "unsupported-op");
    CHECK_THAT(session.steps()[0].fallbackReason, Catch::Contains("picky: no Conv"));
}

TEST_CASE("lowering: off, the session runs the graph as given", "[lowering]") {
    auto g = residualBlock("Relu");
    runtime::SessionOptions options;
    options.lower = false;
    runtime::Session session(g, {onednnBackend(), referenceBackend()}, options);
    CHECK(session.lowerings().empty());
    CHECK(session.steps().size() == 4);
}
