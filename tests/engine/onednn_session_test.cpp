// oneDNN pools, matmul, norms and concat against the reference; then whole sessions: blocked
// intermediates between oneDNN nodes, reorders at a border with the reference backend, thread
// counts, and a GFLOP/s printout (hidden benchmark case).
#include "onednn_test_util.h"

#include <chrono>

using namespace lbtest;

TEST_CASE("oneDNN pools match the reference", "[onednn]") {
    const Shape s{1, 8, 11, 10};
    struct Case {
        const char* label;
        const char* op;
        std::vector<ir::Attribute> attrs;
    };
    const std::vector<Case> cases = {
        {"MaxPool 3x3 s2 p1",
         "MaxPool",
         {attrInts("kernel_shape", {3, 3}), attrInts("strides", {2, 2}),
          attrInts("pads", {1, 1, 1, 1})}},
        {"MaxPool ceil_mode",
         "MaxPool",
         {attrInts("kernel_shape", {2, 2}), attrInts("strides", {2, 2}), attrInt("ceil_mode", 1)}},
        {"MaxPool dilated",
         "MaxPool",
         {attrInts("kernel_shape", {2, 2}), attrInts("dilations", {2, 2})}},
        {"AveragePool exclude pad, ceil",
         "AveragePool",
         {attrInts("kernel_shape", {3, 3}), attrInts("strides", {2, 2}),
          attrInts("pads", {1, 1, 1, 1}), attrInt("ceil_mode", 1)}},
        {"AveragePool include pad",
         "AveragePool",
         {attrInts("kernel_shape", {3, 3}), attrInts("pads", {1, 1, 1, 1}),
          attrInt("count_include_pad", 1)}},
        {"GlobalAveragePool", "GlobalAveragePool", {}},
        {"GlobalMaxPool", "GlobalMaxPool", {}},
    };
    for (const Case& c : cases) {
        SECTION(c.label) {
            GraphBuilder b;
            b.output(b.node(c.op, {b.input("x", s)}, "y", std::nullopt, c.attrs));
            compareWithReference(b.graph(), {{"x", randomTensor(s, 31)}});
        }
    }
}

TEST_CASE("oneDNN Gemm, MatMul, BatchNorm, Softmax and Concat match the reference", "[onednn]") {
    SECTION("Gemm transB, alpha, beta, row bias") {
        GraphBuilder b;
        b.output(b.node("Gemm",
                        {b.input("a", {5, 7}), b.constant("w", randomTensor({9, 7}, 41)),
                         b.constant("c", randomTensor({9}, 42))},
                        "y", std::nullopt,
                        {attrInt("transB", 1), attrFloat("alpha", 0.5f), attrFloat("beta", 2.0f)}));
        compareWithReference(b.graph(), {{"a", randomTensor({5, 7}, 43)}});
    }
    SECTION("Gemm transA with a runtime B and C") {
        GraphBuilder b;
        b.output(b.node("Gemm", {b.input("a", {7, 5}), b.input("w", {7, 9}), b.input("c", {5, 1})},
                        "y", std::nullopt, {attrInt("transA", 1)}));
        compareWithReference(b.graph(), {{"a", randomTensor({7, 5}, 44)},
                                         {"w", randomTensor({7, 9}, 45)},
                                         {"c", randomTensor({5, 1}, 46)}});
    }
    SECTION("MatMul 3-D by constant 2-D") {
        GraphBuilder b;
        b.output(b.node(
            "MatMul", {b.input("a", {2, 6, 10}), b.constant("w", randomTensor({10, 4}, 47))}, "y"));
        compareWithReference(b.graph(), {{"a", randomTensor({2, 6, 10}, 48)}});
    }
    SECTION("BatchNormalization") {
        GraphBuilder b;
        std::vector<ir::ValueId> in{b.input("x", {2, 6, 4, 5})};
        for (const char* p : {"scale", "bias", "mean"})
            in.push_back(b.constant(p, randomTensor({6}, 50 + in.size())));
        in.push_back(b.constant("var", randomTensor({6}, 55, 0.5f, 2.0f)));
        b.output(
            b.node("BatchNormalization", in, "y", std::nullopt, {attrFloat("epsilon", 1e-3f)}));
        compareWithReference(b.graph(), {{"x", randomTensor({2, 6, 4, 5}, 56)}});
    }
    SECTION("Softmax axis 1 (opset 13) and LogSoftmax (opset 11 flattening)") {
        for (int64_t opset : {13, 11}) {
            GraphBuilder b(opset);
            ir::ValueId x = b.input("x", {2, 3, 5});
            b.output(b.node("Softmax", {x}, "y", std::nullopt, {attrInt("axis", 1)}));
            b.output(b.node("LogSoftmax", {x}, "z", std::nullopt, {attrInt("axis", 1)}));
            compareWithReference(b.graph(), {{"x", randomTensor({2, 3, 5}, 57, -3.0f, 3.0f)}});
        }
    }
    SECTION("Concat on channels") {
        GraphBuilder b;
        b.output(b.node("Concat", {b.input("a", {1, 3, 4, 4}), b.input("b", {1, 5, 4, 4})}, "y",
                        std::nullopt, {attrInt("axis", 1)}));
        compareWithReference(b.graph(), {{"a", randomTensor({1, 3, 4, 4}, 58)},
                                         {"b", randomTensor({1, 5, 4, 4}, 59)}});
    }
}

