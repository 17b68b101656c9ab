#pragma once

#include "runtime/backend.h"

namespace lb::backends::reference {

// The ground truth: a plain, obviously-correct float32 kernel (plus integer/bool kernels for
// shape, index and cast ops, and the int8 ops of ops/int8_ops.h, whose bytes these kernels
// define) for every op in its table. Nodes it declines say why (a code and a text), without
// building anything.
class ReferenceBackend : public runtime::Backend {
public:
    static constexpr const char* kName = "reference";

    std::string name() const override { return kName; }
    runtime::Claim capability(const ir::Graph& graph, const ir::Node& node) const override;
    // A float run: nothing (the ground truth runs the graph node for node). An int8 run: the
    // fusions the int8 ops take (lowering/fusions.h), then the int8 lowering into its plain int8
    // kernels, the ground truth of every int8 backend.
    std::vector<runtime::LoweringCount>
    lower(ir::Graph& graph, const std::function<bool(ir::NodeId)>& mine,
          const runtime::LoweringContext& context) const override;
    std::unique_ptr<runtime::Kernel> createKernel(const runtime::KernelInfo& info) const override;

    // Op types in the kernel tables ("ai.layerbench.FusedConv" for LayerBench's own), sorted.
    static std::vector<std::string> supportedOps();
};

} // namespace lb::backends::reference
