#pragma once

#include "runtime/claim.h"
#include "runtime/kernel.h"

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace lb::runtime {

// An execution provider. It declares which nodes it can run; the session partitions the graph
// among backends in the order of preference the user gave. Nothing in the runtime names a
// concrete backend.
//
// The contract that makes "kernel errors are errors" safe: a node capability() claims is one
// createKernel() builds, unless the node itself is invalid (then createKernel's lb::Error is
// reported naming the node, never turned into a fallback).
// What one of a backend's rewrites did in Backend::lower.
struct LoweringCount {
    std::string rewrite; // e.g. "fuse-conv-activation"
    int count = 0;
};

// The int8 lowering of a quantized graph: rewrites the groups FakeQuant -> op -> FakeQuant (a
// QDQ pair each: DequantizeLinear(QuantizeLinear(x))) into the int8 ops of ops/int8_ops.h. The
// quantization side implements it (quant::Int8Lowering); a session hands it to every backend
// when a run is int8, and a backend applies it to its own nodes, making only nodes its
// capability() claims (accept). What it leaves in float runs simulated (float op + FakeQuant).
class Int8Lowering {
public:
    virtual ~Int8Lowering() = default;
    virtual std::vector<LoweringCount> lower(ir::Graph& graph,
                                             const std::function<bool(ir::NodeId)>& mine,
                                             const std::function<bool(const ir::Node&)>& accept,
                                             const std::string& backend) = 0;
    // Whether node n quantizes its input for an int8 op in front (a FakeQuant): the session
    // puts it on its producer's backend, so a group DQ -> op -> Q is one backend's to lower.
    virtual bool groupsWithProducer(const ir::Node& n) const = 0;
};

// What a session gives Backend::lower besides the graph.
struct LoweringContext {
    Int8Lowering* int8 = nullptr; // set when the run is int8
    // Values the caller observes by name (SessionOptions::keepValues): a fusion that would hide
    // one of them (a MatMul's output inside a FusedMatMul) leaves it apart.
    const std::set<std::string>* keep = nullptr;
    // SessionOptions::roundFp16: every node output is rounded as an fp16 device stores it, so a
    // fusion that keeps an intermediate map out of the graph (1x1 + depthwise) would skip one.
    bool roundFp16 = false;
};

class Backend {
public:
    virtual ~Backend() = default;
    virtual std::string name() const = 0;
    // Whether this backend runs the node: a claim, or a decline with a stable code and a text
    // (shown when the node falls back to another backend or cannot run at all). Cheap: a table
    // lookup and checks of dtypes, attributes and known shapes; it builds no kernel. May throw
    // lb::Error naming the node when an attribute is malformed (the wrong type).
    virtual Claim capability(const ir::Graph& graph, const ir::Node& node) const = 0;
    // Backend-specific rewrites after partitioning (ONNX Runtime's level-2 transformers): fusions
    // into the ops this backend's kernels run in one go and, for an int8 run, the int8 lowering
    // (context.int8), on the nodes `mine` accepts (the ones the session assigned to this backend,
    // and the ones this call creates). Every node it creates must be one capability() claims; it
    // runs on this backend. Returns one entry per rewrite that changed something. The default
    // rewrites nothing (such a backend runs an int8 run's graph simulated).
    virtual std::vector<LoweringCount> lower(ir::Graph& graph,
                                             const std::function<bool(ir::NodeId)>& mine,
                                             const LoweringContext& context) const {
        (void)graph;
        (void)mine;
        (void)context;
        return {};
    }
    // Creates the kernel of a claimed node; throws lb::Error naming the node when its attributes
    // or inputs are invalid.
    virtual std::unique_ptr<Kernel> createKernel(const KernelInfo& info) const = 0;
    // A plain row-major copy of a tensor this backend left in its private layout (for observers
    // that capture intermediates). Backends without private layouts never see such a tensor.
    virtual Tensor toPlain(const Tensor& tensor) const { return tensor; }
};

} // namespace lb::runtime
