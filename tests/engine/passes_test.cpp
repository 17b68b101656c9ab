// Every graph pass is checked numerically: the graph runs on the reference backend before and
// after the pass on the same random input, and the outputs must agree.
#include "backends/reference/reference_backend.h"
#include "graph_query_util.h"
#include "lowering/rewrite_util.h"
#include "onnx/importer.h"
#include "ops/fused_ops.h"
#include "passes/constant_folding.h"
#include "passes/conv_folding.h"
#include "passes/fusion.h"
#include "passes/shape_inference.h"
#include "runtime/session.h"
#include "test_models.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>

using namespace lb;
using lb::test::countOps;

namespace {

Tensor randomTensor(const Shape& shape, uint32_t seed, float lo = -1.0f, float hi = 1.0f) {
    Tensor t(DataType::Float32, shape);
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(lo, hi);
    for (float& v : t.span<float>())
        v = dist(rng);
    return t;
}

std::vector<Tensor> runReference(const ir::Graph& g, const std::map<std::string, Tensor>& inputs) {
    auto backend = std::make_shared<backends::reference::ReferenceBackend>();
    runtime::Session session(std::make_shared<ir::Graph>(g), {backend});
    return session.run(inputs);
}

// Largest max|a-b| / max|a| over the outputs (errors relative to each output's scale, so a
// near-zero output cannot hide a difference).
double maxRelativeDiff(const std::vector<Tensor>& a, const std::vector<Tensor>& b) {
    REQUIRE(a.size() == b.size());
    double worst = 0;
    for (size_t k = 0; k < a.size(); ++k) {
        REQUIRE(a[k].shape() == b[k].shape());
        double scale = 0, diff = 0;
        for (int64_t i = 0; i < a[k].numel(); ++i) {
            const double x = a[k].valueAsDouble(i), y = b[k].valueAsDouble(i);
            scale = std::max(scale, std::fabs(x));
            diff = std::max(diff, std::fabs(x - y));
        }
        worst = std::max(worst, scale > 0 ? diff / scale : diff);
    }
    return worst;
}

ir::Attribute floatAttr(const std::string& name, float v) {
    ir::Attribute a;
    a.name = name;
    a.type = ir::AttributeType::Float;
    a.f = v;
    return a;
}

ir::ValueId addConstant(ir::Graph& g, const std::string& name, Tensor t) {
    ir::ValueId v = g.addValue(name);
    g.setInitializer(v, std::move(t));
    return v;
}

Tensor scalar(float v) {
    Tensor t(DataType::Float32, {1});
    t.data<float>()[0] = v;
    return t;
}

// x(1x4x6x6) -> Conv 3x3 (8 channels, bias) -> [tail] -> y
ir::Graph convModel() {
    ir::Graph g = test::emptyModel("conv");
    test::addInput(g, "x", {1, 4, 6, 6});
    addConstant(g, "w", randomTensor({8, 4, 3, 3}, 1));
    addConstant(g, "b", randomTensor({8}, 2));
    test::addNode(g, "Conv", {"x", "w", "b"}, {"c"}, {test::intsAttr("pads", {1, 1, 1, 1})},
                  {{1, 8, 6, 6}});
    return g;
}

void finish(ir::Graph& g, const std::string& out) {
    g.outputs().push_back(*g.findValue(out));
}

} // namespace

TEST_CASE("BatchNorm after Conv folds into the Conv's weights", "[passes]") {
    ir::Graph g = convModel();
    addConstant(g, "gamma", randomTensor({8}, 3, 0.5f, 2.0f));
    addConstant(g, "beta", randomTensor({8}, 4));
    addConstant(g, "mean", randomTensor({8}, 5));
    addConstant(g, "var", randomTensor({8}, 6, 0.1f, 3.0f));
    test::addNode(g, "BatchNormalization", {"c", "gamma", "beta", "mean", "var"}, {"y"},
                  {floatAttr("epsilon", 1e-3f)}, {{1, 8, 6, 6}});
    finish(g, "y");
    const std::map<std::string, Tensor> in{{"x", randomTensor({1, 4, 6, 6}, 9)}};
    const auto before = runReference(g, in);
    REQUIRE(passes::FoldBatchNormIntoConv().run(g));
    CHECK(countOps(g, "BatchNormalization") == 0);
    CHECK(countOps(g, "Conv") == 1);
    CHECK(maxRelativeDiff(before, runReference(g, in)) < 1e-5);
}

