#pragma once

#include "runtime/backend.h"

#include <string>
#include <vector>

namespace lb::backends::xnnpack {

// The mobile-cpu target: XNNPACK (Debian 12's 2022 snapshot, create / setup / run operators),
// float32 and int8 (ops/int8_ops.h), with activations fused into convolutions as the output clamp.
// Between its own nodes 4-D tensors stay NHWC (a private layout); at the partition's borders they
// are NCHW. Nodes it declines say why and fall back to the next backend. See xnnpack_backend.cpp
// for exactly what it runs.
class XnnpackBackend : public runtime::Backend {
public:
    static constexpr const char* kName = "xnnpack";

    std::string name() const override { return kName; }
    runtime::Claim capability(const ir::Graph& graph, const ir::Node& node) const override;
    // Its fusions (lowering/fusions.h) as far as its claims go: Conv + Relu/Clip into FusedConv;
    // then, for an int8 run, the int8 lowering of the groups its int8 kernels claim.
    std::vector<runtime::LoweringCount>
    lower(ir::Graph& graph, const std::function<bool(ir::NodeId)>& mine,
          const runtime::LoweringContext& context) const override;
    std::unique_ptr<runtime::Kernel> createKernel(const runtime::KernelInfo& info) const override;
    // An NHWC tensor (the layout its 2-D kernels leave between its own nodes) in plain NCHW.
    Tensor toPlain(const Tensor& tensor) const override;

    // "ai.layerbench.FusedConv" for the fused domain, the op type otherwise; sorted.
    static std::vector<std::string> supportedOps();
};

} // namespace lb::backends::xnnpack
