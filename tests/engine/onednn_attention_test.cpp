// Attention on oneDNN (issue #13): lowering::fuseMatMulTranspose reads a Transpose of the last two
// axes through the MatMul's strides and takes a scalar scale after it as the MatMul's alpha
// (ai.layerbench StridedMatMul). Each lowered graph must compute what the graph as built computes
// on the reference backend, the Transposes it must not fold stay, and calibration still observes
// the tensors the lowering folds away.
#include "attention_graph_util.h"
#include "graph_query_util.h"
#include "quant/calibration.h"

using namespace lbtest;
using lb::test::countSteps;

namespace {

const ir::Node* findOp(const runtime::Session& session, const std::string& op) {
    for (const runtime::PlanStep& step : session.steps())
        if (session.graph().node(step.node).opType == op)
            return &session.graph().node(step.node);
    return nullptr;
}

void checkAgainstReference(runtime::Session& session, const std::shared_ptr<ir::Graph>& g,
                           const std::map<std::string, Tensor>& inputs, double tol = 1e-5) {
    const std::vector<Tensor> got = session.run(inputs);
    const std::vector<Tensor> want = runGraph(g, false, inputs);
    REQUIRE(got.size() == want.size());
    for (size_t i = 0; i < got.size(); ++i)
        CHECK(relativeError(got[i], want[i]) <= tol);
}

} // namespace

TEST_CASE("attention on oneDNN: K's Transpose and the scale fold into one StridedMatMul",
          "[onednn]") {
    const std::vector<AttentionSpec> specs = {
        {1, 197, 3, 64, false}, // ViT-Tiny
        {2, 7, 4, 32, true},    // batch 2, odd sequence, Div scale
        {1, 50, 1, 16, false},  // one head
        {2, 13, 6, 8, true},
    };
    for (const AttentionSpec& a : specs) {
        DYNAMIC_SECTION("B" << a.batch << " S" << a.seq << " H" << a.heads << " D" << a.dim
                            << (a.divide ? " Div" : " Mul")) {
            const auto g = attentionGraph(a);
            const std::map<std::string, Tensor> inputs{
                {"qkv", randomTensor({a.batch, a.seq, 3 * a.heads * a.dim}, 11, -2.0f, 2.0f)}};
            for (int threads : {1, 2}) {
                runtime::Session session(g, {onednnBackend(), referenceBackend()},
                                         runtime::SessionOptions{threads});
                // Q * K^T with K's Transpose and the scale; P * V stays a MatMul.
                CHECK(countSteps(session, "StridedMatMul", "onednn") == 1);
                CHECK(countSteps(session, "MatMul", "onednn") == 1);
                CHECK(countSteps(session, "Mul", "onednn") == 0);
                CHECK(countSteps(session, "Div", "onednn") == 0);
                // The 5-D head split and the Transpose back stay.
                CHECK(countSteps(session, "Transpose", "onednn") == 2);
                const ir::Node* mm = findOp(session, "StridedMatMul");
                REQUIRE(mm);
                CHECK(mm->attribute("transB")->i == 1);
                CHECK(mm->attribute("alpha")->f ==
                      Approx(1.0 / std::sqrt(static_cast<double>(a.dim))));
                checkAgainstReference(session, g, inputs);
            }
        }
    }
}