TEST_CASE("a per-channel Mul and Add after Conv fold into weights and bias", "[passes]") {
    ir::Graph g = convModel();
    addConstant(g, "s", randomTensor({8, 1, 1}, 3, 0.5f, 2.0f));
    addConstant(g, "k", scalar(0.25f));
    test::addNode(g, "Mul", {"s", "c"}, {"m"}, {}, {{1, 8, 6, 6}});
    test::addNode(g, "Add", {"m", "k"}, {"y"}, {}, {{1, 8, 6, 6}});
    finish(g, "y");
    const std::map<std::string, Tensor> in{{"x", randomTensor({1, 4, 6, 6}, 9)}};
    const auto before = runReference(g, in);
    passes::FoldAffineIntoConv fold;
    REQUIRE(fold.run(g));
    fold.run(g);
    CHECK(g.nodeCount() == 1);
    CHECK(maxRelativeDiff(before, runReference(g, in)) < 1e-5);
}

TEST_CASE("ConvTranspose -> Add(bias) -> BatchNorm fold into the ConvTranspose", "[passes]") {
    // PP-OCR det's head: ConvTranspose 2x2 stride 2, a per-channel Add, BatchNormalization.
    ir::Graph g = test::emptyModel("deconv");
    test::addInput(g, "x", {1, 4, 5, 6});
    addConstant(g, "w", randomTensor({4, 6, 2, 2}, 1));
    addConstant(g, "k", randomTensor({1, 6, 1, 1}, 2));
    addConstant(g, "gamma", randomTensor({6}, 3, 0.5f, 2.0f));
    addConstant(g, "beta", randomTensor({6}, 4));
    addConstant(g, "mean", randomTensor({6}, 5));
    addConstant(g, "var", randomTensor({6}, 6, 0.1f, 3.0f));
    test::addNode(g, "ConvTranspose", {"x", "w"}, {"t"}, {test::intsAttr("strides", {2, 2})},
                  {{1, 6, 10, 12}});
    test::addNode(g, "Add", {"t", "k"}, {"a"}, {}, {{1, 6, 10, 12}});
    test::addNode(g, "BatchNormalization", {"a", "gamma", "beta", "mean", "var"}, {"y"}, {},
                  {{1, 6, 10, 12}});
    finish(g, "y");
    const std::map<std::string, Tensor> in{{"x", randomTensor({1, 4, 5, 6}, 9)}};
    const auto before = runReference(g, in);
    REQUIRE(passes::FoldAffineIntoConv().run(g));
    REQUIRE(passes::FoldBatchNormIntoConv().run(g));
    REQUIRE(g.nodeCount() == 1);
    CHECK(g.node(g.nodeIds()[0]).opType == "ConvTranspose");
    CHECK(maxRelativeDiff(before, runReference(g, in)) < 1e-5);
}

TEST_CASE("a grouped ConvTranspose is not folded", "[passes]") {
    ir::Graph g = test::emptyModel("deconv");
    test::addInput(g, "x", {1, 4, 5, 6});
    addConstant(g, "w", randomTensor({4, 3, 2, 2}, 1));
    addConstant(g, "k", randomTensor({1, 6, 1, 1}, 2));
    test::addNode(g, "ConvTranspose", {"x", "w"}, {"t"},
                  {test::intsAttr("strides", {2, 2}), test::intAttr("group", 2)}, {{1, 6, 10, 12}});
    test::addNode(g, "Mul", {"t", "k"}, {"y"}, {}, {{1, 6, 10, 12}});
    finish(g, "y");
    CHECK_FALSE(passes::FoldAffineIntoConv().run(g));
}

TEST_CASE("a Mul whose constant would broadcast the conv output up is not folded", "[passes]") {
    ir::Graph g = convModel();
    addConstant(g, "s", randomTensor({2, 8, 1, 1}, 3));
    test::addNode(g, "Mul", {"c", "s"}, {"y"}, {}, {{2, 8, 6, 6}});
    finish(g, "y");
    CHECK_FALSE(passes::FoldAffineIntoConv().run(g));
}

