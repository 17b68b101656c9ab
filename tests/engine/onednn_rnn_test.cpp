// oneDNN's RNN primitives (backends/onednn/rnn_kernel.cpp) against the reference kernels on random
// RNN, GRU and LSTM nodes, and the configurations oneDNN declines (sequence_lens, clip,
// input_forget, other activations), which then run on the reference backend.
#include "onednn_test_util.h"

using namespace lbtest;

namespace {

struct RnnCase {
    std::string label;
    std::string op; // RNN, GRU, LSTM
    int64_t seq, batch, input, hidden;
    std::string direction = "forward";
    int64_t layout = 0;
    bool bias = true, initial = true, peephole = false;
    std::vector<ir::Attribute> attrs = {};
    std::vector<int32_t> sequenceLens = {}; // empty: input absent
};

ir::Attribute activations(std::vector<std::string> names) {
    ir::Attribute a;
    a.name = "activations";
    a.type = ir::AttributeType::Strings;
    a.strings = std::move(names);
    return a;
}

int64_t gatesOf(const std::string& op) {
    return op == "RNN" ? 1 : op == "GRU" ? 3 : 4;
}

// The node with every output it has (Y, Y_h and, for LSTM, Y_c) as graph outputs.
std::shared_ptr<ir::Graph> rnnGraph(const RnnCase& c, std::map<std::string, Tensor>& feeds) {
    const int64_t dirs = c.direction == "bidirectional" ? 2 : 1, g = gatesOf(c.op);
    const bool lstm = c.op == "LSTM";
    GraphBuilder b;
    const Shape xs =
        c.layout == 0 ? Shape{c.seq, c.batch, c.input} : Shape{c.batch, c.seq, c.input};
    const Shape hs =
        c.layout == 0 ? Shape{dirs, c.batch, c.hidden} : Shape{c.batch, dirs, c.hidden};
    feeds["x"] = randomTensor(xs, 1);
    std::vector<ir::ValueId> in{b.input("x", xs),
                                b.constant("w", randomTensor({dirs, g * c.hidden, c.input}, 2)),
                                b.constant("r", randomTensor({dirs, g * c.hidden, c.hidden}, 3))};
    in.push_back(c.bias ? b.constant("b", randomTensor({dirs, 2 * g * c.hidden}, 4))
                        : ir::kNoValue);
    if (!c.sequenceLens.empty()) {
        Tensor lens(DataType::Int32, {c.batch});
        std::copy(c.sequenceLens.begin(), c.sequenceLens.end(), lens.data<int32_t>());
        in.push_back(b.constant("lens", lens));
        b.graph()->value(in.back()).dtype = DataType::Int32;
    } else {
        in.push_back(ir::kNoValue);
    }
    if (c.initial) {
        in.push_back(b.input("h0", hs));
        feeds["h0"] = randomTensor(hs, 5);
        if (lstm) {
            in.push_back(b.input("c0", hs));
            feeds["c0"] = randomTensor(hs, 6);
        }
    }
    if (c.peephole) {
        while (in.size() < 7)
            in.push_back(ir::kNoValue);
        in.push_back(b.constant("p", randomTensor({dirs, 3 * c.hidden}, 7)));
    }
    std::vector<ir::Attribute> attrs = c.attrs;
    attrs.push_back(attrInt("hidden_size", c.hidden));
    attrs.push_back(attrString("direction", c.direction));
    if (c.layout)
        attrs.push_back(attrInt("layout", c.layout));
    ir::Node node;
    node.name = "rnn";
    node.opType = c.op;
    node.inputs = in;
    node.attributes = attrs;
    node.outputs = {b.value("y"), b.value("y_h")};
    if (lstm)
        node.outputs.push_back(b.value("y_c"));
    b.graph()->addNode(node);
    for (ir::ValueId out : node.outputs)
        b.output(out);
    return b.graph();
}

} // namespace

