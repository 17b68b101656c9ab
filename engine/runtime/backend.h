#pragma once

#include "runtime/claim.h"
#include "runtime/kernel.h"

#include <memory>
#include <string>

namespace lb::runtime {

// An execution provider. It declares which nodes it can run; the session partitions the graph
// among backends in the order of preference the user gave. Nothing in the runtime names a
// concrete backend.
//
// The contract that makes "kernel errors are errors" safe: a node capability() claims is one
// createKernel() builds, unless the node itself is invalid (then createKernel's lb::Error is
// reported naming the node, never turned into a fallback).
class Backend {
public:
    virtual ~Backend() = default;
    virtual std::string name() const = 0;
    // Whether this backend runs the node: a claim, or a decline with a stable code and a text
    // (shown when the node falls back to another backend or cannot run at all). Cheap: a table
    // lookup and checks of dtypes, attributes and known shapes; it builds no kernel. May throw
    // lb::Error naming the node when an attribute is malformed (the wrong type).
    virtual Claim capability(const ir::Graph& graph, const ir::Node& node) const = 0;
    // Creates the kernel of a claimed node; throws lb::Error naming the node when its attributes
    // or inputs are invalid.
    virtual std::unique_ptr<Kernel> createKernel(const KernelInfo& info) const = 0;
    // A plain row-major copy of a tensor this backend left in its private layout (for observers
    // that capture intermediates). Backends without private layouts never see such a tensor.
    virtual Tensor toPlain(const Tensor& tensor) const { return tensor; }
};

} // namespace lb::runtime
