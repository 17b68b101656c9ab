// The reference kernels added for the ONNX op set's breadth (indexing, losses, misc math): the
// edge cases the ONNX conformance data does not cover, and the errors bad nodes give.

#include "reference_node_util.h"
#include "runtime/inputs.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

using namespace lb;
using namespace lb::test;

namespace {

std::vector<Tensor> runOp(const std::string& op, const std::vector<Tensor>& inputs,
                          std::vector<ir::Attribute> attrs = {}, size_t outputs = 1,
                          int64_t opset = 17) {
    return test::ReferenceNode(op, inputs, std::move(attrs), opset, test::untypedOutputs(outputs))
        .run(inputs);
}

} // namespace

TEST_CASE("NegativeLogLikelihoodLoss: mean over weights, every target ignored gives NaN") {
    // log-probabilities of 2 samples over 3 classes
    const Tensor x = floats({2, 3}, {-1, -2, -3, -4, -5, -6});
    const Tensor w = floats({3}, {1, 2, 3});
    auto mean = runOp("NegativeLogLikelihoodLoss", {x, int64s({2}, {0, 2}), w});
    // (1*1 + 6*3) / (1 + 3)
    CHECK(values<float>(mean[0])[0] == Approx(19.0f / 4.0f));
    auto none = runOp("NegativeLogLikelihoodLoss", {x, int64s({2}, {1, 7})},
                      {stringAttr("reduction", "none"), intAttr("ignore_index", 7)});
    CHECK(none[0].shape() == Shape{2});
    CHECK(values<float>(none[0]) == std::vector<float>{2, 0});
    auto allIgnored = runOp("NegativeLogLikelihoodLoss", {x, int64s({2}, {-1, -1})},
                            {intAttr("ignore_index", -1)});
    CHECK(std::isnan(values<float>(allIgnored[0])[0]));
}

TEST_CASE("NegativeLogLikelihoodLoss: a target outside the classes or a bad reduction fails") {
    const Tensor x = floats({2, 3}, {-1, -2, -3, -4, -5, -6});
    CHECK_THROWS_WITH(runOp("NegativeLogLikelihoodLoss", {x, int64s({2}, {0, 3})}),
                      Catch::Contains("target 3") && Catch::Contains("3 classes"));
    CHECK_THROWS_WITH(runOp("NegativeLogLikelihoodLoss", {x, int64s({2}, {0, 1})},
                            {stringAttr("reduction", "avg")}),
                      Catch::Contains("n0") && Catch::Contains("'avg'"));
    CHECK_THROWS_WITH(runOp("NegativeLogLikelihoodLoss", {x, int64s({3}, {0, 1, 2})}),
                      Catch::Contains("target shape"));
}

TEST_CASE("SoftmaxCrossEntropyLoss in float64 returns the log-probabilities") {
    const Tensor x = tensorOf<double>(DataType::Float64, {1, 2}, {0.0, std::log(3.0)});
    auto out = runOp("SoftmaxCrossEntropyLoss", {x, int64s({1}, {1})}, {}, 2);
    CHECK(out[0].dtype() == DataType::Float64);
    CHECK(values<double>(out[0])[0] == Approx(-std::log(0.75)));
    CHECK(values<double>(out[1])[0] == Approx(std::log(0.25)));
    ReferenceNode ints("SoftmaxCrossEntropyLoss", {int64s({1, 2}, {0, 1}), int64s({1}, {1})}, {});
    CHECK_FALSE(ints.claim());
    CHECK_THAT(ints.claim().text(), Catch::Contains("float32 or float64"));
}