namespace {

// Records whether each step's outputs were plain.
class LayoutObserver : public runtime::ExecutionObserver {
public:
    void onNodeEnd(size_t, const runtime::PlanStep&, const std::vector<Tensor>& outputs) override {
        plain.push_back(outputs.at(0).isPlain());
    }
    std::vector<bool> plain;
};

// x -> Conv -> Conv -> Add(first conv) -> Relu -> [Neg] -> GlobalAveragePool; Neg is an op only
// the reference backend runs.
std::shared_ptr<ir::Graph> chainGraph(bool referenceInMiddle) {
    GraphBuilder b;
    const Shape s{1, 16, 12, 12};
    ir::ValueId x = b.input("x", {1, 3, 12, 12});
    const auto pads = attrInts("pads", {1, 1, 1, 1});
    ir::ValueId c1 =
        b.node("Conv", {x, b.constant("w1", randomTensor({16, 3, 3, 3}, 61))}, "c1", s, {pads});
    ir::ValueId c2 = b.node("Conv",
                            {c1, b.constant("w2", randomTensor({16, 16, 3, 3}, 62, -0.3f, 0.3f)),
                             b.constant("b2", randomTensor({16}, 63))},
                            "c2", s, {pads});
    ir::ValueId sum = b.node("Add", {c2, c1}, "sum", s);
    ir::ValueId r = b.node("Relu", {sum}, "relu", s);
    if (referenceInMiddle)
        r = b.node("Neg", {r}, "t", Shape{1, 16, 12, 12});
    b.output(b.node("GlobalAveragePool", {r}, "y", Shape{1, 16, 1, 1}));
    return b.graph();
}

} // namespace

// The layout cases run the graph node for node (no lowering): the Add and Relu stay apart, so
// an intermediate between two oneDNN nodes and the one at the border are both there to check.
runtime::SessionOptions unlowered() {
    runtime::SessionOptions options;
    options.lower = false;
    return options;
}

TEST_CASE("oneDNN keeps intermediates blocked inside its partition", "[onednn]") {
    auto g = chainGraph(false);
    runtime::Session session(g, {onednnBackend(), referenceBackend()}, unlowered());
    for (const runtime::PlanStep& step : session.steps())
        CHECK(step.backend == "onednn");
    const std::map<std::string, Tensor> inputs{{"x", randomTensor({1, 3, 12, 12}, 64)}};
    LayoutObserver observer;
    const std::vector<Tensor> got = session.run(inputs, &observer);
    REQUIRE(observer.plain.size() == 5);
    CHECK_FALSE(observer.plain[0]); // c1: blocked, read by Conv and Add on oneDNN
    CHECK(got[0].isPlain());
    CHECK(relativeError(got[0], runGraph(g, false, inputs)[0]) <= 1e-4);
    // The second run reuses the planned arena and cached primitives.
    CHECK(relativeError(session.run(inputs)[0], got[0]) == 0.0);
}

TEST_CASE("oneDNN reorders to plain at a border with the reference backend", "[onednn]") {
    auto g = chainGraph(true);
    runtime::Session session(g, {onednnBackend(), referenceBackend()}, unlowered());
    std::vector<std::string> backends;
    for (const runtime::PlanStep& step : session.steps())
        backends.push_back(step.backend);
    CHECK(backends ==
          std::vector<std::string>{"onednn", "onednn", "onednn", "onednn", "reference", "onednn"});
    CHECK_THAT(session.steps()[4].fallbackReason, Catch::Contains("Neg"));
    const std::map<std::string, Tensor> inputs{{"x", randomTensor({1, 3, 12, 12}, 65)}};
    LayoutObserver observer;
    const std::vector<Tensor> got = session.run(inputs, &observer);
    CHECK_FALSE(observer.plain[0]);
    CHECK(observer.plain[3]); // Relu feeds the reference Neg: written plain
    CHECK(relativeError(got[0], runGraph(g, false, inputs)[0]) <= 1e-4);
}

TEST_CASE("oneDNN gives the same results on 1 and 2 threads", "[onednn]") {
    auto g = chainGraph(false);
    const std::map<std::string, Tensor> inputs{{"x", randomTensor({1, 3, 12, 12}, 66)}};
    const Tensor one = runGraph(g, true, inputs, 1)[0];
    const Tensor two = runGraph(g, true, inputs, 2)[0];
    CHECK(relativeError(two, one) <= 1e-6);
}