TEST_CASE("decomposed hard-swish forms become one HardSwish", "[passes]") {
    // y1 = x * clip(x + 3, 0, 6) / 6   (Add -> Clip -> Mul -> Div, PaddleOCR's export)
    // y2 = x * (clip(3 + x, 0, 6) / 6)  (Add -> Clip -> Div -> Mul)
    // y3 = clip(x + 3, 0, 6) / 6        (hard-sigmoid alone)
    ir::Graph g = test::emptyModel("hs");
    g.opsetImports[""] = 11;
    test::addInput(g, "x", {2, 5});
    addConstant(g, "three", scalar(3.0f));
    addConstant(g, "six", scalar(6.0f));
    addConstant(g, "zero", scalar(0.0f));
    const Shape s{2, 5};
    test::addNode(g, "Add", {"x", "three"}, {"a1"}, {}, {s});
    test::addNode(g, "Clip", {"a1", "zero", "six"}, {"c1"}, {}, {s});
    test::addNode(g, "Mul", {"x", "c1"}, {"m1"}, {}, {s});
    test::addNode(g, "Div", {"m1", "six"}, {"y1"}, {}, {s});
    test::addNode(g, "Add", {"three", "x"}, {"a2"}, {}, {s});
    test::addNode(g, "Clip", {"a2", "zero", "six"}, {"c2"}, {}, {s});
    test::addNode(g, "Div", {"c2", "six"}, {"d2"}, {}, {s});
    test::addNode(g, "Mul", {"d2", "x"}, {"y2"}, {}, {s});
    test::addNode(g, "Add", {"x", "three"}, {"a3"}, {}, {s});
    test::addNode(g, "Clip", {"a3", "zero", "six"}, {"c3"}, {}, {s});
    test::addNode(g, "Div", {"c3", "six"}, {"y3"}, {}, {s});
    finish(g, "y1");
    finish(g, "y2");
    finish(g, "y3");
    const std::map<std::string, Tensor> in{{"x", randomTensor({2, 5}, 4, -6.0f, 6.0f)}};
    const auto before = runReference(g, in);
    REQUIRE(passes::FuseHardSwish().run(g));
    CHECK(countOps(g, "HardSwish") == 2);
    CHECK(countOps(g, "HardSigmoid") == 1);
    CHECK(g.nodeCount() == 3);
    CHECK(maxRelativeDiff(before, runReference(g, in)) < 1e-6);
}

TEST_CASE("hard-swish whose intermediate is read elsewhere is left alone", "[passes]") {
    ir::Graph g = test::emptyModel("hs");
    g.opsetImports[""] = 11;
    test::addInput(g, "x", {4});
    addConstant(g, "three", scalar(3.0f));
    addConstant(g, "six", scalar(6.0f));
    addConstant(g, "zero", scalar(0.0f));
    test::addNode(g, "Add", {"x", "three"}, {"a"}, {}, {{4}});
    test::addNode(g, "Clip", {"a", "zero", "six"}, {"c"}, {}, {{4}});
    test::addNode(g, "Mul", {"x", "c"}, {"m"}, {}, {{4}});
    test::addNode(g, "Div", {"m", "six"}, {"y"}, {}, {{4}});
    finish(g, "y");
    finish(g, "c");
    CHECK_FALSE(passes::FuseHardSwish().run(g));
}

TEST_CASE("Conv + residual Add + activation become one FusedConv", "[passes]") {
    ir::Graph g = convModel();
    test::addInput(g, "r", {1, 8, 6, 6});
    test::addNode(g, "Add", {"r", "c"}, {"s"}, {}, {{1, 8, 6, 6}});
    test::addNode(g, "Relu", {"s"}, {"y"}, {}, {{1, 8, 6, 6}});
    finish(g, "y");
    const std::map<std::string, Tensor> in{{"x", randomTensor({1, 4, 6, 6}, 9)},
                                           {"r", randomTensor({1, 8, 6, 6}, 10)}};
    const auto before = runReference(g, in);
    passes::FuseConvActivation fuse;
    REQUIRE(fuse.run(g));
    fuse.run(g);
    REQUIRE(g.nodeCount() == 1);
    const ir::Node& n = g.node(g.nodeIds()[0]);
    CHECK(n.opType == "FusedConv");
    CHECK(n.domain == ops::kLayerBenchDomain);
    CHECK(ops::fusedActivation(n).kind == ops::ActivationKind::Relu);
    CHECK(n.fusedFrom.size() == 3);
    CHECK(maxRelativeDiff(before, runReference(g, in)) < 1e-6);
}

