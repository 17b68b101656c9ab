#pragma once

#include "ir/graph.h"

#include <string>
#include <vector>

namespace lb::onnx {

// Runs ONNX shape inference (with data propagation) again on a graph the passes changed, e.g.
// after constant folding turned Shape/Gather/Concat chains into initializers, and copies what it
// learns back: a value gets an inferred dtype when it had none and an inferred shape when it had
// no rank or unknown dims the inference now knows. Known facts are never overwritten. Nodes of
// domains ONNX does not know (ai.layerbench) are skipped by the inference, their outputs keep
// their types. Returns how many values gained information; inference errors become `warnings`.
int reinferShapes(ir::Graph& graph, std::vector<std::string>* warnings = nullptr);

} // namespace lb::onnx
