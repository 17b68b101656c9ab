#include "quant/int8_lowering.h"

#include "ops/fake_quant_op.h"
#include "ops/fused_ops.h"
#include "quant/int8_rewrite.h"

namespace lb::quant {

Int8Lowering::Int8Lowering(ir::Graph simulated, EncodingSet encodings)
    : m_simulated(std::move(simulated)), m_encodings(std::move(encodings)) {}

std::vector<runtime::LoweringCount>
Int8Lowering::lower(ir::Graph& graph, const std::function<bool(ir::NodeId)>& mine,
                    const std::function<bool(const ir::Node&)>& accept,
                    const std::string& backend) {
    int8::Rewriter rewriter(graph, m_simulated, m_encodings);
    rewriter.mine = mine;
    rewriter.accept = accept;
    rewriter.backend = backend;
    std::map<std::string, std::string> why;
    int8::rewriteAll(rewriter, why);
    std::lock_guard lock(m_mutex);
    m_int8Nodes += rewriter.int8Nodes;
    for (auto& [node, reason] : why)
        m_why[node] = std::move(reason);
    if (rewriter.int8Nodes == 0)
        return {};
    return {{"int8", rewriter.int8Nodes}};
}

bool Int8Lowering::groupsWithProducer(const ir::Node& n) const {
    return n.opType == ops::kFakeQuantOp && n.domain == ops::kLayerBenchDomain;
}

Int8Result Int8Lowering::result(const ir::Graph& lowered, FakeQuantResult simulation) const {
    std::lock_guard lock(m_mutex);
    return summarizeInt8(lowered, std::move(simulation), m_int8Nodes, m_why);
}

} // namespace lb::quant