TEST_CASE("scalar Mul and Add after a FusedConv become its output_affine", "[passes]") {
    // PP-LCNetV3's learnable affine block: y = (hardswish(conv) * 1.5 + 0.25) / 2 - 0.25.
    ir::Graph g = convModel();
    addConstant(g, "s", scalar(1.5f));
    addConstant(g, "t", scalar(0.25f));
    addConstant(g, "d", scalar(2.0f));
    test::addNode(g, "HardSwish", {"c"}, {"h"}, {}, {{1, 8, 6, 6}});
    test::addNode(g, "Mul", {"s", "h"}, {"m"}, {}, {{1, 8, 6, 6}});
    test::addNode(g, "Add", {"m", "t"}, {"a"}, {}, {{1, 8, 6, 6}});
    test::addNode(g, "Div", {"a", "d"}, {"q"}, {}, {{1, 8, 6, 6}});
    test::addNode(g, "Sub", {"q", "t"}, {"y"}, {}, {{1, 8, 6, 6}});
    finish(g, "y");
    const std::map<std::string, Tensor> in{{"x", randomTensor({1, 4, 6, 6}, 9, -3.0f, 3.0f)}};
    const auto before = runReference(g, in);
    REQUIRE(passes::FuseConvActivation().run(g));
    REQUIRE(passes::FuseConvOutputAffine().run(g));
    REQUIRE(g.nodeCount() == 1);
    const ir::Node& n = g.node(g.nodeIds()[0]);
    REQUIRE(n.attribute("output_affine"));
    CHECK(n.attribute("output_affine")->floats == std::vector<float>{0.75f, -0.125f});
    CHECK(n.fusedFrom.size() == 6);
    CHECK(maxRelativeDiff(before, runReference(g, in)) < 1e-6);
    // Nothing is fused behind the affine step: it has to stay last.
    test::addNode(g, "Relu", {"y"}, {"r"}, {}, {{1, 8, 6, 6}});
    g.outputs() = {*g.findValue("r")};
    CHECK_FALSE(passes::FuseConvActivation().run(g));
}

TEST_CASE("a non-scalar Mul or a constant-first Sub after FusedConv is left alone", "[passes]") {
    ir::Graph g = convModel();
    addConstant(g, "s", randomTensor({8, 1, 1}, 3));
    addConstant(g, "t", scalar(0.25f));
    test::addNode(g, "Relu", {"c"}, {"h"}, {}, {{1, 8, 6, 6}});
    test::addNode(g, "Mul", {"h", "s"}, {"m"}, {}, {{1, 8, 6, 6}});
    test::addNode(g, "Sub", {"t", "m"}, {"y"}, {}, {{1, 8, 6, 6}});
    finish(g, "y");
    REQUIRE(passes::FuseConvActivation().run(g));
    CHECK_FALSE(passes::FuseConvOutputAffine().run(g));
}

TEST_CASE("a decomposed layer norm becomes one LayerNormalization", "[passes]") {
    // The pre-opset-17 export: (x - mean(x)) / sqrt(mean((x - mean(x))^2) + eps) * g + b.
    ir::Graph g = test::emptyModel("ln");
    const Shape s{2, 5, 8}, stat{2, 5, 1};
    test::addInput(g, "x", s);
    addConstant(g, "two", scalar(2.0f));
    addConstant(g, "eps", scalar(1e-5f));
    addConstant(g, "gamma", randomTensor({8}, 3, 0.5f, 2.0f));
    addConstant(g, "beta", randomTensor({8}, 4));
    const auto axes = test::intsAttr("axes", {-1});
    test::addNode(g, "ReduceMean", {"x"}, {"m"}, {axes}, {stat});
    test::addNode(g, "Sub", {"x", "m"}, {"d"}, {}, {s});
    test::addNode(g, "Pow", {"d", "two"}, {"p"}, {}, {s});
    test::addNode(g, "ReduceMean", {"p"}, {"v"}, {axes}, {stat});
    test::addNode(g, "Add", {"v", "eps"}, {"e"}, {}, {stat});
    test::addNode(g, "Sqrt", {"e"}, {"r"}, {}, {stat});
    test::addNode(g, "Div", {"d", "r"}, {"n"}, {}, {s});
    test::addNode(g, "Mul", {"n", "gamma"}, {"k"}, {}, {s});
    test::addNode(g, "Add", {"k", "beta"}, {"y"}, {}, {s});
    finish(g, "y");
    const std::map<std::string, Tensor> in{{"x", randomTensor(s, 9, -2.0f, 3.0f)}};
    const auto before = runReference(g, in);
    REQUIRE(passes::FuseLayerNorm().run(g));
    lowering::removeDeadNodes(g);
    REQUIRE(g.nodeCount() == 1);
    const ir::Node& n = g.node(g.nodeIds()[0]);
    CHECK(n.opType == "LayerNormalization");
    CHECK(n.domain == ops::kLayerBenchDomain);
    CHECK(n.fusedFrom.size() == 9);
    CHECK(maxRelativeDiff(before, runReference(g, in)) < 1e-5);
}