TEST_CASE("Trilu on a batch of non-square matrices, k beyond the matrix") {
    const Tensor x = int64s({2, 2, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    auto lower = runOp("Trilu", {x, int64s({}, {-1})}, {intAttr("upper", 0)});
    CHECK(values<int64_t>(lower[0]) == std::vector<int64_t>{0, 0, 0, 4, 0, 0, 0, 0, 0, 10, 0, 0});
    auto all = runOp("Trilu", {x, int64s({}, {-5})});
    CHECK(values<int64_t>(all[0]) == values<int64_t>(x));
    CHECK_THROWS_WITH(runOp("Trilu", {int64s({3}, {1, 2, 3})}), Catch::Contains("rank >= 2"));
}

TEST_CASE("CumSum exclusive and reverse together, along a middle axis") {
    const Tensor x = floats({1, 3, 2}, {1, 2, 3, 4, 5, 6});
    auto out =
        runOp("CumSum", {x, int64s({}, {1})}, {intAttr("exclusive", 1), intAttr("reverse", 1)});
    CHECK(values<float>(out[0]) == std::vector<float>{8, 10, 5, 6, 0, 0});
    CHECK_THROWS_WITH(runOp("CumSum", {x, int64s({}, {3})}), Catch::Contains("out of range"));
}

TEST_CASE("GatherElements and ScatterElements reject indices outside the axis") {
    const Tensor x = floats({2, 2}, {1, 2, 3, 4});
    CHECK_THROWS_WITH(runOp("GatherElements", {x, int64s({1, 1}, {2})}),
                      Catch::Contains("index 2"));
    auto max = runOp("ScatterElements", {x, int64s({1, 2}, {1, 1}), floats({1, 2}, {0, 9})},
                     {stringAttr("reduction", "max")}, 1, 18);
    CHECK(values<float>(max[0]) == std::vector<float>{1, 2, 3, 9});
    CHECK_THROWS_WITH(runOp("ScatterElements", {x, int64s({1, 1}, {0}), floats({1, 1}, {0})},
                            {stringAttr("reduction", "sum")}),
                      Catch::Contains("n0") && Catch::Contains("'sum'"));
}

TEST_CASE("GatherND with batch_dims and ScatterND with duplicate adds") {
    const Tensor x = int64s({2, 2, 2}, {0, 1, 2, 3, 4, 5, 6, 7});
    auto g = runOp("GatherND", {x, int64s({2, 1, 2}, {0, 1, 1, 0})}, {intAttr("batch_dims", 1)});
    CHECK(g[0].shape() == Shape{2, 1});
    CHECK(values<int64_t>(g[0]) == std::vector<int64_t>{1, 6});
    auto s = runOp("ScatterND",
                   {floats({4}, {1, 1, 1, 1}), int64s({3, 1}, {1, 1, -1}), floats({3}, {2, 3, 4})},
                   {stringAttr("reduction", "add")});
    CHECK(values<float>(s[0]) == std::vector<float>{1, 6, 1, 5});
    CHECK_THROWS_WITH(runOp("GatherND", {x, int64s({1, 4}, {0, 0, 0, 0})}),
                      Catch::Contains("do not fit"));
}

TEST_CASE("OneHot leaves out-of-range indices all off, depth must be positive") {
    auto out = runOp("OneHot", {int64s({3}, {0, 5, -1}), int64s({}, {3}), floats({2}, {0, 1})});
    CHECK(values<float>(out[0]) == std::vector<float>{1, 0, 0, 0, 0, 0, 0, 0, 1});
    CHECK_THROWS_WITH(runOp("OneHot", {int64s({1}, {0}), int64s({}, {0}), floats({2}, {0, 1})}),
                      Catch::Contains("depth"));
}

TEST_CASE("Unique without sorting keeps first occurrences, NonZero and Compress") {
    auto u = runOp("Unique", {floats({5}, {3, 1, 3, 2, 1})}, {intAttr("sorted", 0)}, 4);
    CHECK(values<float>(u[0]) == std::vector<float>{3, 1, 2});
    CHECK(values<int64_t>(u[1]) == std::vector<int64_t>{0, 1, 3});
    CHECK(values<int64_t>(u[2]) == std::vector<int64_t>{0, 1, 0, 2, 1});
    CHECK(values<int64_t>(u[3]) == std::vector<int64_t>{2, 2, 1});
    auto nz = runOp("NonZero", {floats({2, 2}, {0, 1, 2, 0})});
    CHECK(nz[0].shape() == Shape{2, 2});
    CHECK(values<int64_t>(nz[0]) == std::vector<int64_t>{0, 1, 1, 0});
    Tensor cond(DataType::Bool, {3});
    CHECK_THROWS_WITH(runOp("Compress", {floats({2}, {1, 2}), cond}, {intAttr("axis", 0)}),
                      Catch::Contains("3 values for an axis of size 2"));
}

TEST_CASE("DepthToSpace and SpaceToDepth invert each other, bad blocksize and mode fail") {
    std::vector<float> v(32);
    for (size_t i = 0; i < v.size(); ++i)
        v[i] = static_cast<float>(i);
    const Tensor x = floats({1, 8, 2, 2}, v);
    for (const char* mode : {"DCR", "CRD"}) {
        auto space =
            runOp("DepthToSpace", {x}, {intAttr("blocksize", 2), stringAttr("mode", mode)});
        CHECK(space[0].shape() == Shape{1, 2, 4, 4});
        if (std::string(mode) == "DCR") {
            auto back = runOp("SpaceToDepth", {space[0]}, {intAttr("blocksize", 2)});
            CHECK(values<float>(back[0]) == v);
        }
    }
    CHECK_THROWS_WITH(
        runOp("DepthToSpace", {x}, {intAttr("blocksize", 2), stringAttr("mode", "X")}),
        Catch::Contains("n0") && Catch::Contains("DCR or CRD"));
    CHECK_THROWS_WITH(runOp("DepthToSpace", {x}, {intAttr("blocksize", 3)}),
                      Catch::Contains("multiple of blocksize"));
    CHECK_THROWS_WITH(runOp("SpaceToDepth", {x}, {}), Catch::Contains("blocksize"));
}

TEST_CASE("Einsum: implicit output, ellipsis broadcast and a bad equation") {
    const Tensor a = floats({2, 3}, {1, 2, 3, 4, 5, 6});
    // the implicit output lists the labels in alphabetical order: "ji" transposes
    auto t = runOp("Einsum", {a}, {stringAttr("equation", "ji")});
    CHECK(t[0].shape() == Shape{3, 2});
    CHECK(values<float>(t[0]) == std::vector<float>{1, 4, 2, 5, 3, 6});
    auto trace = runOp("Einsum", {floats({2, 2}, {1, 2, 3, 4})}, {stringAttr("equation", "ii")});
    CHECK(values<float>(trace[0]) == std::vector<float>{5});
    // [1, 3] broadcast against [2, 3] along the ellipsis
    auto bc =
        runOp("Einsum", {floats({1, 3}, {1, 1, 1}), a}, {stringAttr("equation", "...j,...j->...")});
    CHECK(values<float>(bc[0]) == std::vector<float>{6, 15});
    CHECK_THROWS_WITH(runOp("Einsum", {a}, {stringAttr("equation", "i?")}),
                      Catch::Contains("n0") && Catch::Contains("'?'"));
    CHECK_THROWS_WITH(runOp("Einsum", {a}, {stringAttr("equation", "ij,jk")}),
                      Catch::Contains("2 terms for 1 inputs"));
}

TEST_CASE("Pow with an integer base and exponent stays integer, Det of a singular matrix") {
    auto p = runOp("Pow", {int64s({3}, {2, -3, 0}), int64s({3}, {10, 3, 0})});
    CHECK(p[0].dtype() == DataType::Int64);
    CHECK(values<int64_t>(p[0]) == std::vector<int64_t>{1024, -27, 1});
    auto d = runOp("Det", {floats({2, 2, 2}, {1, 2, 2, 4, 0, 1, 1, 0})});
    CHECK(values<float>(d[0]) == std::vector<float>{0, -1});
}

TEST_CASE("Hardmax picks the first maximum, IsInf detects one sign, Shrink on integers") {
    auto h = runOp("Hardmax", {floats({1, 3}, {2, 2, 1})});
    CHECK(values<float>(h[0]) == std::vector<float>{1, 0, 0});
    const float inf = std::numeric_limits<float>::infinity();
    auto neg = runOp("IsInf", {floats({3}, {inf, -inf, 1})}, {intAttr("detect_positive", 0)});
    CHECK(neg[0].data<bool>()[0] == false);
    CHECK(neg[0].data<bool>()[1] == true);
    auto s =
        runOp("Shrink", {int64s({3}, {-5, 1, 5})}, {floatAttr("bias", 1), floatAttr("lambd", 1)});
    CHECK(values<int64_t>(s[0]) == std::vector<int64_t>{-4, 0, 4});
}

TEST_CASE("LRN requires size, MaxUnpool rejects indices outside its output") {
    CHECK_THROWS_WITH(runOp("LRN", {floats({1, 1, 1}, {1})}),
                      Catch::Contains("n0") && Catch::Contains("'size'"));
    CHECK_THROWS_WITH(runOp("MaxUnpool", {floats({1, 1, 1, 1}, {1}), int64s({1, 1, 1, 1}, {4})},
                            {intsAttr("kernel_shape", {2, 2}), intsAttr("strides", {2, 2})}),
                      Catch::Contains("index 4"));
}

TEST_CASE("MaxPool on uint8 with column-major Indices") {
    const Tensor x = tensorOf<uint8_t>(DataType::UInt8, {1, 1, 2, 2}, {1, 9, 3, 4});
    auto out =
        runOp("MaxPool", {x}, {intsAttr("kernel_shape", {2, 2}), intAttr("storage_order", 1)}, 2);
    CHECK(out[0].dtype() == DataType::UInt8);
    CHECK(out[0].data<uint8_t>()[0] == 9);
    // 9 sits at row 0, column 1: index 2 in column-major order
    CHECK(values<int64_t>(out[1]) == std::vector<int64_t>{2});
    ReferenceNode avg("AveragePool", {x}, {intsAttr("kernel_shape", {2, 2})});
    CHECK_FALSE(avg.claim());
}

TEST_CASE("BatchNormalization training mode normalizes with the batch statistics") {
    const Tensor x = floats({2, 1, 1, 1}, {1, 3});
    const Tensor one = floats({1}, {1}), zero = floats({1}, {0}), ten = floats({1}, {10});
    auto out = runOp("BatchNormalization", {x, one, zero, zero, ten}, {intAttr("training_mode", 1)},
                     3, 15);
    CHECK(values<float>(out[0])[0] == Approx(-1.0f).epsilon(1e-4));
    CHECK(values<float>(out[1])[0] == Approx(0.2f));        // 0 * 0.9 + 2 * 0.1
    CHECK(values<float>(out[2])[0] == Approx(9.0f + 0.1f)); // 10 * 0.9 + 1 * 0.1
    CHECK_THROWS_WITH(runOp("BatchNormalization", {x, one, zero, zero, ten}, {}, 3, 15),
                      Catch::Contains("training_mode=1"));
}

TEST_CASE("random inputs cover the unsigned and 16-bit integer types the op tests feed") {
    // `run` fills inputs without a file with random values; Pow's conformance models take uint32
    // and uint64 exponents.
    ir::Graph g;
    for (DataType t : {DataType::UInt32, DataType::UInt64, DataType::Int16, DataType::UInt16}) {
        const ir::ValueId v = g.addValue("in" + std::to_string(static_cast<int>(t)));
        g.value(v).dtype = t;
        g.value(v).shape = symbolicShape({64});
        g.inputs().push_back(v);
    }
    const auto inputs = runtime::randomInputs(g, 3);
    REQUIRE(inputs.size() == 4);
    for (const auto& [name, t] : inputs) {
        INFO(name);
        CHECK(t.numel() == 64);
        double sum = 0;
        for (int64_t i = 0; i < t.numel(); ++i) {
            CHECK(t.valueAsDouble(i) < 10);
            sum += t.valueAsDouble(i);
        }
        CHECK(sum > 0); // not left zero-filled
    }
}

TEST_CASE("ReduceLogSumExp does not overflow on large values, float32 and float64") {
    auto f = runOp("ReduceLogSumExp", {floats({2}, {1000, 1000})}, {intAttr("keepdims", 0)});
    CHECK(values<float>(f[0])[0] == Approx(1000.0f + std::log(2.0f)));
    auto d = runOp("ReduceLogSumExp", {tensorOf<double>(DataType::Float64, {2}, {-2000.0, -2000.0})},
                   {intAttr("keepdims", 0)});
    CHECK(d[0].dtype() == DataType::Float64);
    CHECK(values<double>(d[0])[0] == Approx(-2000.0 + std::log(2.0)));
}

namespace {

// An optimizer node of ai.onnx.preview.training on one tensor: inputs R, T, X, G and the states.
std::vector<Tensor> runOptimizer(const std::string& op, const std::vector<Tensor>& inputs,
                                 std::vector<ir::Attribute> attrs, size_t outputs) {
    ReferenceNode node(op, inputs, std::move(attrs), 17, untypedOutputs(outputs));
    node.graph.node(node.id).domain = "ai.onnx.preview.training";
    return node.run(inputs);
}

} // namespace

TEST_CASE("Adagrad, Adam (bias-corrected) and Nesterov momentum: one step by hand") {
    const Tensor r = floats({}, {0.1f}), t2 = int64s({}, {2}), t1 = int64s({}, {1});
    auto adagrad =
        runOptimizer("Adagrad", {r, t2, floats({1}, {1}), floats({1}, {2}), floats({1}, {1})},
                     {floatAttr("decay_factor", 0.5f)}, 2);
    CHECK(values<float>(adagrad[0])[0] == Approx(0.9552786f));
    CHECK(values<float>(adagrad[1])[0] == Approx(5.0f));
    auto adam = runOptimizer(
        "Adam", {r, t2, floats({1}, {1}), floats({1}, {1}), floats({1}, {0}), floats({1}, {0})}, {},
        3);
    CHECK(values<float>(adam[0])[0] == Approx(0.9255863f));
    CHECK(values<float>(adam[1])[0] == Approx(0.1f));
    CHECK(values<float>(adam[2])[0] == Approx(0.001f).epsilon(1e-4)); // beta is the float 0.999f
    auto nesterov =
        runOptimizer("Momentum", {r, t1, floats({1}, {1}), floats({1}, {2}), floats({1}, {1})},
                     {floatAttr("alpha", 0.5f), floatAttr("beta", 0.2f),
                      stringAttr("mode", "nesterov"), floatAttr("norm_coefficient", 0.1f)},
                     2);
    CHECK(values<float>(nesterov[0])[0] == Approx(0.744f));
    CHECK(values<float>(nesterov[1])[0] == Approx(0.92f));
}

TEST_CASE("optimizers name the node for a missing attribute or a wrong input count") {
    const Tensor r = floats({}, {0.1f}), t = int64s({}, {1}), x = floats({1}, {1});
    CHECK_THROWS_WITH(runOptimizer("Momentum", {r, t, x, x, x},
                                   {floatAttr("alpha", 0.5f), floatAttr("beta", 0.2f),
                                    floatAttr("norm_coefficient", 0.0f)},
                                   2),
                      Catch::Contains("n0") && Catch::Contains("'mode' is required"));
    CHECK_THROWS_WITH(runOptimizer("Adam", {r, t, x, x, x}, {}, 3),
                      Catch::Contains("n0") && Catch::Contains("got 5 inputs and 3 outputs"));
    ReferenceNode gradient("Gradient", {x}, {});
    gradient.graph.node(gradient.id).domain = "ai.onnx.preview.training";
    CHECK_THAT(gradient.claim().text(), Catch::Contains("op Gradient is not implemented"));
}
