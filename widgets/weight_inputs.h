#pragma once

#include "core/tensor.h"
#include "ir/graph.h"

#include <QString>

namespace lb::widgets {

// A Constant node that feeds exactly one input slot and is not a graph output is drawn the way
// Netron draws initializers: as a weight row inside its consumer's box, not as a box of its own.
// Returns that consumer, or kNoNode when `id` is drawn as a box.
lb::ir::NodeId foldedConstantConsumer(const lb::ir::Graph& graph, lb::ir::NodeId id);

// True when input `value` is shown as a weight row: an initializer or a folded Constant's output.
bool isWeightInput(const lb::ir::Graph& graph, lb::ir::ValueId value);

// The tensor behind a weight input: the initializer, or the `value` attribute of the Constant
// node producing it. nullptr when there is none (activations, value_float-style Constants).
const lb::Tensor* weightTensor(const lb::ir::Graph& graph, lb::ir::ValueId value);

// The name ONNX's schema gives input `slot` of `opType` for common ops ("W", "B", "scale"),
// otherwise "in<slot>". Used for the short weight rows.
QString inputLabel(const std::string& opType, size_t slot);

} // namespace lb::widgets