TEST_CASE("a layer norm whose centred input is read elsewhere is left alone", "[passes]") {
    ir::Graph g = test::emptyModel("ln");
    const Shape s{2, 8}, stat{2, 1};
    test::addInput(g, "x", s);
    addConstant(g, "two", scalar(2.0f));
    addConstant(g, "eps", scalar(1e-5f));
    const auto axes = test::intsAttr("axes", {1});
    test::addNode(g, "ReduceMean", {"x"}, {"m"}, {axes}, {stat});
    test::addNode(g, "Sub", {"x", "m"}, {"d"}, {}, {s});
    test::addNode(g, "Pow", {"d", "two"}, {"p"}, {}, {s});
    test::addNode(g, "ReduceMean", {"p"}, {"v"}, {axes}, {stat});
    test::addNode(g, "Add", {"v", "eps"}, {"e"}, {}, {stat});
    test::addNode(g, "Sqrt", {"e"}, {"r"}, {}, {stat});
    test::addNode(g, "Div", {"d", "r"}, {"y"}, {}, {s});
    finish(g, "y");
    finish(g, "d");
    CHECK_FALSE(passes::FuseLayerNorm().run(g));
}

TEST_CASE("constants fold, Shape of a known shape folds, dead nodes go", "[passes]") {
    ir::Graph g = test::emptyModel("fold");
    test::addInput(g, "x", {2, 3});
    addConstant(g, "a", randomTensor({2, 3}, 1));
    addConstant(g, "b", randomTensor({2, 3}, 2));
    test::addNode(g, "Mul", {"a", "b"}, {"ab"}, {}, {{2, 3}});
    test::addNode(g, "Add", {"x", "ab"}, {"s"}, {}, {{2, 3}});
    test::addNode(g, "Shape", {"s"}, {"shape"}, {}, {{2}});
    test::addNode(g, "Reshape", {"s", "shape"}, {"y"}, {}, {{2, 3}});
    test::addNode(g, "Neg", {"a"}, {"unused"}, {}, {{2, 3}});
    finish(g, "y");
    const std::map<std::string, Tensor> in{{"x", randomTensor({2, 3}, 3)}};
    const auto before = runReference(g, in);
    REQUIRE(passes::FoldConstants().run(g));
    REQUIRE(passes::RemoveDeadNodes().run(g));
    CHECK(countOps(g, "Mul") == 0);
    CHECK(countOps(g, "Shape") == 0);
    CHECK(countOps(g, "Neg") == 0);
    CHECK(g.nodeCount() == 2);
    CHECK(maxRelativeDiff(before, runReference(g, in)) == 0.0);
}

