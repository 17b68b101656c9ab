// Channel Concat written in place: the memory plan puts each eligible input at its slice of the
// Concat's output, its producer writes it there, and the oneDNN Concat copies nothing for it.
// Every graph is compared with the reference backend, and with the same oneDNN session without
// the optimization (observed values turn it off) bit for bit; the counts fail the test when the
// placement silently stops applying.

#include "onednn_test_util.h"

#include <cstring>

using namespace lbtest;

namespace {

struct Run {
    std::vector<Tensor> outputs;
    int64_t inPlaceValues = 0;
    int64_t naiveBytes = 0;    // the session's "without reuse" figure
    int64_t valueBytes = 0;    // every step output that is not a graph output, 64-byte rounded
    std::string concats; // implementation() of each Concat step, "; "-separated
};

Run runOnednn(const std::shared_ptr<ir::Graph>& g, const std::map<std::string, Tensor>& inputs,
              bool inPlace) {
    runtime::SessionOptions options;
    if (!inPlace) // a run that observes a value keeps one buffer per value
        options.keepValues = {g->value(g->outputs()[0]).name};
    runtime::Session session(g, {onednnBackend(), referenceBackend()}, options);
    Run r;
    r.outputs = session.run(inputs);
    r.outputs = session.run(inputs); // a second run reuses the placement
    r.inPlaceValues = session.memoryStats().inPlaceValues;
    r.naiveBytes = session.memoryStats().naiveBytes;
    for (size_t i = 0; i < session.steps().size(); ++i) {
        const ir::Node& n = session.graph().node(session.steps()[i].node);
        for (ir::ValueId v : n.outputs)
            if (v != ir::kNoValue && !session.graph().isGraphOutput(v))
                if (const auto count = elementCount(*session.graph().value(v).shape))
                    r.valueBytes += (*count * 4 + 63) / 64 * 64;
        CHECK(session.steps()[i].backend == "onednn");
        if (n.opType == "Concat")
            r.concats += (r.concats.empty() ? "" : "; ") + session.implementation(i);
    }
    return r;
}

bool sameBits(const Tensor& a, const Tensor& b) {
    return a.shape() == b.shape() && a.isPlain() && b.isPlain() &&
           std::memcmp(a.rawData(), b.rawData(), a.byteSize()) == 0;
}

// Runs `g` in place and not, checks both against the reference backend and each other, and
// returns the in-place run.
Run check(const std::shared_ptr<ir::Graph>& g, const std::map<std::string, Tensor>& inputs) {
    const Run on = runOnednn(g, inputs, true);
    const Run off = runOnednn(g, inputs, false);
    const std::vector<Tensor> want = runGraph(g, false, inputs);
    INFO("concats " << on.concats << " | without in place: " << off.concats);
    CHECK(off.inPlaceValues == 0);
    REQUIRE(on.outputs.size() == want.size());
    for (size_t i = 0; i < want.size(); ++i) {
        CHECK(relativeError(on.outputs[i], want[i]) <= 1e-4);
        CHECK(sameBits(on.outputs[i], off.outputs[i]));
    }
    return on;
}

ir::ValueId conv(GraphBuilder& b, ir::ValueId x, int64_t in, int64_t out, int64_t k,
                 const Shape& outShape, const std::string& name, uint32_t seed,
                 std::vector<ir::Attribute> attrs = {}) {
    if (k == 3)
        attrs.push_back(attrInts("pads", {1, 1, 1, 1}));
    return b.node("Conv", {x, b.constant(name + "_w", randomTensor({out, in, k, k}, seed))}, name,
                  outShape, std::move(attrs));
}

ir::ValueId concat(GraphBuilder& b, std::vector<ir::ValueId> in, const std::string& name,
                   const Shape& outShape, int64_t axis = 1) {
    return b.node("Concat", std::move(in), name, outShape, {attrInt("axis", axis)});
}

// A consumer so the Concat's output is an intermediate (graph outputs are never in the arena).
void head(GraphBuilder& b, ir::ValueId cat, int64_t channels, const Shape& outShape) {
    b.output(conv(b, cat, channels, 16, 1, outShape, "y", 99));
}

} // namespace

