#pragma once

// Small models built in code for the engine tests, and a minimal protobuf writer for files the
// exporter cannot produce (external data). Tests may not include onnx/protobuf headers.

#include "ir/graph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lb::test {

// Adds a graph input with a concrete shape.
ir::ValueId addInput(ir::Graph& g, const std::string& name, const Shape& shape,
                     DataType type = DataType::Float32);
// Adds a float initializer filled with 0.5.
ir::ValueId addWeight(ir::Graph& g, const std::string& name, const Shape& shape);
// Adds a node; outputs get the given shapes (empty vector = leave unknown).
ir::NodeId addNode(ir::Graph& g, const std::string& op, const std::vector<std::string>& inputs,
                   const std::vector<std::string>& outputs, std::vector<ir::Attribute> attrs = {},
                   const std::vector<Shape>& outputShapes = {});
ir::Attribute intAttr(const std::string& name, int64_t v);
ir::Attribute intsAttr(const std::string& name, std::vector<int64_t> v);
ir::Attribute floatAttr(const std::string& name, float v);
ir::Attribute floatsAttr(const std::string& name, std::vector<float> v);
ir::Attribute stringAttr(const std::string& name, const std::string& v);
// A graph with opset 17 and IR version 8.
ir::Graph emptyModel(const std::string& name = "test");

// Protobuf wire format, enough to write a ModelProto by hand.
struct ProtoWriter {
    std::string bytes;
    ProtoWriter& varint(int field, uint64_t v);
    ProtoWriter& string(int field, const std::string& s);
    ProtoWriter& message(int field, const ProtoWriter& m) { return string(field, m.bytes); }
};

// Model with one float initializer 'w' (shape {n}) stored as external data, y = Identity(w).
std::string externalDataModel(const std::string& location, int64_t n, int64_t offset = 0,
                              int64_t length = -1);

void writeFile(const std::string& path, const std::string& bytes);
std::string readFile(const std::string& path);
// A fresh empty folder under the system temp dir.
std::string makeTempDir(const std::string& tag);

} // namespace lb::test