TEST_CASE("shape inference after folding gives a Reshape chain static shapes", "[passes]") {
    ir::Graph g = test::emptyModel("reinfer");
    test::addInput(g, "x", {2, 3, 4});
    Tensor zero(DataType::Int64, {});
    zero.data<int64_t>()[0] = 0;
    addConstant(g, "zero", zero);
    Tensor axes(DataType::Int64, {1});
    axes.data<int64_t>()[0] = 0;
    addConstant(g, "axes", axes);
    Tensor minusOne(DataType::Int64, {1});
    minusOne.data<int64_t>()[0] = -1;
    addConstant(g, "minus_one", minusOne);
    // Every intermediate is left untyped, as after passes that create values without types.
    test::addNode(g, "Shape", {"x"}, {"shape"});
    test::addNode(g, "Gather", {"shape", "zero"}, {"batch"});
    test::addNode(g, "Unsqueeze", {"batch", "axes"}, {"batch1"});
    test::addNode(g, "Concat", {"batch1", "minus_one"}, {"target"}, {test::intAttr("axis", 0)});
    test::addNode(g, "Reshape", {"x", "target"}, {"flat"});
    test::addNode(g, "Transpose", {"flat"}, {"t"}, {test::intsAttr("perm", {1, 0})});
    test::addNode(g, "Sigmoid", {"t"}, {"y"});
    finish(g, "y");
    const std::map<std::string, Tensor> in{{"x", randomTensor({2, 3, 4}, 5)}};
    const auto before = runReference(g, in);
    REQUIRE(passes::InferShapes().run(g));
    for (const char* name : {"flat", "t", "y"}) {
        const ir::Value& v = g.value(*g.findValue(name));
        INFO(name);
        REQUIRE(v.shape);
        CHECK(v.dtype == DataType::Float32);
    }
    CHECK(*g.value(*g.findValue("flat")).shape == symbolicShape({2, 12}));
    CHECK(*g.value(*g.findValue("t")).shape == symbolicShape({12, 2}));
    // The Shape/Gather/Unsqueeze/Concat chain folded into the Reshape's constant target.
    CHECK(countOps(g, "Shape") == 0);
    CHECK(countOps(g, "Concat") == 0);
    CHECK(g.isInitializer(*g.findValue("target")));
    CHECK(maxRelativeDiff(before, runReference(g, in)) == 0.0);
    // Nothing new to learn: a second run reports no change (the optimize loop terminates).
    CHECK_FALSE(passes::InferShapes().run(g));
}

TEST_CASE("the default pass list keeps the PaddleOCR models' outputs", "[passes][models]") {
    struct Case {
        const char* file;
        Shape shape;
        double tolerance;
    };
    // det is checked at a small input here (the full-size comparison against ONNX Runtime is in
    // bench/); tolerances are relative to max(1, |reference|).
    const Case cases[] = {{"ch_ppocr_mobile_v2.0_cls_infer.onnx", {1, 3, 48, 192}, 1e-4},
                          {"ch_PP-OCRv4_rec_infer.onnx", {1, 3, 48, 320}, 1e-4},
                          {"ch_PP-OCRv4_det_infer.onnx", {1, 3, 128, 128}, 1e-4}};
    // Inputs in [0, 1) like a normalised image.
    for (const Case& c : cases) {
        SECTION(c.file) {
            onnx::ImportOptions options;
            options.inputShapes["x"] = c.shape;
            ir::Graph original =
                onnx::importModel(std::string(LB_MODELS_DIR) + "/" + c.file, options).graph;
            ir::Graph optimized = original;
            const auto reports = passes::optimize(optimized, passes::deploymentPasses());
            const std::map<std::string, Tensor> in{{"x", randomTensor(c.shape, 42, 0.0f, 1.0f)}};
            const double diff =
                maxRelativeDiff(runReference(original, in), runReference(optimized, in));
            INFO(c.file << ": " << original.nodeCount() << " -> " << optimized.nodeCount()
                        << " nodes, max rel diff " << diff);
            CHECK(diff < c.tolerance);
            CHECK(optimized.nodeCount() * 3 < original.nodeCount());
            // Every BatchNormalization that follows a Conv is folded (det keeps one after a
            // ConvTranspose + bias Add).
            for (ir::NodeId id : optimized.nodeIds()) {
                const ir::Node& n = optimized.node(id);
                if (n.opType != "BatchNormalization")
                    continue;
                const ir::NodeId p = optimized.value(n.inputs[0]).producer;
                INFO("BatchNormalization " << n.name);
                CHECK((p == ir::kNoNode || optimized.node(p).opType != "Conv"));
            }
            CHECK(countOps(optimized, "Constant") == 0);
            CHECK(countOps(optimized, "Clip") ==
                  0); // every relu6(x+3) was part of a hard-swish/sigmoid
            CHECK(countOps(optimized, "FusedConv") > 0);
        }
    }
}
