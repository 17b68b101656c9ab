#pragma once

#include "ir/graph.h"

#include <cstdint>
#include <string>

namespace lb::ops {

// Multiply-accumulates of one node from its (inferred) shapes; -1 when the shapes needed are
// unknown. Conventions: Conv/ConvTranspose/Gemm/MatMul count true MACs; pooling counts one per
// window element per output; elementwise ops and activations one per output element;
// normalizations one per output element (BatchNorm) or two (LayerNorm/InstanceNorm, mean+var);
// shape and data movement ops zero. Reduce*/Global*Pool/ArgMax one per input element; Softmax and
// Resize one per output element; If/Loop/Scan zero (their bodies are not counted). An op this
// table does not know (including custom domains) counts one per element of its first output, so
// a model's total never silently drops a node whose output shape is known.
int64_t nodeMacs(const ir::Graph& graph, const ir::Node& node);

// Broad family of an op, used for colours and grouping.
enum class OpCategory {
    Convolution,
    Linear,
    Activation,
    Normalization,
    Pooling,
    Elementwise,
    Shape,
    Data,
    Control,
    Quantization,
    Other
};
OpCategory opCategory(const std::string& opType);
std::string opCategoryName(OpCategory category);

} // namespace lb::ops
