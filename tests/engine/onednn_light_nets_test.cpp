// The light networks' paths (issue #13): ShuffleNetV2's channel split (Slice on axis 1) on oneDNN
// in the producer's layout, which must compute what the reference backend's Slice computes.
#include "onednn_test_util.h"

#include <limits>

using namespace lbtest;

namespace {

int countOps(const runtime::Session& session, const ir::Graph& g, const std::string& op,
             const std::string& backend) {
    int n = 0;
    for (const runtime::PlanStep& step : session.steps())
        n += g.node(step.node).opType == op && step.backend == backend;
    return n;
}

ir::ValueId int64Constant(GraphBuilder& b, const std::string& name, std::vector<int64_t> v) {
    Tensor t(DataType::Int64, {static_cast<int64_t>(v.size())});
    std::copy(v.begin(), v.end(), t.data<int64_t>());
    const ir::ValueId id = b.constant(name, t);
    b.graph()->value(id).dtype = DataType::Int64;
    return id;
}

ir::ValueId slice(GraphBuilder& b, ir::ValueId x, int64_t start, int64_t end, const Shape& out,
                  const std::string& name, int64_t axis = 1) {
    return b.node("Slice",
                  {x, int64Constant(b, name + "_s", {start}), int64Constant(b, name + "_e", {end}),
                   int64Constant(b, name + "_a", {axis})},
                  name, out);
}

} // namespace

TEST_CASE("oneDNN splits channels of a blocked tensor in its layout as the reference does",
          "[onednn]") {
    // ShuffleNetV2's block: conv -> split in two halves -> conv on one half -> concat. 116 and
    // 232 channels split at 58 and 116: not on a 16-channel block boundary; 64 splits on one.
    for (int64_t channels : {int64_t{116}, int64_t{232}, int64_t{64}, int64_t{20}}) {
        DYNAMIC_SECTION(channels << " channels") {
            const int64_t half = channels / 2, hw = 7;
            const Shape xs{1, 8, hw, hw}, cs{1, channels, hw, hw}, hs{1, half, hw, hw};
            GraphBuilder b;
            const ir::ValueId c = b.node(
                "Conv", {b.input("x", xs), b.constant("w", randomTensor({channels, 8, 1, 1}, 2))},
                "c", cs);
            const ir::ValueId left = slice(b, c, 0, half, hs, "left");
            // The second half as PyTorch's chunk may write it: a negative start, an end past C.
            const ir::ValueId right =
                slice(b, c, -(channels - half), std::numeric_limits<int64_t>::max(), hs, "right");
            const ir::ValueId conv =
                b.node("Conv", {right, b.constant("w2", randomTensor({half, half, 3, 3}, 4))}, "r2",
                       hs, {attrInts("pads", {1, 1, 1, 1})});
            b.output(b.node("Concat", {left, conv}, "y", cs, {attrInt("axis", 1)}));
            // A slice read by the graph's output too: written plain.
            b.output(slice(b, c, 3, half + 5, Shape{1, half + 2, hw, hw}, "mid"));
            const std::map<std::string, Tensor> inputs{{"x", randomTensor(xs, 9)}};
            // (The 3x3 conv over up to 116 channels sums in another order than the reference.)
            compareWithReference(b.graph(), inputs, 1e-4);
            // The slices read the Conv's blocked output as it is.
            runtime::Session session(b.graph(), {onednnBackend(), referenceBackend()});
            session.run(inputs);
            int blockCopies = 0;
            for (size_t i = 0; i < session.steps().size(); ++i)
                if (session.graph().node(session.steps()[i].node).opType == "Slice") {
                    INFO("implementation " << session.implementation(i));
                    CHECK(session.implementation(i).rfind("copy:nChw", 0) == 0);
                    ++blockCopies;
                }
            CHECK(blockCopies == 3);
        }
    }
}

TEST_CASE("oneDNN slices the channels of a plain input", "[onednn]") {
    // Two images: a reorder of the strided range; one image: a view of the input.
    for (int64_t n : {2, 1}) {
        DYNAMIC_SECTION(n << " images") {
            GraphBuilder b;
            const Shape xs{n, 10, 3, 4}, ys{n, 7, 3, 4};
            const ir::ValueId x = b.input("x", xs);
            b.output(b.node("Relu", {slice(b, x, 2, 9, ys, "s")}, "y", ys));
            b.output(b.node("Sigmoid", {x}, "z", xs)); // x stays live after the view
            const std::map<std::string, Tensor> inputs{{"x", randomTensor(xs, 1)}};
            compareWithReference(b.graph(), inputs, 1e-6);
            runtime::Session session(b.graph(), {onednnBackend(), referenceBackend()});
            session.run(inputs);
            for (size_t i = 0; i < session.steps().size(); ++i)
                if (session.graph().node(session.steps()[i].node).opType == "Slice")
                    CHECK(session.implementation(i) == (n == 1 ? "view" : "reorder"));
        }
    }
}

TEST_CASE("oneDNN declines a Slice of another axis, a step or non-constant starts", "[onednn]") {
    GraphBuilder b;
    const ir::ValueId x = b.input("x", {1, 4, 6, 6});
    b.output(slice(b, x, 1, 3, Shape{1, 4, 2, 6}, "spatial", 2));
    b.output(b.node("Slice",
                    {x, int64Constant(b, "s2", {0}), int64Constant(b, "e2", {4}),
                     int64Constant(b, "a2", {1}), int64Constant(b, "st2", {2})},
                    "stepped", Shape{1, 2, 6, 6}));
    const ir::ValueId starts = b.input("starts", {1});
    b.graph()->value(starts).dtype = DataType::Int64;
    b.output(b.node("Slice", {x, starts, int64Constant(b, "e", {2}), int64Constant(b, "a", {1})},
                    "dyn"));
    const backends::onednn::OneDnnBackend onednn;
    for (ir::NodeId id : b.graph()->nodeIds()) {
        const runtime::Claim claim = onednn.capability(*b.graph(), b.graph()->node(id));
        INFO(b.graph()->node(id).name << ": " << claim.text());
        CHECK_FALSE(claim);
    }
}
