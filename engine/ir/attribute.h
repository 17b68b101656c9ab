#pragma once

#include "core/tensor.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace lb::ir {

class Graph;

enum class AttributeType {
    Undefined,
    Float,
    Int,
    String,
    Tensor,
    Graph,
    Floats,
    Ints,
    Strings,
    Tensors,
    Graphs
};

// A node attribute as ONNX defines them; only the member matching `type` is meaningful.
struct Attribute {
    std::string name;
    AttributeType type = AttributeType::Undefined;
    float f = 0.0f;
    int64_t i = 0;
    std::string s;
    Tensor t;
    std::shared_ptr<Graph> g;
    std::vector<float> floats;
    std::vector<int64_t> ints;
    std::vector<std::string> strings;
    std::vector<Tensor> tensors;
    std::vector<std::shared_ptr<Graph>> graphs;
};

// An attribute of one type with its value set (the other members stay empty).
Attribute intAttribute(std::string name, int64_t v);
Attribute floatAttribute(std::string name, float v);
Attribute stringAttribute(std::string name, std::string v);
Attribute intsAttribute(std::string name, std::vector<int64_t> v);
Attribute floatsAttribute(std::string name, std::vector<float> v);

std::string attributeTypeName(AttributeType type);
// Short human-readable value ("3", "[1, 1, 1, 1]", "<tensor float32 64x3x3x3>", "<graph body>").
std::string attributeValueToString(const Attribute& attr, size_t maxElements = 16);

} // namespace lb::ir