TEST_CASE("a StridedMatMul reads a transposed A, both transposed, rank 2 and 3", "[onednn]") {
    // y = Transpose(a) * Transpose(b) * 0.5 with a [.., K, M] and b [.., N, K]
    for (const Shape& batch : {Shape{}, Shape{2}, Shape{2, 3}}) {
        for (int which = 0; which < 3; ++which) { // A, B, both transposed
            DYNAMIC_SECTION("batch rank " << batch.size() << " transposed " << which) {
                const int64_t m = 9, k = 17, n = 5;
                const bool ta = which != 1, tb = which != 0;
                auto dims = [&](int64_t r, int64_t c) {
                    Shape s = batch;
                    s.push_back(r);
                    s.push_back(c);
                    return s;
                };
                std::vector<int64_t> perm(batch.size() + 2);
                for (size_t d = 0; d < perm.size(); ++d)
                    perm[d] = static_cast<int64_t>(d);
                std::swap(perm[perm.size() - 1], perm[perm.size() - 2]);
                GraphBuilder b(13);
                ir::ValueId a = b.input("a", ta ? dims(k, m) : dims(m, k));
                ir::ValueId bb = b.input("b", tb ? dims(n, k) : dims(k, n));
                if (ta)
                    a = b.node("Transpose", {a}, "at", dims(m, k), {attrInts("perm", perm)});
                if (tb)
                    bb = b.node("Transpose", {bb}, "bt", dims(k, n), {attrInts("perm", perm)});
                const ir::ValueId y = b.node("MatMul", {a, bb}, "mm", dims(m, n));
                b.output(
                    b.node("Mul", {b.constant("half", scalarTensor(0.5f)), y}, "y", dims(m, n)));
                const std::map<std::string, Tensor> inputs{
                    {"a", randomTensor(ta ? dims(k, m) : dims(m, k), 3)},
                    {"b", randomTensor(tb ? dims(n, k) : dims(k, n), 4)}};
                runtime::Session session(b.graph(), {onednnBackend(), referenceBackend()});
                CHECK(countSteps(session, "StridedMatMul", "onednn") == 1);
                CHECK(countSteps(session, "Transpose", "onednn") +
                          countSteps(session, "Transpose", "reference") ==
                      0);
                checkAgainstReference(session, b.graph(), inputs);
            }
        }
    }
}

TEST_CASE("Transposes a MatMul cannot read through its strides, and scales that are not one "
          "scalar, stay apart",
          "[onednn]") {
    const int64_t h = 3, s = 11, d = 8;
    const std::map<std::string, Tensor> inputs{{"q", randomTensor({1, h, s, d}, 1)},
                                               {"k", randomTensor({1, s, h, d}, 2)},
                                               {"v", randomTensor({1, h, d, s}, 3)}};
    SECTION("a permutation that moves a batch axis: (0, 2, 3, 1) of K [1, S, H, D]") {
        GraphBuilder b(13);
        const ir::ValueId kt = b.node("Transpose", {b.input("k", {1, s, h, d})}, "kt",
                                      Shape{1, h, d, s}, {attrInts("perm", {0, 2, 3, 1})});
        b.output(b.node("MatMul", {b.input("q", {1, h, s, d}), kt}, "y", Shape{1, h, s, s}));
        runtime::Session session(b.graph(), {onednnBackend(), referenceBackend()});
        CHECK(countSteps(session, "StridedMatMul", "onednn") == 0);
        CHECK(countSteps(session, "Transpose", "onednn") == 1);
        checkAgainstReference(session, b.graph(), {{"q", inputs.at("q")}, {"k", inputs.at("k")}});
    }
    SECTION("a transposed tensor something else reads too, and a per-column scale") {
        GraphBuilder b(13);
        const ir::ValueId vt = b.node("Transpose", {b.input("v", {1, h, d, s})}, "vt",
                                      Shape{1, h, s, d}, {attrInts("perm", {0, 1, 3, 2})});
        const ir::ValueId y =
            b.node("MatMul",
                   {b.input("q", {1, h, s, d}), b.node("Transpose", {vt}, "vtt", Shape{1, h, d, s},
                                                       {attrInts("perm", {0, 1, 3, 2})})},
                   "mm", Shape{1, h, s, s});
        b.output(
            b.node("Mul", {y, b.constant("cols", randomTensor({s}, 9))}, "y", Shape{1, h, s, s}));
        b.output(vt);
        runtime::Session session(b.graph(), {onednnBackend(), referenceBackend()});
        // vtt folds (its only reader is the MatMul), vt stays (a graph output), the Mul stays.
        CHECK(countSteps(session, "StridedMatMul", "onednn") == 1);
        CHECK(countSteps(session, "Transpose", "onednn") == 1);
        CHECK(countSteps(session, "Mul", "onednn") == 1);
        CHECK(!findOp(session, "StridedMatMul")->attribute("alpha"));
        checkAgainstReference(session, b.graph(), {{"q", inputs.at("q")}, {"v", inputs.at("v")}});
    }
    SECTION("values the caller keeps (calibration observes them) are not folded") {
        const auto g = attentionGraph({1, s, h, d, false});
        const std::map<std::string, Tensor> qkv{{"qkv", randomTensor({1, s, 3 * h * d}, 5)}};
        for (const char* kept : {"kt", "s"}) {
            runtime::SessionOptions options;
            options.keepValues = {kept};
            runtime::Session session(g, {onednnBackend(), referenceBackend()}, options);
            INFO("kept " << kept);
            REQUIRE(session.graph().findValue(kept));
            // K^T kept: the Transpose stays, the scale still folds; Q * K^T kept: the other way.
            const bool keptK = std::string(kept) == "kt";
            CHECK(countSteps(session, "Transpose", "onednn") == (keptK ? 3 : 2));
            CHECK(countSteps(session, "Mul", "onednn") == (keptK ? 0 : 1));
            CHECK(countSteps(session, "StridedMatMul", "onednn") == 1);
            checkAgainstReference(session, g, qkv);
        }
    }
}

