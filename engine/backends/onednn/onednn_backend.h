#pragma once

#include "runtime/backend.h"

#include <string>
#include <vector>

namespace lb::backends::onednn {

// The host's fast path through oneDNN 2.6: float32 with blocked layouts that stay blocked between
// its own nodes, pre-packed weights and fused post-ops, and the int8 (VNNI) ops of an int8 graph.
// Nodes it declines say why (a code and a text) and fall back to the next backend (the reference
// one). See onednn_backend.cpp for exactly what it runs.
class OneDnnBackend : public runtime::Backend {
public:
    static constexpr const char* kName = "onednn";
    static constexpr const char* kFusedDomain = "ai.layerbench";

    std::string name() const override { return kName; }
    runtime::Claim capability(const ir::Graph& graph, const ir::Node& node) const override;
    // Its fusions (lowering/fusions.h): conv/gemm + residual + activation, and the output
    // affine step, into the ops its kernels run with post-ops; then, for an int8 run, the
    // int8 lowering into the int8 ops it claims.
    std::vector<runtime::LoweringCount>
    lower(ir::Graph& graph, const std::function<bool(ir::NodeId)>& mine,
          const runtime::LoweringContext& context) const override;
    std::unique_ptr<runtime::Kernel> createKernel(const runtime::KernelInfo& info) const override;
    Tensor toPlain(const Tensor& tensor) const override;

    // "ai.layerbench.FusedConv" for the fused domain, the op type otherwise; sorted.
    static std::vector<std::string> supportedOps();
};

} // namespace lb::backends::onednn