TEST_CASE("oneDNN Concat: convolutions write straight into their channel slices", "[onednn]") {
    // SqueezeNet's fire module: a 1x1 and a 3x3 expand convolution (ReLU fused) concatenated.
    for (int64_t axis : {1, -3}) {
        DYNAMIC_SECTION("axis " << axis) {
            GraphBuilder b;
            const ir::ValueId x = b.input("x", {1, 16, 13, 13});
            const ir::ValueId s = b.node("Relu", {conv(b, x, 16, 16, 1, {1, 16, 13, 13}, "s", 1)},
                                         "sr", Shape{1, 16, 13, 13});
            const ir::ValueId e1 = b.node("Relu", {conv(b, s, 16, 32, 1, {1, 32, 13, 13}, "e1", 2)},
                                          "e1r", Shape{1, 32, 13, 13});
            const ir::ValueId e3 = b.node("Relu", {conv(b, s, 16, 48, 3, {1, 48, 13, 13}, "e3", 3)},
                                          "e3r", Shape{1, 48, 13, 13});
            head(b, concat(b, {e1, e3}, "cat", {1, 80, 13, 13}, axis), 80, {1, 16, 13, 13});
            const std::map<std::string, Tensor> inputs{{"x", randomTensor({1, 16, 13, 13}, 7)}};
            const Run r = check(b.graph(), inputs);
            CHECK(r.inPlaceValues == 2);
            // "Without reuse" still counts the two inputs as buffers of their own.
            CHECK(r.naiveBytes == r.valueBytes);
            CHECK(r.concats.find("2 of 2 inputs in place") != std::string::npos);
            CHECK(r.concats.find("copied") == std::string::npos);

            // The reference backend's Concat takes no input in place.
            runtime::Session reference(b.graph(), {referenceBackend()});
            CHECK(reference.memoryStats().inPlaceValues == 0);
        }
    }
}

TEST_CASE("oneDNN Concat in place: channel counts off the 16-channel blocks", "[onednn]") {
    // 24 channels: a's blocked output is padded to 32 and would spill into c's slice, so it keeps
    // its own buffer; c (16 channels, blocked) is placed at channel 24, mid-block, where its bytes
    // are not the output's, so it is copied out and reordered back. Sigmoid and Tanh copy their
    // input's layout, which they cannot see when the plan is made: room for padding to 16
    // channels does not fit an 8-channel slice, so they are not placed.
    GraphBuilder b;
    const ir::ValueId x = b.input("x", {1, 8, 8, 8});
    const ir::ValueId a = conv(b, x, 8, 24, 3, {1, 24, 8, 8}, "a", 1);
    const ir::ValueId c = conv(b, x, 8, 16, 1, {1, 16, 8, 8}, "c", 2);
    const ir::ValueId cat1 = concat(b, {a, c}, "cat1", {1, 40, 8, 8});
    const ir::ValueId p = b.node("Sigmoid", {x}, "p", Shape{1, 8, 8, 8});
    const ir::ValueId q = b.node("Tanh", {x}, "q", Shape{1, 8, 8, 8});
    const ir::ValueId cat2 = concat(b, {p, q}, "cat2", {1, 16, 8, 8});
    head(b, cat1, 40, {1, 16, 8, 8});
    b.output(conv(b, cat2, 16, 8, 1, {1, 8, 8, 8}, "z", 3));
    const std::map<std::string, Tensor> inputs{{"x", randomTensor({1, 8, 8, 8}, 7)}};
    const Run r = check(b.graph(), inputs);
    CHECK(r.inPlaceValues == 1);
    CHECK(r.concats == "reorder:slices, 1 in place in another layout (copied); copy:chunks");
}