TEST_CASE("calibration on oneDNN observes the K^T and Q * K^T the attention lowering folds",
          "[onednn][quant]") {
    const AttentionSpec a{1, 9, 2, 8, false};
    const auto g = attentionGraph(a);
    runtime::Session fused(g, {onednnBackend(), referenceBackend()});
    REQUIRE(countSteps(fused, "StridedMatMul", "onednn") == 1);
    REQUIRE(countSteps(fused, "Transpose", "onednn") == 2);
    quant::CalibrationConfig config;
    config.backend = "onednn";
    const Shape xs{1, 9, 3 * 2 * 8};
    const std::vector<quant::Sample> samples{{{"qkv", randomTensor(xs, 7)}},
                                             {{"qkv", randomTensor(xs, 8)}}};
    const auto observed = quant::observeActivations(*g, samples, config);
    for (const char* name : {"qkv", "q", "k", "v", "kt", "s", "scaled", "p", "o", "y"}) {
        INFO("tensor " << name);
        CHECK(observed.count(name) == 1);
    }
}

TEST_CASE("a Linear's output plus the skip connection runs as one FusedMatMul with Z", "[onednn]") {
    // ViT's proj and fc2: x [1, T, K] -> MatMul W -> Add bias -> Add skip [1, T, N] (either side),
    // optionally then an activation; a 1.1 MB weight takes the packed GEMM path.
    struct Case {
        const char* name;
        int64_t t, k, n;
        bool skipFirst;
        const char* activation;
    };
    const Case cases[] = {{"proj", 197, 192, 192, true, ""},
                          {"fc2 at T 13, skip second", 13, 768, 192, false, ""},
                          {"then Relu", 7, 24, 40, true, "Relu"},
                          {"packed GEMM", 9, 96, 3000, false, ""}};
    for (const Case& c : cases) {
        DYNAMIC_SECTION(c.name) {
            GraphBuilder b(13);
            const Shape ys{1, c.t, c.n};
            const ir::ValueId skip = b.input("skip", ys);
            const ir::ValueId m =
                b.node("MatMul",
                       {b.input("x", {1, c.t, c.k}), b.constant("w", randomTensor({c.k, c.n}, 3))},
                       "m", ys);
            const ir::ValueId l =
                b.node("Add", {b.constant("bias", randomTensor({c.n}, 4)), m}, "l", ys);
            ir::ValueId y = b.node("Add", c.skipFirst ? std::vector{skip, l} : std::vector{l, skip},
                                   std::string(c.activation).empty() ? "y" : "r", ys);
            if (!std::string(c.activation).empty())
                y = b.node(c.activation, {y}, "y", ys);
            b.output(y);
            const std::map<std::string, Tensor> inputs{
                {"x", randomTensor({1, c.t, c.k}, 11, -2.0f, 2.0f)},
                {"skip", randomTensor(ys, 12, -2.0f, 2.0f)}};
            runtime::Session session(b.graph(), {onednnBackend(), referenceBackend()});
            REQUIRE(session.steps().size() == 1);
            const ir::Node* fused = findOp(session, "FusedMatMul");
            REQUIRE(fused);
            CHECK(fused->inputs.size() == 4);
            checkAgainstReference(session, b.graph(), inputs, 1e-4);
            // The reference FusedMatMul adds Z too (the lowered graph on the reference alone).
            auto lowered = std::make_shared<ir::Graph>(session.graph());
            CHECK(relativeError(runGraph(lowered, false, inputs)[0],
                                runGraph(b.graph(), false, inputs)[0]) <= 1e-4);
        }
    }
}
