#pragma once

#include "ir/graph.h"

namespace lb::passes {

// Fills in value shapes ONNX's import-time inference left unknown, without changing a node: a
// copy of the graph gets constants folded and shapes inferred again (as the runtime's pass list
// does), and what it learns about values that still exist in the original (same name) is copied
// back. PaddleOCR's exports compute Reshape targets with Shape/Slice/Concat chains, so without this
// the classifier's output shows as ?x? and the recognizer has ~100 nodes with unknown MACs.
// Does nothing when every node output is known already or an input is still symbolic. Returns
// how many values gained information.
int completeShapes(ir::Graph& graph);

} // namespace lb::passes