TEST_CASE("oneDNN RNN, GRU and LSTM match the reference", "[onednn][rnn]") {
    const ir::Attribute lbr = attrInt("linear_before_reset", 1);
    const std::vector<RnnCase> cases = {
        {"LSTM forward", "LSTM", 6, 2, 5, 7},
        {"LSTM reverse, no bias, zero initial states", "LSTM", 5, 3, 4, 6, "reverse", 0, false,
         false},
        {"LSTM bidirectional with peepholes", "LSTM", 7, 2, 5, 8, "bidirectional", 0, true, true,
         true},
        {"LSTM bidirectional, layout 1", "LSTM", 4, 3, 6, 5, "bidirectional", 1},
        {"LSTM forward, layout 1, sequence_lens all whole",
         "LSTM",
         4,
         2,
         3,
         5,
         "forward",
         1,
         true,
         true,
         false,
         {},
         {4, 4}},
        {"GRU forward", "GRU", 6, 2, 5, 7},
        {"GRU bidirectional", "GRU", 5, 2, 4, 6, "bidirectional"},
        {"GRU linear_before_reset reverse",
         "GRU",
         5,
         3,
         4,
         6,
         "reverse",
         0,
         true,
         true,
         false,
         {lbr}},
        {"GRU linear_before_reset bidirectional, layout 1",
         "GRU",
         4,
         2,
         3,
         9,
         "bidirectional",
         1,
         true,
         true,
         false,
         {lbr}},
        {"RNN Tanh forward", "RNN", 6, 2, 5, 7},
        {"RNN Relu bidirectional",
         "RNN",
         5,
         2,
         4,
         6,
         "bidirectional",
         0,
         true,
         true,
         false,
         {activations({"Relu", "Relu"})}},
        {"RNN LeakyRelu reverse",
         "RNN",
         5,
         2,
         4,
         6,
         "reverse",
         0,
         true,
         true,
         false,
         {activations({"LeakyRelu"}), attrFloats("activation_alpha", {0.2f})}},
        {"RNN Sigmoid forward, layout 1",
         "RNN",
         4,
         3,
         3,
         5,
         "forward",
         1,
         true,
         true,
         false,
         {activations({"Sigmoid"})}},
    };
    for (const RnnCase& c : cases) {
        SECTION(c.label) {
            std::map<std::string, Tensor> feeds;
            const auto g = rnnGraph(c, feeds);
            runtime::Session session(g, {onednnBackend(), referenceBackend()});
            REQUIRE(session.steps().size() == 1);
            INFO("fell back: " << session.steps()[0].fallbackReason);
            CHECK(session.steps()[0].backend == "onednn");
            const std::vector<Tensor> got = session.run(feeds);
            const std::vector<Tensor> want = runGraph(g, false, feeds);
            REQUIRE(got.size() == want.size());
            for (size_t i = 0; i < got.size(); ++i) {
                INFO("output " << i);
                CHECK(relativeError(got[i], want[i]) <= 1e-5);
                // The states move away from zero: a vacuous all-zero comparison would not.
                double largest = 0.0;
                for (float v : want[i].span<float>())
                    largest = std::max(largest, static_cast<double>(std::abs(v)));
                CHECK(largest > 0.05);
            }
        }
    }
}

