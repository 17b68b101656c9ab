#pragma once

#include "ir/graph.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace lb::report {

struct TensorSummary {
    std::string name;
    std::string dtype; // "float32"
    std::string shape; // "1x3x48x192", symbols kept ("Nx3x?x?"), "" when unknown
};

struct NodeSummary {
    ir::NodeId id = ir::kNoNode;
    std::string name;
    std::string op;
    std::string domain;
    std::vector<TensorSummary> inputs;
    std::vector<TensorSummary> outputs;
    int64_t params = 0; // elements of the initializers this node is the first reader of
    int64_t macs = 0;   // multiply-accumulates (see ops/cost.h for the conventions); -1 unknown
};

struct ModelSummary {
    std::string path;
    std::string graphName;
    int64_t irVersion = 0;
    std::map<std::string, int64_t> opsets;
    std::string producer;
    std::vector<TensorSummary> inputs;
    std::vector<TensorSummary> outputs;
    std::vector<NodeSummary> nodes; // topological order
    std::map<std::string, int64_t> ops; // op type -> count
    int64_t params = 0;
    int64_t paramBytes = 0;
    int64_t macs = 0;
    int64_t unknownMacNodes = 0; // nodes whose MACs could not be computed (unknown shapes)
};

ModelSummary summarize(const ir::Graph& graph, const std::string& path = {});
nlohmann::json toJson(const ModelSummary& summary);
// The readable form printed by `layerbench-cli info` and kept as golden files.
std::string toText(const ModelSummary& summary);

} // namespace lb::report
