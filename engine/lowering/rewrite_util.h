#pragma once

#include "core/tensor.h"
#include "ir/graph.h"

#include <optional>
#include <string>
#include <vector>

// Small helpers the graph passes and the backends' lowerings share for matching and rewriting.
namespace lb::lowering {

// The node producing `v`, if alive.
const ir::Node* producerOf(const ir::Graph& g, ir::ValueId v);
// The only node reading `v`, when exactly one node reads it once and it is not a graph output.
const ir::Node* soleConsumer(const ir::Graph& g, ir::ValueId v);
// The initializer behind input `slot` of a node, or nullptr.
const Tensor* constantInput(const ir::Graph& g, const ir::Node& n, size_t slot);
// A float32 initializer holding one value (any shape of one element).
std::optional<float> scalarConstant(const ir::Graph& g, ir::ValueId v);
bool isOp(const ir::Node* n, const char* op);

int64_t intAttr(const ir::Node& n, const char* name, int64_t fallback);
float floatAttr(const ir::Node& n, const char* name, float fallback);
std::vector<int64_t> intsAttr(const ir::Node& n, const char* name);

// Adds a new initializer value named after `base`.
ir::ValueId addInitializer(ir::Graph& g, const std::string& base, Tensor tensor);
// Replaces `old` nodes with `replacement`, which takes over the output values of the last node
// in the chain (so names and consumers stay). The replacement's fusedFrom lists the originals.
ir::NodeId replaceNodes(ir::Graph& g, const std::vector<ir::NodeId>& old, ir::Node replacement);
// Removes nodes whose outputs nobody reads (and are not graph outputs), and initializers no
// node reads. Returns how many nodes went.
int removeDeadNodes(ir::Graph& g);

} // namespace lb::lowering