TEST_CASE("oneDNN 3x3 conv GFLOP/s vs the reference (printout)", "[onednn][.bench]") {
    GraphBuilder b;
    b.output(b.node(
        "Conv", {b.input("x", {1, 64, 56, 56}), b.constant("w", randomTensor({64, 64, 3, 3}, 71))},
        "y", Shape{1, 64, 56, 56}, {attrInts("pads", {1, 1, 1, 1})}));
    const std::map<std::string, Tensor> inputs{{"x", randomTensor({1, 64, 56, 56}, 72)}};
    const double flops = 2.0 * 64 * 64 * 9 * 56 * 56;
    for (bool onednn : {true, false}) {
        std::vector<std::shared_ptr<const runtime::Backend>> backends{onednn ? onednnBackend()
                                                                             : referenceBackend()};
        runtime::Session session(b.graph(), backends, runtime::SessionOptions{1});
        session.run(inputs);
        const int runs = onednn ? 20 : 3;
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < runs; ++i)
            session.run(inputs);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / runs;
        WARN((onednn ? "onednn" : "reference")
             << ": " << seconds * 1e3 << " ms, " << flops / seconds / 1e9 << " GFLOP/s (1 thread)");
    }
}

TEST_CASE("oneDNN kernels that reuse their memory objects between runs follow new inputs",
          "[onednn]") {
    // A MobileNetV3-style block (stem conv, depthwise conv with HardSwish, squeeze-excitation,
    // projection conv with the residual) and a max pool: the conv and pool kernels keep the
    // memory objects of the last run while an input keeps its address, layout and shape. Runs:
    // input a, input b (another buffer), a again after changing its values in place (same
    // address), then a larger map (the kernels rebuild), each against the reference backend.
    GraphBuilder b;
    const ir::ValueId x = b.value("x"); // no static shape: the kernels build on the first run
    b.graph()->inputs().push_back(x);
    uint32_t seed = 70;
    auto conv = [&](ir::ValueId in, int64_t ic, int64_t oc, int64_t k, int64_t group,
                    std::vector<ir::ValueId> z = {}) {
        ++seed;
        std::vector<ir::Attribute> attrs{attrInt("group", group)};
        if (k == 3)
            attrs.push_back(attrInts("pads", {1, 1, 1, 1}));
        std::vector<ir::ValueId> ins{
            in, b.constant("w" + std::to_string(seed), randomTensor({oc, ic / group, k, k}, seed)),
            b.constant("b" + std::to_string(seed), randomTensor({oc}, seed + 100))};
        const ir::ValueId y = b.node("Conv", ins, "c" + std::to_string(seed), std::nullopt, attrs);
        return z.empty() ? y : b.node("Add", {y, z[0]}, "add" + std::to_string(seed));
    };
    const ir::ValueId stem = b.node("Relu", {conv(x, 3, 24, 3, 1)}, "stem");
    const ir::ValueId dw = b.node("HardSwish", {conv(stem, 24, 24, 3, 24)}, "dw");
    const ir::ValueId pool = b.node("GlobalAveragePool", {dw}, "pool");
    const ir::ValueId fc1 = b.node("Relu", {conv(pool, 24, 8, 1, 1)}, "fc1");
    const ir::ValueId gate = b.node("Sigmoid", {conv(fc1, 8, 24, 1, 1)}, "gate");
    const ir::ValueId se = b.node("Mul", {dw, gate}, "se");
    const ir::ValueId proj = conv(se, 24, 24, 1, 1, {stem});
    b.output(b.node("MaxPool", {proj}, "y", std::nullopt,
                    {attrInts("kernel_shape", {2, 2}), attrInts("strides", {2, 2})}));
    const std::shared_ptr<ir::Graph> g = b.graph();

    runtime::Session session(g, {onednnBackend(), referenceBackend()});
    int onednnKernels = 0; // the kernels under test (shapeless elementwise nodes may fall back)
    for (const runtime::PlanStep& step : session.steps()) {
        const std::string& op = session.graph().node(step.node).opType;
        if (op == "Conv" || op == "FusedConv" || op == "GlobalAveragePool" || op == "MaxPool") {
            CHECK(step.backend == "onednn");
            ++onednnKernels;
        }
    }
    CHECK(onednnKernels >= 7);
    Tensor a = randomTensor({1, 3, 12, 12}, 81);
    const Tensor other = randomTensor({1, 3, 12, 12}, 82);
    auto check = [&](const Tensor& in) {
        const std::map<std::string, Tensor> inputs{{"x", in}};
        const Tensor got = session.run(inputs)[0].clone(); // the next run may reuse its buffer
        CHECK(relativeError(got, runGraph(g, false, inputs)[0]) <= 1e-4);
        return got;
    };
    const Tensor first = check(a);
    const Tensor second = check(other);
    CHECK(relativeError(second, first) > 1e-3);
    for (float& v : a.span<float>())
        v = 0.5f - v;
    const Tensor third = check(a);
    CHECK(relativeError(third, first) > 1e-3);
    CHECK(check(randomTensor({1, 3, 16, 16}, 83)).shape() == Shape{1, 24, 8, 8});
}
