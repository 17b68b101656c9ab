#pragma once

#include "ir/graph.h"
#include "quant/encoding_set.h"
#include "quant/int8_transform.h"
#include "runtime/backend.h"

#include <map>
#include <mutex>
#include <string>

namespace lb::quant {

// Int8 as a contract between quantization and the backends. A run hands the session the
// quantization simulation (applyFakeQuant: every encoded tensor behind a FakeQuant, i.e. a QDQ
// pair) and this lowering. The session partitions that graph, and each backend, after its own
// fusions, calls lower() on the nodes it was assigned: every FakeQuant -> op -> FakeQuant group
// that an int8 op of ops/int8_ops.h covers, and that the backend claims, becomes that op on
// uint8 tensors (the rewrites of quant/int8_rewrite.h); the rest stays simulated, with the
// reason. The reference backend's plain int8 kernels are the ground truth of every int8 backend.
class Int8Lowering : public runtime::Int8Lowering {
public:
    // `simulated`: the graph right after applyFakeQuant, before any pass (the weights' 8-bit grid
    // is read from it); `encodings`: the set that was applied.
    Int8Lowering(ir::Graph simulated, EncodingSet encodings);

    std::vector<runtime::LoweringCount> lower(ir::Graph& graph,
                                              const std::function<bool(ir::NodeId)>& mine,
                                              const std::function<bool(const ir::Node&)>& accept,
                                              const std::string& backend) override;

    // A FakeQuant.
    bool groupsWithProducer(const ir::Node& n) const override;

    // What the backends made of the session's graph (Session::graph()), once it is built.
    Int8Result result(const ir::Graph& lowered, FakeQuantResult simulation) const;

private:
    ir::Graph m_simulated;
    EncodingSet m_encodings;
    mutable std::mutex m_mutex;
    int m_int8Nodes = 0;
    std::map<std::string, std::string> m_why; // node name -> why it stays simulated
};

} // namespace lb::quant
