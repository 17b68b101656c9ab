#pragma once

// float16 and bfloat16 at the kernel boundary. The reference kernels compute in float32 (and
// float64); a node whose inputs are float16 or bfloat16 runs the float32 kernel of a one-node
// copy of itself: its 16-bit inputs are widened to float32 on the way in (exact), its outputs of
// those types are rounded back (to nearest even) on the way out. The result is what computing in
// float32 and storing in 16 bits gives, which is what ONNX's reference implementation does too.

#include "ir/graph.h"
#include "runtime/kernel.h"

#include <functional>
#include <memory>

namespace lb::backends::reference {

bool isHalfType(DataType t); // float16 or bfloat16
bool hasHalfInputs(const ir::Graph& graph, const ir::Node& node);

// The node alone in a graph of its own, every float16/bfloat16 input and output retyped float32
// and its constant inputs widened; the model's opsets carried over.
struct FloatShadow {
    ir::Graph graph;
    ir::NodeId node = ir::kNoNode;
    // Per output: the 16-bit type to round it back to, or Undefined to keep the kernel's type.
    std::vector<DataType> outputTypes;
};
std::shared_ptr<const FloatShadow> floatShadow(const ir::Graph& graph, const ir::Node& node);

// The kernel `make` builds for the shadow, run with widened inputs and narrowed outputs.
std::unique_ptr<runtime::Kernel> makeHalfBoundaryKernel(
    const runtime::KernelInfo& info,
    const std::function<std::unique_ptr<runtime::Kernel>(const runtime::KernelInfo&)>& make);

// A float32 copy of a float16/bfloat16 tensor, and back.
Tensor widenHalf(const Tensor& t);
Tensor narrowToHalf(const Tensor& t, DataType type);

} // namespace lb::backends::reference
