#include "core/error.h"
#include "onnx/exporter.h"
#include "onnx/importer.h"
#include "test_models.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>

using namespace lb;
namespace fs = std::filesystem;

namespace {

std::string importError(const std::string& path, const onnx::ImportOptions& options = {}) {
    try {
        onnx::importModel(path, options);
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

std::string modelsDir() {
    return LB_MODELS_DIR;
}

// y = Relu(x), a model the checker accepts.
ir::Graph reluModel() {
    ir::Graph g = test::emptyModel();
    test::addInput(g, "x", {1, 4});
    test::addNode(g, "Relu", {"x"}, {"y"}, {}, {{1, 4}});
    g.outputs().push_back(*g.findValue("y"));
    return g;
}

} // namespace

TEST_CASE("bad files give one-line errors naming the file and the problem", "[onnx][errors]") {
    const std::string dir = test::makeTempDir("bad");
    auto path = [&](const std::string& name) { return dir + "/" + name; };

    SECTION("missing") {
        CHECK_THAT(importError(path("none.onnx")),
                   Catch::Contains(path("none.onnx")) && Catch::Contains("no such file"));
    }
    SECTION("text file") {
        test::writeFile(path("t.onnx"), "hello, this is text\n");
        CHECK_THAT(importError(path("t.onnx")),
                   Catch::Contains(path("t.onnx")) && Catch::Contains("not an ONNX model"));
    }
    SECTION("truncated real model") {
        const std::string bytes = test::readFile(modelsDir() + "/ch_PP-OCRv4_rec_infer.onnx");
        REQUIRE(bytes.size() > 100000);
        test::writeFile(path("cut.onnx"), bytes.substr(0, 100000));
        CHECK_THAT(importError(path("cut.onnx")),
                   Catch::Contains(path("cut.onnx")) &&
                       Catch::Contains("truncated at byte 100000 of "));
    }
    SECTION("cycle") {
        ir::Graph g = test::emptyModel();
        test::addInput(g, "x", {1});
        test::addNode(g, "Add", {"x", "b"}, {"a"});
        test::addNode(g, "Relu", {"a"}, {"b"});
        g.outputs().push_back(*g.findValue("b"));
        onnx::saveModel(g, path("cycle.onnx"));
        CHECK_THAT(importError(path("cycle.onnx")),
                   Catch::Contains(path("cycle.onnx")) && Catch::Contains("cycle") &&
                       Catch::Contains("'Add_0'") && Catch::Contains("'Relu_1'"));
    }
    SECTION("dangling input") {
        ir::Graph g = reluModel();
        test::addNode(g, "Add", {"y", "ghost"}, {"z"});
        g.outputs().push_back(*g.findValue("z"));
        onnx::saveModel(g, path("dangling.onnx"));
        CHECK_THAT(importError(path("dangling.onnx")),
                   Catch::Contains(path("dangling.onnx")) && Catch::Contains("'Add_1' (Add)") &&
                       Catch::Contains("input 'ghost'") && Catch::Contains("produced by no node"));
    }
    SECTION("IR version 99") {
        ir::Graph g = reluModel();
        g.irVersion = 99;
        onnx::saveModel(g, path("ir.onnx"));
        CHECK_THAT(importError(path("ir.onnx")),
                   Catch::Contains(path("ir.onnx")) && Catch::Contains("IR version 99"));
    }
    SECTION("opset 99") {
        ir::Graph g = reluModel();
        g.opsetImports[""] = 99;
        onnx::saveModel(g, path("opset.onnx"));
        CHECK_THAT(importError(path("opset.onnx")), Catch::Contains(path("opset.onnx")) &&
                                                        Catch::Contains("opset 99") &&
                                                        Catch::Contains("newer"));
    }
    SECTION("overflowing dims") {
        ir::Graph g = reluModel();
        g.value(*g.findValue("x")).shape = symbolicShape({1LL << 40, 1LL << 40});
        onnx::saveModel(g, path("huge.onnx"));
        CHECK_THAT(importError(path("huge.onnx")), Catch::Contains(path("huge.onnx")) &&
                                                       Catch::Contains("value 'x'") &&
                                                       Catch::Contains("int64"));
    }
    SECTION("external data escaping the folder") {
        fs::create_directories(path("m"));
        test::writeFile(path("outside.bin"), std::string(16, '\0'));
        test::writeFile(path("m/model.onnx"), test::externalDataModel("../outside.bin", 4));
        CHECK(importError(path("m/model.onnx")) ==
              path("m/model.onnx") +
                  ": initializer 'w': external data location '../outside.bin' "
                  "escapes the model folder '" +
                  fs::canonical(path("m")).string() + "'");
    }
    SECTION("external data symlink escaping the folder") {
        fs::create_directories(path("s"));
        test::writeFile(path("outside.bin"), std::string(16, '\0'));
        fs::create_symlink(path("outside.bin"), path("s/w.bin"));
        test::writeFile(path("s/model.onnx"), test::externalDataModel("w.bin", 4));
        CHECK_THAT(importError(path("s/model.onnx")), Catch::Contains("escapes the model folder"));
    }
    SECTION("external data past the end of the file") {
        test::writeFile(path("w.bin"), std::string(16, '\0'));
        test::writeFile(path("past.onnx"), test::externalDataModel("w.bin", 8, 8, 32));
        CHECK_THAT(importError(path("past.onnx")),
                   Catch::Contains(path("past.onnx")) && Catch::Contains("initializer 'w'") &&
                       Catch::Contains("offset 8 + length 32") && Catch::Contains("(16 bytes)"));
    }
    fs::remove_all(dir);
}

TEST_CASE("valid external data loads", "[onnx]") {
    const std::string dir = test::makeTempDir("ext");
    std::string data(4 * sizeof(float) + 8, '\0');
    const float values[4] = {1.0f, -2.0f, 3.5f, 4.25f};
    std::memcpy(data.data() + 8, values, sizeof values);
    test::writeFile(dir + "/w.bin", data);
    test::writeFile(dir + "/model.onnx", test::externalDataModel("w.bin", 4, 8, 16));
    const auto r = onnx::importModel(dir + "/model.onnx");
    const Tensor* w = r.graph.initializer(*r.graph.findValue("w"));
    REQUIRE(w);
    REQUIRE(w->shape() == Shape{4});
    CHECK(w->data<float>()[0] == 1.0f);
    CHECK(w->data<float>()[3] == 4.25f);
    fs::remove_all(dir);
}

TEST_CASE("an acyclic graph out of order is accepted and sorted", "[onnx]") {
    // Written by hand: saveModel always writes dependency order.
    using test::ProtoWriter;
    auto node = [](const std::string& in, const std::string& out, const std::string& op) {
        return ProtoWriter().string(1, in).string(2, out).string(3, op + "_n").string(4, op);
    };
    auto value = [](const std::string& name) {
        ProtoWriter shape;
        shape.message(1, ProtoWriter().varint(1, 2)).message(1, ProtoWriter().varint(1, 3));
        ProtoWriter type;
        type.message(1, ProtoWriter().varint(1, 1).message(2, shape));
        return ProtoWriter().string(1, name).message(2, type);
    };
    ProtoWriter graph;
    graph.message(1, node("a", "y", "Relu")).message(1, node("x", "a", "Neg")).string(2, "g");
    graph.message(11, value("x")).message(12, value("y"));
    ProtoWriter model;
    model.varint(1, 8).message(7, graph).message(8, ProtoWriter().string(1, "").varint(2, 17));
    const auto r = onnx::importModelFromBytes(model.bytes, "unsorted.onnx", ".");
    const auto order = r.graph.topologicalOrder();
    REQUIRE(order.size() == 2);
    CHECK(r.graph.node(order[0]).opType == "Neg");
    const auto& a = r.graph.value(*r.graph.findValue("a"));
    REQUIRE(a.shape);
    CHECK(shapeToString(*a.shape) == "2x3");
}

TEST_CASE("If subgraphs are kept with implicit inputs", "[onnx][subgraph]") {
    ir::Graph g = test::emptyModel("if_model");
    test::addInput(g, "cond", {}, DataType::Bool);
    test::addInput(g, "x", {3});
    auto branch = [](const std::string& name, const std::string& op) {
        auto b = std::make_shared<ir::Graph>();
        b->name = name;
        test::addNode(*b, op, {"x"}, {name + "_out"}, {}, {{3}});
        b->outputs().push_back(*b->findValue(name + "_out"));
        return b;
    };
    ir::Attribute thenAttr, elseAttr;
    thenAttr.name = "then_branch";
    thenAttr.type = ir::AttributeType::Graph;
    thenAttr.g = branch("then", "Relu");
    elseAttr.name = "else_branch";
    elseAttr.type = ir::AttributeType::Graph;
    elseAttr.g = branch("else", "Neg");
    test::addNode(g, "If", {"cond"}, {"y"}, {thenAttr, elseAttr}, {{3}});
    g.outputs().push_back(*g.findValue("y"));

    const auto r = onnx::importModelFromBytes(onnx::exportModelToBytes(g), "if.onnx", ".");
    const auto id = r.graph.findNode("If_0");
    REQUIRE(id);
    const ir::Node& node = r.graph.node(*id);
    REQUIRE(node.implicitInputs.size() == 1);
    CHECK(r.graph.value(node.implicitInputs[0]).name == "x");
    const ir::Attribute* thenBranch = node.attribute("then_branch");
    REQUIRE(thenBranch);
    REQUIRE(thenBranch->g);
    CHECK(thenBranch->g->nodeCount() == 1);
    CHECK(thenBranch->g->node(thenBranch->g->nodeIds()[0]).opType == "Relu");
    REQUIRE(node.attribute("else_branch"));
    CHECK(node.attribute("else_branch")->g->node(0).opType == "Neg");
    const auto& y = r.graph.value(*r.graph.findValue("y"));
    REQUIRE(y.shape);
    CHECK(shapeToString(*y.shape) == "3");
}

TEST_CASE("input shapes fix symbolic dims and shapes are re-inferred downstream",
          "[onnx][models]") {
    const std::string det = modelsDir() + "/ch_PP-OCRv4_det_infer.onnx";
    const auto symbolic = onnx::importModel(det);
    const auto& out0 = symbolic.graph.value(symbolic.graph.outputs()[0]);
    REQUIRE(out0.shape);
    CHECK_FALSE(concreteShape(*out0.shape));

    onnx::ImportOptions options;
    options.inputShapes.insert(onnx::parseInputShapeArg("x=1x3x640x640"));
    const auto fixed = onnx::importModel(det, options);
    const auto& out = fixed.graph.value(fixed.graph.outputs()[0]);
    REQUIRE(out.shape);
    CHECK(shapeToString(*out.shape) == "1x1x640x640");

    options.inputShapes = {{"image", {1, 3, 32, 32}}};
    CHECK_THAT(importError(det, options),
               Catch::Contains("'image'") && Catch::Contains("model's inputs are 'x'"));
}

TEST_CASE("parseInputShapeArg", "[onnx]") {
    const auto [name, shape] = onnx::parseInputShapeArg("x=1x3x640x640");
    CHECK(name == "x");
    CHECK(shape == Shape{1, 3, 640, 640});
    CHECK_THROWS_AS(onnx::parseInputShapeArg("x1x3"), Error);
    CHECK_THROWS_AS(onnx::parseInputShapeArg("x=1xax3"), Error);
}

TEST_CASE("export then import round-trips a real model", "[onnx][models]") {
    const auto a = onnx::importModel(modelsDir() + "/ch_ppocr_mobile_v2.0_cls_infer.onnx");
    const auto b = onnx::importModelFromBytes(onnx::exportModelToBytes(a.graph), "rt.onnx", ".");
    CHECK(b.graph.nodeCount() == a.graph.nodeCount());
    CHECK(b.graph.opsetImports == a.graph.opsetImports);
    CHECK(b.graph.irVersion == a.graph.irVersion);
    for (ir::NodeId id : a.graph.nodeIds()) {
        const ir::Node& n = a.graph.node(id);
        const auto other = b.graph.findNode(n.name);
        REQUIRE(other);
        const ir::Node& m = b.graph.node(*other);
        CHECK(m.opType == n.opType);
        CHECK(m.attributes.size() == n.attributes.size());
        for (size_t i = 0; i < n.outputs.size(); ++i) {
            const auto& va = a.graph.value(n.outputs[i]);
            const auto& vb = b.graph.value(m.outputs[i]);
            CHECK(va.dtype == vb.dtype);
            CHECK((va.shape ? shapeToString(*va.shape) : "") ==
                  (vb.shape ? shapeToString(*vb.shape) : ""));
        }
        if (const ir::Attribute* value = n.attribute("value")) {
            const ir::Attribute* v2 = m.attribute("value");
            REQUIRE(v2);
            REQUIRE(v2->t.byteSize() == value->t.byteSize());
            CHECK(std::memcmp(v2->t.rawData(), value->t.rawData(), value->t.byteSize()) == 0);
        }
    }
}

namespace {

// A tensor ValueInfoProto: name, elem_type and dims.
test::ProtoWriter valueInfo(const std::string& name, int elemType, const std::vector<int>& dims) {
    test::ProtoWriter shape;
    for (int d : dims)
        shape.message(1, test::ProtoWriter().varint(1, static_cast<uint64_t>(d)));
    test::ProtoWriter tensor;
    tensor.varint(1, static_cast<uint64_t>(elemType)).message(2, shape);
    test::ProtoWriter type;
    type.message(1, tensor);
    test::ProtoWriter info;
    info.string(1, name).message(2, type);
    return info;
}

// A model whose only opset import is ai.onnx.preview.training, with one node of `domain`.
std::string previewTrainingModel(const std::string& op, const std::string& domain) {
    test::ProtoWriter node;
    for (const char* in : {"R", "T", "X", "G", "H"})
        node.string(1, in);
    node.string(2, "X_new").string(2, "H_new").string(3, "n0").string(4, op).string(7, domain);
    test::ProtoWriter graph;
    graph.message(1, node).string(2, "g");
    graph.message(11, valueInfo("R", 1, {}))
        .message(11, valueInfo("T", 7, {}))
        .message(11, valueInfo("X", 1, {2}))
        .message(11, valueInfo("G", 1, {2}))
        .message(11, valueInfo("H", 1, {2}));
    graph.message(12, valueInfo("X_new", 1, {2})).message(12, valueInfo("H_new", 1, {2}));
    test::ProtoWriter opset;
    opset.string(1, "ai.onnx.preview.training").varint(2, 1);
    test::ProtoWriter model;
    model.varint(1, 8).message(8, opset).message(7, graph);
    return model.bytes;
}

} // namespace

TEST_CASE("a model of ai.onnx.preview.training ops only needs no default-domain opset",
          "[onnx][errors]") {
    const std::string dir = test::makeTempDir("preview");
    test::writeFile(dir + "/adagrad.onnx",
                    previewTrainingModel("Adagrad", "ai.onnx.preview.training"));
    const onnx::ImportResult imported = onnx::importModel(dir + "/adagrad.onnx");
    REQUIRE(imported.graph.nodeIds().size() == 1);
    CHECK(imported.graph.node(imported.graph.nodeIds()[0]).domain == "ai.onnx.preview.training");
    // A default-domain node still needs the import.
    test::writeFile(dir + "/relu.onnx", previewTrainingModel("Relu", ""));
    CHECK_THAT(importError(dir + "/relu.onnx"),
               Catch::Contains("relu.onnx") &&
                   Catch::Contains("no opset import for the default domain"));
}
