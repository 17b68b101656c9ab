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
    std::unique_ptr<runtime::Kernel> createKernel(const runtime::KernelInfo& info) const override;

    // Op types in the kernel tables ("ai.layerbench.FusedConv" for LayerBench's own), sorted.
    static std::vector<std::string> supportedOps();
};

} // namespace lb::backends::reference
