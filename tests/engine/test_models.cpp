#include "test_models.h"

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace lb::test {

ir::ValueId addInput(ir::Graph& g, const std::string& name, const Shape& shape, DataType type) {
    const ir::ValueId id = g.valueId(name);
    g.value(id).dtype = type;
    g.value(id).shape = symbolicShape(shape);
    g.inputs().push_back(id);
    return id;
}

ir::ValueId addWeight(ir::Graph& g, const std::string& name, const Shape& shape) {
    Tensor t(DataType::Float32, shape);
    for (float& v : t.span<float>())
        v = 0.5f;
    const ir::ValueId id = g.valueId(name);
    g.setInitializer(id, t);
    return id;
}

ir::NodeId addNode(ir::Graph& g, const std::string& op, const std::vector<std::string>& inputs,
                   const std::vector<std::string>& outputs, std::vector<ir::Attribute> attrs,
                   const std::vector<Shape>& outputShapes) {
    ir::Node n;
    n.name = op + "_" + std::to_string(g.nodeCapacity());
    n.opType = op;
    for (const auto& in : inputs)
        n.inputs.push_back(in.empty() ? ir::kNoValue : g.valueId(in));
    for (size_t i = 0; i < outputs.size(); ++i) {
        const ir::ValueId id = g.valueId(outputs[i]);
        n.outputs.push_back(id);
        if (i < outputShapes.size()) {
            g.value(id).dtype = DataType::Float32;
            g.value(id).shape = symbolicShape(outputShapes[i]);
        }
    }
    n.attributes = std::move(attrs);
    return g.addNode(std::move(n));
}

ir::Attribute intAttr(const std::string& name, int64_t v) {
    return ir::intAttribute(name, v);
}

ir::Attribute floatAttr(const std::string& name, float v) {
    return ir::floatAttribute(name, v);
}

ir::Attribute intsAttr(const std::string& name, std::vector<int64_t> v) {
    return ir::intsAttribute(name, std::move(v));
}

ir::Attribute floatsAttr(const std::string& name, std::vector<float> v) {
    return ir::floatsAttribute(name, std::move(v));
}

ir::Attribute stringAttr(const std::string& name, const std::string& v) {
    return ir::stringAttribute(name, v);
}

ir::Graph emptyModel(const std::string& name) {
    ir::Graph g;
    g.name = name;
    g.irVersion = 8;
    g.opsetImports[""] = 17;
    return g;
}

ProtoWriter& ProtoWriter::varint(int field, uint64_t v) {
    uint64_t tag = static_cast<uint64_t>(field) << 3;
    auto put = [&](uint64_t x) {
        while (x >= 0x80) {
            bytes += static_cast<char>((x & 0x7f) | 0x80);
            x >>= 7;
        }
        bytes += static_cast<char>(x);
    };
    put(tag);
    put(v);
    return *this;
}

ProtoWriter& ProtoWriter::string(int field, const std::string& s) {
    uint64_t tag = (static_cast<uint64_t>(field) << 3) | 2;
    auto put = [&](uint64_t x) {
        while (x >= 0x80) {
            bytes += static_cast<char>((x & 0x7f) | 0x80);
            x >>= 7;
        }
        bytes += static_cast<char>(x);
    };
    put(tag);
    put(s.size());
    bytes += s;
    return *this;
}

std::string externalDataModel(const std::string& location, int64_t n, int64_t offset,
                              int64_t length) {
    auto entry = [](const std::string& k, const std::string& v) {
        return ProtoWriter().string(1, k).string(2, v);
    };
    ProtoWriter tensor;
    tensor.varint(1, static_cast<uint64_t>(n)).varint(2, 1).string(8, "w");
    tensor.message(13, entry("location", location));
    if (offset)
        tensor.message(13, entry("offset", std::to_string(offset)));
    if (length >= 0)
        tensor.message(13, entry("length", std::to_string(length)));
    tensor.varint(14, 1); // EXTERNAL
    ProtoWriter node;
    node.string(1, "w").string(2, "y").string(3, "id").string(4, "Identity");
    ProtoWriter shape;
    shape.message(1, ProtoWriter().varint(1, static_cast<uint64_t>(n)));
    ProtoWriter type;
    type.message(1, ProtoWriter().varint(1, 1).message(2, shape));
    ProtoWriter output;
    output.string(1, "y").message(2, type);
    ProtoWriter graph;
    graph.message(1, node).string(2, "ext").message(5, tensor).message(12, output);
    ProtoWriter model;
    model.varint(1, 8).message(7, graph).message(8, ProtoWriter().string(1, "").varint(2, 17));
    return model.bytes;
}

void writeFile(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string makeTempDir(const std::string& tag) {
    std::random_device rd;
    auto dir = std::filesystem::temp_directory_path() /
               ("lb-" + tag + "-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(dir);
    return dir.string();
}

} // namespace lb::test