TEST_CASE("LSTMs with whole 16-unit blocks run our loop and match the reference", "[onednn][rnn]") {
    // Hidden sizes that are multiples of 16 take lstm_loop.cpp on AVX-512 machines from two
    // threads on; batch 5 is a pass of four entries and a pass of one; the threads split the units
    // into 16-unit blocks (three threads: blocks 1 / 1 / 1 for hidden 48, an idle one for 16).
    const std::vector<RnnCase> cases = {
        {"forward, batch 1", "LSTM", 9, 1, 5, 32},
        {"reverse, no bias, zero initial states, batch 5", "LSTM", 6, 5, 7, 48, "reverse", 0, false,
         false},
        {"bidirectional with peepholes", "LSTM", 7, 2, 5, 32, "bidirectional", 0, true, true, true},
        {"bidirectional, layout 1, batch 3", "LSTM", 5, 3, 6, 16, "bidirectional", 1},
    };
    for (const RnnCase& c : cases)
        for (int threads : {1, 2, 3}) {
            SECTION(c.label + ", " + std::to_string(threads) + " threads") {
                std::map<std::string, Tensor> feeds;
                const auto g = rnnGraph(c, feeds);
                runtime::Session session(g, {onednnBackend(), referenceBackend()},
                                         runtime::SessionOptions{threads});
                REQUIRE(session.steps().size() == 1);
                CHECK(session.steps()[0].backend == "onednn");
                const std::vector<Tensor> got = session.run(feeds);
                // One thread keeps oneDNN's cell (measured faster there).
                // From two threads: a thread per direction when there are two, else the units
                // split (hidden 16 is one block: serial).
                if (__builtin_cpu_supports("avx512f"))
                    CHECK(session.implementation(0) ==
                          (threads == 1                            ? session.implementation(0)
                           : c.direction == "bidirectional"        ? "lstm_loop:avx512:directions"
                           : c.hidden > 16                         ? "lstm_loop:avx512:units"
                                                                   : "lstm_loop:avx512:serial"));
                if (threads == 1)
                    CHECK(session.implementation(0).rfind("lstm_loop", 0) != 0);
                const std::vector<Tensor> want = runGraph(g, false, feeds);
                REQUIRE(got.size() == want.size());
                for (size_t i = 0; i < got.size(); ++i) {
                    INFO("output " << i);
                    CHECK(relativeError(got[i], want[i]) <= 1e-5);
                    double largest = 0.0;
                    for (float v : want[i].span<float>())
                        largest = std::max(largest, static_cast<double>(std::abs(v)));
                    CHECK(largest > 0.05);
                }
            }
        }
}

TEST_CASE("oneDNN declines what its RNN primitives do not compute, and says why", "[onednn][rnn]") {
    struct Declined {
        RnnCase c;
        const char* code;
        const char* text;
    };
    const ir::Attribute affine = activations({"Sigmoid", "Affine", "Tanh"});
    const std::vector<Declined> cases = {
        {{"LSTM bidirectional with shorter sequences",
          "LSTM",
          6,
          3,
          4,
          5,
          "bidirectional",
          0,
          true,
          true,
          false,
          {},
          {6, 3, 1}},
         "unsupported-input",
         "sequence_lens"},
        {{"GRU with clip",
          "GRU",
          5,
          2,
          3,
          4,
          "forward",
          0,
          true,
          true,
          false,
          {attrFloat("clip", 0.3f)}},
         "unsupported-attribute",
         "clip"},
        {{"LSTM with input_forget",
          "LSTM",
          5,
          2,
          3,
          4,
          "forward",
          0,
          true,
          true,
          false,
          {attrInt("input_forget", 1)}},
         "unsupported-attribute",
         "input_forget"},
        {{"LSTM with an Affine cell activation",
          "LSTM",
          5,
          2,
          3,
          4,
          "forward",
          0,
          true,
          true,
          false,
          {affine, attrFloats("activation_alpha", {0.5f}), attrFloats("activation_beta", {0.1f})}},
         "unsupported-attribute",
         "activations"},
    };
    for (const Declined& d : cases) {
        SECTION(d.c.label) {
            std::map<std::string, Tensor> feeds;
            const auto g = rnnGraph(d.c, feeds);
            const runtime::Claim claim =
                backends::onednn::OneDnnBackend().capability(*g, g->node(0));
            CHECK(claim.code() == d.code);
            CHECK_THAT(claim.text(), Catch::Contains(d.text));
            runtime::Session session(g, {onednnBackend(), referenceBackend()});
            CHECK(session.steps()[0].backend == "reference");
            CHECK(session.steps()[0].fallbackCode == d.code);
            const std::vector<Tensor> got = session.run(feeds);
            REQUIRE(got.size() == (d.c.op == "LSTM" ? 3u : 2u));
            CHECK(got[0].shape() ==
                  Shape{d.c.seq, d.c.direction == "bidirectional" ? 2 : 1, d.c.batch, d.c.hidden});
        }
    }
}
