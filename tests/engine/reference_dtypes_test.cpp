// The reference backend's dtypes and the ops of issue #13's "dtypes" family, where the ONNX
// conformance data says nothing: bfloat16 rounding by opset, float16/bfloat16 through float32
// kernels, string casts, opset 18 Resize attributes, and the one-line errors of bad attributes.
#include "core/error.h"
#include "core/half.h"
#include "reference_node_util.h"
#include "runtime/session.h"

#include <catch2/catch.hpp>
#include <cmath>

using namespace lb;
using namespace lb::test;

namespace {

Tensor halves(DataType type, Shape shape, std::vector<float> values) {
    Tensor t(type, std::move(shape));
    REQUIRE(static_cast<int64_t>(values.size()) == t.numel());
    for (size_t i = 0; i < values.size(); ++i)
        t.data<uint16_t>()[i] =
            type == DataType::Float16 ? floatToHalf(values[i]) : floatToBfloat16(values[i]);
    return t;
}

std::vector<Tensor> runOp(const std::string& op, const std::vector<Tensor>& inputs,
                          std::vector<ir::Attribute> attrs = {}, int64_t opset = 17,
                          std::vector<DataType> outputTypes = {DataType::Undefined}) {
    ReferenceNode n(op, inputs, std::move(attrs), opset, std::move(outputTypes));
    REQUIRE(n.claim());
    return n.run(inputs);
}

// The error creating (or running) the node gives: one line, naming the node.
std::string errorOf(const std::string& op, const std::vector<Tensor>& inputs,
                    std::vector<ir::Attribute> attrs, int64_t opset = 17) {
    ReferenceNode n(op, inputs, std::move(attrs), opset);
    try {
        n.run(inputs);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("Cast to bfloat16 truncates before opset 19 and rounds to nearest even from 19") {
    // 1 + 2^-8 + 2^-9 is above the halfway point between two bfloat16 values.
    const float x = 1.0f + 0.00390625f + 0.001953125f;
    const auto to = [&](int64_t opset) {
        return runOp("Cast", {floats({1}, {x})}, {intAttr("to", 16)}, opset)[0];
    };
    CHECK(to(13).dtype() == DataType::BFloat16);
    CHECK(to(13).data<uint16_t>()[0] == 0x3f80); // 1.0: the upper 16 bits
    CHECK(to(19).data<uint16_t>()[0] == 0x3f81); // 1.0078125: nearest
    const Tensor nan = runOp("Cast", {floats({1}, {NAN})}, {intAttr("to", 16)}, 13)[0];
    CHECK(std::isnan(nan.valueAsDouble(0)));
}

TEST_CASE("Cast between float16, bfloat16, strings and integers, and CastLike takes input 1 as its "
          "type") {
    const Tensor h = halves(DataType::Float16, {3}, {1.5f, -2.25f, 65504.0f});
    const Tensor asInt = runOp("Cast", {h}, {intAttr("to", 7)})[0];
    CHECK(asInt.dtype() == DataType::Int64);
    CHECK(std::vector<int64_t>(asInt.data<int64_t>(), asInt.data<int64_t>() + 3) ==
          std::vector<int64_t>{1, -2, 65504});
    const Tensor text = runOp("Cast", {h}, {intAttr("to", 8)})[0];
    CHECK(text.strings() == std::vector<std::string>{"1.5", "-2.25", "65504"});
    const Tensor back = runOp("Cast", {text}, {intAttr("to", 16)})[0];
    CHECK(back.dtype() == DataType::BFloat16);
    CHECK(back.valueAsDouble(1) == -2.25);
    const Tensor like =
        runOp("CastLike", {floats({2}, {0.5f, 3.0f}), halves(DataType::Float16, {1}, {0})}, {})[0];
    CHECK(like.dtype() == DataType::Float16);
    CHECK(like.valueAsDouble(0) == 0.5);
    Tensor bad(DataType::String, {1});
    bad.strings() = {"twelve"};
    CHECK_THAT(errorOf("Cast", {bad}, {intAttr("to", 1)}), Catch::Contains("'twelve'"));
}

TEST_CASE(
    "Cast with a bad to attribute fails in one line naming the node, and float8 is declined") {
    const std::string e = errorOf("Cast", {floats({1}, {1})}, {intAttr("to", 99)});
    CHECK_THAT(e, Catch::Contains("'n0'") && Catch::Contains("'to'"));
    CHECK(e.find('\n') == std::string::npos);
    const runtime::Claim f8 =
        ReferenceNode("Cast", {floats({1}, {1})}, {intAttr("to", 17)}, 19).claim();
    CHECK_FALSE(f8);
    CHECK(f8.code() == "unsupported-dtype");
}

TEST_CASE("float16 and bfloat16 inputs run the float32 kernels and come back in their type") {
    const Tensor a = halves(DataType::Float16, {2}, {1.0f, -3.0f});
    const Tensor b = halves(DataType::Float16, {2}, {0.5f, 0.25f});
    const Tensor sum = runOp("Add", {a, b}, {}, 17, {DataType::Float16})[0];
    REQUIRE(sum.dtype() == DataType::Float16);
    CHECK(sum.valueAsDouble(0) == 1.5);
    CHECK(sum.valueAsDouble(1) == -2.75);
    // A comparison keeps its bool output; an unknown output type follows the 16-bit input.
    const Tensor less = runOp("Less", {a, b}, {}, 17, {DataType::Bool})[0];
    CHECK(less.dtype() == DataType::Bool);
    CHECK(less.data<bool>()[1]);
    const Tensor relu = runOp("Relu", {halves(DataType::BFloat16, {2}, {-1.0f, 2.0f})}, {})[0];
    REQUIRE(relu.dtype() == DataType::BFloat16);
    CHECK(relu.valueAsDouble(0) == 0.0);
    CHECK(relu.valueAsDouble(1) == 2.0);
}

TEST_CASE("Resize: cubic on a ramp, axes and keep_aspect_ratio_policy (opset 18)") {
    // Cubic interpolation with a = -0.5 reproduces a linear ramp away from the borders.
    const Tensor ramp = floats({1, 8}, {0, 1, 2, 3, 4, 5, 6, 7});
    const Tensor up = runOp("Resize", {ramp, Tensor(), floats({2}, {1, 2})},
                            {stringAttr("mode", "cubic"), floatAttr("cubic_coeff_a", -0.5f),
                             stringAttr("coordinate_transformation_mode", "align_corners")},
                            13)[0];
    REQUIRE(up.shape() == Shape{1, 16});
    for (int64_t i = 3; i < 13; ++i)
        CHECK(up.data<float>()[i] == Approx(i * 7.0 / 15.0).margin(1e-5));
    // axes: sizes only for axis 1 of a 2x4 input; not_larger keeps the aspect ratio of the axes.
    const Tensor x = floats({2, 4}, {0, 1, 2, 3, 4, 5, 6, 7});
    const Tensor half = runOp("Resize", {x, Tensor(), Tensor(), int64s({2})},
                              {intsAttr("axes", {1}), stringAttr("mode", "nearest")}, 18)[0];
    CHECK(half.shape() == Shape{2, 2});
    // One scale for both axes: min(4/2, 4/4) = 1 (not_larger) or max = 2 (not_smaller).
    const auto policy = [&](const char* p) {
        return runOp("Resize", {x, Tensor(), Tensor(), int64s({4, 4})},
                     {stringAttr("keep_aspect_ratio_policy", p)}, 18)[0];
    };
    CHECK(policy("not_larger").shape() == Shape{2, 4});
    const Tensor cover = policy("not_smaller");
    REQUIRE(cover.shape() == Shape{4, 8});
    CHECK(cover.data<float>()[0] == 0.0f); // nearest, half_pixel: (0.5 / 2 - 0.5) -> 0
    CHECK(cover.data<float>()[8 * 3 + 7] == 7.0f);
    CHECK_FALSE(ReferenceNode("Resize", {x, Tensor(), floats({2}, {1, 0.5f})},
                           {intAttr("antialias", 1), stringAttr("mode", "linear")}, 18)
                    .claim());
}

TEST_CASE("bad attributes of the new ops fail in one line naming the node") {
    const Tensor img = floats({1, 1, 2, 2}, {0, 1, 2, 3});
    const Tensor grid = floats({1, 1, 1, 2}, {0, 0});
    struct Case {
        std::string op;
        std::vector<Tensor> inputs;
        std::vector<ir::Attribute> attrs;
        std::string mention;
    };
    Tensor words(DataType::String, {1});
    words.strings() = {"a"};
    const Case cases[] = {
        {"Resize",
         {img, Tensor(), floats({4}, {1, 1, 2, 2})},
         {stringAttr("mode", "spline")},
         "'spline'"},
        {"GridSample", {img, grid}, {stringAttr("padding_mode", "wrap")}, "'wrap'"},
        {"GridSample", {img, grid}, {stringAttr("mode", "area")}, "'area'"},
        {"NonMaxSuppression",
         {floats({1, 1, 4}, {0, 0, 1, 1}), floats({1, 1, 1}, {1})},
         {intAttr("center_point_box", 2)},
         "center_point_box"},
        {"RoiAlign",
         {img, floats({1, 4}, {0, 0, 1, 1}), int64s({0})},
         {stringAttr("mode", "sum")},
         "'sum'"},
        {"StringNormalizer", {words}, {stringAttr("case_change_action", "TITLE")}, "'TITLE'"},
        {"TfIdfVectorizer", {int64s({1})}, {stringAttr("mode", "BM25")}, "'BM25'"},
        {"HannWindow", {int64s({4})}, {intAttr("output_datatype", 8)}, "output_datatype"},
        {"DFT",
         {floats({1, 4, 1}, {1, 2, 3, 4})},
         {intAttr("inverse", 1), intAttr("onesided", 1)},
         "onesided"},
    };
    for (const Case& c : cases) {
        INFO(c.op);
        const std::string e = errorOf(c.op, c.inputs, c.attrs);
        CHECK_THAT(e,
                   Catch::Contains("'n0'") && Catch::Contains(c.op) && Catch::Contains(c.mention));
        CHECK(e.find('\n') == std::string::npos);
    }
}

TEST_CASE("NonMaxSuppression: per class, scores above the threshold, IoU above suppresses") {
    // Two overlapping boxes (IoU 0.81) and one apart, two classes.
    const Tensor boxes = floats({1, 3, 4}, {0, 0, 10, 10, 0, 1, 10, 11, 20, 20, 30, 30});
    const Tensor scores = floats({1, 2, 3}, {0.9f, 0.8f, 0.3f, 0.1f, 0.7f, 0.6f});
    const Tensor out = runOp("NonMaxSuppression", {boxes, scores, int64s({5}), floats({1}, {0.5f}),
                                                   floats({1}, {0.2f})})[0];
    REQUIRE(out.shape() == Shape{4, 3});
    const std::vector<int64_t> got(out.data<int64_t>(), out.data<int64_t>() + 12);
    CHECK(got == std::vector<int64_t>{0, 0, 0, 0, 0, 2, 0, 1, 1, 0, 1, 2});
}

TEST_CASE("RoiAlign max mode takes the largest weighted tap") {
    const Tensor x = floats({1, 1, 2, 2}, {1, 2, 3, 4});
    const Tensor y = runOp("RoiAlign", {x, floats({1, 4}, {0, 0, 1, 1}), int64s({0})},
                           {stringAttr("mode", "max"), intAttr("sampling_ratio", 1),
                            stringAttr("coordinate_transformation_mode", "output_half_pixel")},
                           16)[0];
    REQUIRE(y.shape() == Shape{1, 1, 1, 1});
    // One sample at (0.5, 0.5): taps 1, 2, 3, 4 each weighted 0.25.
    CHECK(y.data<float>()[0] == Approx(1.0));
}

TEST_CASE("a float16 graph with a float16 weight runs in a session and stays float16") {
    // y = Relu(x) * w, w a float16 initializer the kernel reads widened.
    auto graph = std::make_shared<ir::Graph>();
    graph->opsetImports[""] = 17;
    const auto value = [&](const char* name, Shape shape) {
        const ir::ValueId v = graph->addValue(name);
        graph->value(v).dtype = DataType::Float16;
        graph->value(v).shape = symbolicShape(shape);
        return v;
    };
    const ir::ValueId x = value("x", {3}), w = value("w", {3}), r = value("r", {3}),
                      y = value("y", {3});
    graph->inputs() = {x, w};
    graph->outputs() = {y};
    graph->setInitializer(w, halves(DataType::Float16, {3}, {2.0f, 0.5f, -1.0f}));
    ir::Node relu;
    relu.name = "relu";
    relu.opType = "Relu";
    relu.inputs = {x};
    relu.outputs = {r};
    graph->addNode(relu);
    ir::Node mul;
    mul.name = "mul";
    mul.opType = "Mul";
    mul.inputs = {r, w};
    mul.outputs = {y};
    graph->addNode(mul);
    runtime::Session session(graph, {std::make_shared<backends::reference::ReferenceBackend>()});
    const std::vector<Tensor> out =
        session.run({{"x", halves(DataType::Float16, {3}, {-4.0f, 3.0f, 0.1f})}});
    REQUIRE(out.size() == 1);
    REQUIRE(out[0].dtype() == DataType::Float16);
    CHECK(out[0].valueAsDouble(0) == 0.0);
    CHECK(out[0].valueAsDouble(1) == 1.5);
    // 0.1 in float16 is 0.0999755859375; times -1 is exact.
    CHECK(out[0].valueAsDouble(2) == -0.0999755859375);
}