TEST_CASE("oneDNN Concat in place: an input another node reads too", "[onednn]") {
    // UNet's skip: `a` is read by the down path first and by the Concat last, so it is placed;
    // `late` is read again after the Concat, so it keeps its own buffer.
    GraphBuilder b;
    const ir::ValueId x = b.input("x", {1, 16, 12, 12});
    const ir::ValueId a = conv(b, x, 16, 16, 3, {1, 16, 12, 12}, "a", 1);
    const ir::ValueId down = conv(b, a, 16, 32, 3, {1, 32, 12, 12}, "down", 2);
    const ir::ValueId late = conv(b, x, 16, 16, 1, {1, 16, 12, 12}, "late", 3);
    const ir::ValueId cat = concat(b, {a, down, late}, "cat", {1, 64, 12, 12});
    head(b, cat, 64, {1, 16, 12, 12});
    b.output(b.node("Relu", {late}, "late_relu", Shape{1, 16, 12, 12}));
    const std::map<std::string, Tensor> inputs{{"x", randomTensor({1, 16, 12, 12}, 7)}};
    const Run r = check(b.graph(), inputs);
    CHECK(r.inPlaceValues == 2);
    CHECK(r.concats.find("2 of 3 inputs in place") != std::string::npos);
}

TEST_CASE("oneDNN Concat in place: an input used twice, a graph input, batch 2", "[onednn]") {
    for (int64_t batch : {1, 2}) {
        DYNAMIC_SECTION("batch " << batch) {
            const Shape xs{batch, 16, 10, 10};
            GraphBuilder b;
            const ir::ValueId x = b.input("x", xs);
            const ir::ValueId a = conv(b, x, 16, 16, 3, xs, "a", 1);
            const ir::ValueId c = conv(b, x, 16, 32, 1, {batch, 32, 10, 10}, "c", 2);
            // x is a graph input, a appears twice: only c can be placed (at batch 1).
            const ir::ValueId cat = concat(b, {x, a, c, a}, "cat", {batch, 80, 10, 10});
            head(b, cat, 80, {batch, 16, 10, 10});
            const std::map<std::string, Tensor> inputs{{"x", randomTensor(xs, 7)}};
            const Run r = check(b.graph(), inputs);
            CHECK(r.inPlaceValues == (batch == 1 ? 1 : 0));
            if (batch == 1)
                CHECK(r.concats.find("1 of 4 inputs in place") != std::string::npos);
            else
                CHECK(r.concats.find("in place") == std::string::npos);
        }
    }
}

TEST_CASE("oneDNN Concat in place: a Concat inside a Concat", "[onednn]") {
    // Inception-style: the inner Concat's output is itself placed in the outer one, and its
    // inputs inside it, so the whole block is written once.
    GraphBuilder b;
    const Shape s16{1, 16, 9, 9};
    const ir::ValueId x = b.input("x", s16);
    const ir::ValueId a = conv(b, x, 16, 16, 1, s16, "a", 1);
    const ir::ValueId c = conv(b, x, 16, 32, 3, {1, 32, 9, 9}, "c", 2);
    const ir::ValueId d = conv(b, x, 16, 16, 3, s16, "d", 3);
    const ir::ValueId inner = concat(b, {a, c}, "inner", {1, 48, 9, 9});
    const ir::ValueId outer = concat(b, {d, inner}, "outer", {1, 64, 9, 9});
    head(b, outer, 64, {1, 16, 9, 9});
    const std::map<std::string, Tensor> inputs{{"x", randomTensor(s16, 7)}};
    const Run r = check(b.graph(), inputs);
    CHECK(r.inPlaceValues == 4);
    CHECK(r.concats == "copy:chunks, 2 of 2 inputs in place; copy:chunks, 2 of 2 inputs in place");
}

TEST_CASE("oneDNN Concat in place: an input in place in another layout", "[onednn]") {
    // A grouped convolution with groups of 8 writes channels-last, which is no contiguous slice
    // of the blocked output: it is placed, then copied out to a temporary and reordered back.
    GraphBuilder b;
    const Shape xs{1, 64, 9, 11};
    const ir::ValueId x = b.input("x", xs);
    const ir::ValueId grouped = conv(b, x, 8, 64, 3, xs, "g", 3, {attrInt("group", 8)});
    const ir::ValueId pointwise = conv(b, x, 64, 32, 1, {1, 32, 9, 11}, "p", 4);
    const ir::ValueId cat = concat(b, {pointwise, grouped}, "cat", {1, 96, 9, 11});
    head(b, cat, 96, {1, 16, 9, 11});
    const std::map<std::string, Tensor> inputs{{"x", randomTensor(xs, 7)}};
    const Run r = check(b.graph(), inputs);
    CHECK(r.inPlaceValues == 2);
    CHECK(r.concats.find("1 in place in another layout (copied)") != std::string::npos);
}
