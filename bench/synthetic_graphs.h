#pragma once

#include "ir/graph.h"

#include <string>
#include <vector>

namespace lb::bench {

// Families of synthetic ONNX graphs for scale benchmarks. Real ops with valid attributes and
// tiny shared initializers, so the files pass the onnx checker and stay small.
enum class GraphFamily {
    Chain,      // Conv -> Relu -> Add(bias) repeated
    Residual,   // ResNet blocks: two convs, skip edge into Add, some with a projection conv
    Transformer // two-head attention (q/k/v fan-out, concat fan-in) + MLP, two residual adds
};

std::string familyName(GraphFamily family);
GraphFamily parseFamily(const std::string& name);
std::vector<GraphFamily> allFamilies();

// A graph of the family with at least `minNodes` nodes (whole blocks, so a few more).
ir::Graph makeSyntheticGraph(GraphFamily family, size_t minNodes);

// "residual-10k"
std::string syntheticGraphName(GraphFamily family, size_t minNodes);

} // namespace lb::bench
