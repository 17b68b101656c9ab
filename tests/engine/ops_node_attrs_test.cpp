// ops::NodeAttrs, the one attribute reader of both backends and of ops/window: typed reads, the
// opset, arity checks, and the same one-line error from every backend for a mistyped attribute.
#include "backends/onednn/onednn_backend.h"
#include "backends/reference/reference_backend.h"
#include "core/error.h"
#include "ops/node_attrs.h"
#include "ops/window.h"
#include "runtime/session.h"

#include <catch2/catch.hpp>

using namespace lb;

namespace {

// x [1,1,4,4] -> Conv(w [1,1,3,3]) -> y, float32, opset 17 in the default domain.
ir::Graph convGraph(std::vector<ir::Attribute> attributes) {
    ir::Graph g;
    g.opsetImports[""] = 17;
    const ir::ValueId x = g.addValue("x");
    g.value(x).dtype = DataType::Float32;
    g.value(x).shape = symbolicShape({1, 1, 4, 4});
    g.inputs().push_back(x);
    const ir::ValueId w = g.addValue("w");
    Tensor weights(DataType::Float32, {1, 1, 3, 3});
    g.setInitializer(w, weights);
    const ir::ValueId y = g.addValue("y");
    g.value(y).dtype = DataType::Float32;
    g.value(y).shape = symbolicShape({1, 1, 2, 2});
    g.outputs().push_back(y);
    ir::Node conv;
    conv.name = "conv1";
    conv.opType = "Conv";
    conv.inputs = {x, w};
    conv.outputs = {y};
    conv.attributes = std::move(attributes);
    g.addNode(conv);
    return g;
}

const ir::Node& onlyNode(const ir::Graph& g) {
    return g.node(g.nodeIds().front());
}

std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace

TEST_CASE("NodeAttrs reads typed attributes and falls back when they are absent") {
    const ir::Graph g =
        convGraph({ir::intAttribute("group", 1), ir::floatAttribute("alpha", 0.5f),
                   ir::stringAttribute("auto_pad", "VALID"), ir::intsAttribute("strides", {2, 2}),
                   ir::floatsAttribute("scales", {1.5f, 2.0f})});
    const ops::NodeAttrs a(g, onlyNode(g));
    CHECK(a.opset() == 17);
    CHECK(a.has("group"));
    CHECK_FALSE(a.has("dilations"));
    CHECK(a.getInt("group", 7) == 1);
    CHECK(a.getInt("missing", 7) == 7);
    CHECK(a.getFloat("alpha", 0.0f) == 0.5f);
    CHECK(a.getString("auto_pad", "NOTSET") == "VALID");
    CHECK(a.getInts("strides") == std::vector<int64_t>{2, 2});
    CHECK(a.getInts("dilations", {1, 1}) == std::vector<int64_t>{1, 1});
    CHECK(a.getFloats("scales") == std::vector<float>{1.5f, 2.0f});
    CHECK(a.getTensor("value") == nullptr);
    CHECK(a.where() == "node 'conv1' (Conv): ");
}

TEST_CASE("NodeAttrs takes the opset from the default domain, then ai.onnx, else 17") {
    ir::Graph g = convGraph({});
    g.opsetImports.clear();
    CHECK(ops::NodeAttrs(g, onlyNode(g)).opset() == 17);
    g.opsetImports["ai.onnx"] = 11;
    CHECK(ops::NodeAttrs(g, onlyNode(g)).opset() == 11);
    g.opsetImports[""] = 13;
    CHECK(ops::NodeAttrs(g, onlyNode(g)).opset() == 13);
    CHECK(ops::NodeAttrs(onlyNode(g)).opset() == 17);
}

TEST_CASE("NodeAttrs errors name the node and what was expected") {
    ir::Graph g = convGraph({ir::floatAttribute("group", 1.0f)});
    const ops::NodeAttrs a(g, onlyNode(g));
    CHECK(errorOf([&] { a.getInt("group", 1); }) ==
          "node 'conv1' (Conv): attribute 'group' should be of type int, got float");
    CHECK(errorOf([&] { a.expectInputs(3, 3); }) ==
          "node 'conv1' (Conv): expected 3 inputs, got 2");
    CHECK(errorOf([&] { a.expectInputs(1, 2); }) == "(no error)");
    g.node(g.nodeIds().front()).inputs[1] = ir::kNoValue;
    CHECK(errorOf([&] { ops::NodeAttrs(g, onlyNode(g)).expectInputs(2, 3); }) ==
          "node 'conv1' (Conv): required input 1 is missing");
}

TEST_CASE("both backends and the window attributes word a mistyped attribute the same way") {
    // A mistyped attribute is an invalid node: an error at session creation on either backend,
    // never a decline.
    const auto sessionError = [](const ir::Graph& g, std::shared_ptr<const runtime::Backend> b) {
        return errorOf([&] {
            runtime::Session session(std::make_shared<const ir::Graph>(g), {std::move(b)});
        });
    };
    const auto reference = std::make_shared<backends::reference::ReferenceBackend>();
    const auto onednn = std::make_shared<backends::onednn::OneDnnBackend>();
    const ir::Graph g = convGraph({ir::floatAttribute("group", 1.0f)});
    const std::string expected =
        "node 'conv1' (Conv): attribute 'group' should be of type int, got float";
    CHECK(sessionError(g, reference) == expected);
    CHECK(sessionError(g, onednn) == expected);

    const ir::Graph w = convGraph({ir::floatsAttribute("strides", {1.0f, 1.0f})});
    const std::string window =
        "node 'conv1' (Conv): attribute 'strides' should be of type ints, got floats";
    CHECK(errorOf([&] { ops::parseWindowAttrs(onlyNode(w)); }) == window);
    CHECK(sessionError(w, reference) == window);
    CHECK(sessionError(w, onednn) == window);
}
