#pragma once

#include "runtime/kernel.h"

#include <memory>
#include <string>

namespace lb::runtime {

// An execution provider. It declares which nodes it can run; the session partitions the graph
// among backends in the order of preference the user gave. Nothing in the runtime names a
// concrete backend.
class Backend {
public:
    virtual ~Backend() = default;
    virtual std::string name() const = 0;
    // Empty when the backend can run this node; otherwise the reason it cannot (shown to the
    // user when a node falls back to another backend or cannot run at all).
    virtual std::string unsupportedReason(const ir::Graph& graph, const ir::Node& node) const = 0;
    // Creates the kernel; throws lb::Error naming the node when its attributes or inputs are
    // invalid.
    virtual std::unique_ptr<Kernel> createKernel(const KernelInfo& info) const = 0;
    // A plain row-major copy of a tensor this backend left in its private layout (for observers
    // that capture intermediates). Backends without private layouts never see such a tensor.
    virtual Tensor toPlain(const Tensor& tensor) const { return tensor; }
};

} // namespace lb::runtime
