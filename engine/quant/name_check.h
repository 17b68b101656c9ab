#pragma once

#include "ir/graph.h"
#include "quant/encoding_set.h"

#include <vector>

namespace lb::quant {

// Checks the names of an encodings file against a graph: a name the graph does not know
// (UnknownTensor), a node output filed under param_encodings (ActivationFiledAsParam), an
// initializer or Constant output filed under activation_encodings (ParamFiledAsActivation),
// and per-channel encodings whose count does not match the weight's channel dimension (the axis
// from weightChannelAxis when the file does not state it). One issue per tensor and problem.
std::vector<EncodingIssue> checkNames(const EncodingSet& set, const ir::Graph& graph);

// True for initializers and Constant outputs: what QNN calls params.
bool isParamValue(const ir::Graph& graph, ir::ValueId value);

} // namespace lb::quant
