#pragma once

// Internal to engine/onnx: the only header that names protobuf/onnx types.

#include "core/tensor.h"
#include "ir/graph.h"

#include <onnx/onnx_pb.h>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>

namespace lb::onnx::detail {

// Where a model came from: used to name the file in messages and to resolve external data.
struct SourceInfo {
    std::string displayName; // "model.onnx" as the user gave it
    std::string baseDir;     // folder external data is resolved in ("" = none allowed)
};

// Walks the top-level ModelProto wire format; throws "not an ONNX model" or "truncated at byte N
// of M" naming the file.
void checkModelWireFormat(const std::string& bytes, const std::string& displayName);

// Replaces external data of every initializer (main graph and subgraphs) by raw_data read from
// files inside baseDir; refuses locations outside it and reads past a file's end.
void inlineExternalData(::onnx::ModelProto& model, const SourceInfo& source);

// TensorProto <-> Tensor. `what` names the tensor in messages ("initializer 'w'").
Tensor tensorFromProto(const ::onnx::TensorProto& proto, const SourceInfo& source,
                       const std::string& what);
void tensorToProto(const Tensor& tensor, const std::string& name, ::onnx::TensorProto* proto);

// Structural checks on the proto before the onnx checker runs (see importer.cpp for the order).
void nameUnnamedNodes(::onnx::GraphProto& graph);
void checkDanglingInputs(const ::onnx::GraphProto& graph,
                         const std::unordered_set<std::string_view>& outerScope,
                         const std::string& displayName);
// Sorts nodes (recursively) into dependency order; throws naming a cycle.
void sortNodesTopologically(::onnx::GraphProto& graph, const std::string& displayName);
void checkShapes(const ::onnx::GraphProto& graph, const std::string& displayName);

// Names a subgraph reads that it does not define (inputs, initializers, node outputs), nested
// subgraphs included: what the owning node reads from the outer scope.
void collectOuterScopeNames(const ::onnx::GraphProto& graph, std::set<std::string>& names);

// GraphProto -> IR (recursive for subgraphs). Outer-scope names read by a subgraph become
// implicit inputs of the node owning it.
void graphFromProto(const ::onnx::GraphProto& proto, ir::Graph& graph, const SourceInfo& source);
void graphToProto(const ir::Graph& graph, ::onnx::GraphProto* proto);

} // namespace lb::onnx::detail
