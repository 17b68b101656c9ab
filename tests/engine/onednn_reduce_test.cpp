// ReduceMean / ReduceMax over the axes after the channels on the oneDNN backend
// (reduce_kernel.cpp: a global pooling) against the reference backend: the mean a classifier
// ends with, read straight from a Conv's blocked output, keepdims 0 and 1, negative axes, plain
// 4-D and 5-D inputs; the reductions it declines run on the reference backend.
#include "onednn_test_util.h"

using namespace lbtest;

namespace {

// x -> Conv 3x3 (24 channels: not a whole 16-channel block, so the blocked tensor is padded)
// -> the reduction.
std::shared_ptr<ir::Graph> convThenReduce(const std::string& op,
                                          std::vector<ir::Attribute> attrs) {
    GraphBuilder b;
    const ir::ValueId x = b.input("x", {2, 8, 9, 11});
    const ir::ValueId w = b.constant("w", randomTensor({24, 8, 3, 3}, 21));
    const ir::ValueId c = b.node("Conv", {x, w}, "c", Shape{2, 24, 9, 11},
                                 {attrInts("pads", {1, 1, 1, 1})});
    b.output(b.node(op, {c}, "y", std::nullopt, std::move(attrs)));
    return b.graph();
}

} // namespace

TEST_CASE("ReduceMean / ReduceMax over the spatial axes run as oneDNN pooling on a blocked Conv "
          "output and match the reference",
          "[onednn][reduce]") {
    struct Case {
        std::string op;
        std::vector<ir::Attribute> attrs;
        Shape shape;
    };
    const std::vector<Case> cases = {
        {"ReduceMean", {attrInts("axes", {2, 3}), attrInt("keepdims", 0)}, {2, 24}},
        {"ReduceMean", {attrInts("axes", {-1, -2})}, {2, 24, 1, 1}},
        {"ReduceMax", {attrInts("axes", {3, 2}), attrInt("keepdims", 0)}, {2, 24}},
    };
    const std::map<std::string, Tensor> feeds{{"x", randomTensor({2, 8, 9, 11}, 22)}};
    for (const Case& c : cases)
        for (int threads : {1, 2}) {
            INFO(c.op << " to " << shapeToString(c.shape) << ", " << threads << " threads");
            const auto g = convThenReduce(c.op, c.attrs);
            runtime::Session session(g, {onednnBackend(), referenceBackend()},
                                     runtime::SessionOptions{threads});
            REQUIRE(session.steps().size() == 2);
            CHECK(session.steps()[1].backend == "onednn");
            const std::vector<Tensor> got = session.run(feeds);
            // oneDNN's jit pooling read the blocked tensor (no reference loop).
            CHECK(session.implementation(1).rfind("pooling:jit", 0) == 0);
            const std::vector<Tensor> want = runGraph(g, false, feeds);
            REQUIRE(got.size() == 1);
            CHECK(got[0].shape() == c.shape);
            CHECK(relativeError(got[0], want[0]) <= 1e-5);
        }
}

TEST_CASE("Spatial ReduceMean / ReduceMax on plain 4-D and 5-D inputs match the reference",
          "[onednn][reduce]") {
    GraphBuilder b;
    const ir::ValueId x = b.input("x", {3, 5, 7, 2});
    const ir::ValueId v = b.input("v", {2, 3, 4, 5, 6});
    b.output(b.node("ReduceMean", {x}, "m", std::nullopt, {attrInts("axes", {2, 3})}));
    b.output(b.node("ReduceMax", {x}, "mx", std::nullopt,
                    {attrInts("axes", {-1, 2}), attrInt("keepdims", 0)}));
    b.output(b.node("ReduceMean", {v}, "mv", std::nullopt,
                    {attrInts("axes", {2, 3, 4}), attrInt("keepdims", 0)}));
    compareWithReference(
        b.graph(), {{"x", randomTensor({3, 5, 7, 2}, 23)}, {"v", randomTensor({2, 3, 4, 5, 6}, 24)}},
        1e-5);
}

TEST_CASE("oneDNN declines the other reductions, and the reference runs them", "[onednn][reduce]") {
    GraphBuilder b;
    const ir::ValueId x = b.input("x", {3, 5, 7, 2});
    b.output(b.node("ReduceMean", {x}, "channels", std::nullopt, {attrInts("axes", {1})}));
    b.output(b.node("ReduceMax", {x}, "one_spatial", std::nullopt, {attrInts("axes", {2})}));
    b.output(b.node("ReduceMean", {x}, "all", std::nullopt, {}));
    b.output(b.node("ReduceMin", {x}, "min", std::nullopt, {attrInts("axes", {2, 3})}));
    // A layer norm's mean over the last axis of [N, T, C] is not a pooling.
    const ir::ValueId t = b.input("t", {2, 6, 8});
    b.output(b.node("ReduceMean", {t}, "last", std::nullopt, {attrInts("axes", {-1})}));
    const auto g = b.graph();
    runtime::Session session(g, {onednnBackend(), referenceBackend()});
    REQUIRE(session.steps().size() == 5);
    for (const runtime::PlanStep& step : session.steps()) {
        INFO(session.graph().node(step.node).name);
        CHECK(step.backend == "reference");
    }
    CHECK(session.steps()[0].fallbackReason.find("axes other than") != std::string::npos);
    const std::map<std::string, Tensor> feeds{{"x", randomTensor({3, 5, 7, 2}, 25)},
                                              {"t", randomTensor({2, 6, 8}, 26)}};
    const std::vector<Tensor> got = session.run(feeds);
    const std::vector<Tensor> want = runGraph(g, false, feeds);
    for (size_t i = 0; i < got.size(); ++i)
        CHECK(relativeError(got[i], want[i]) <= 1e-6);
}
