// Our GRU loop (backends/onednn/gru_loop.cpp) against the reference kernel: both
// linear_before_reset forms, every thread split it has (one thread per direction, hidden blocks
// across threads, serial), batch passes of four and one, both layouts, with and without B and
// initial_h. The implementation string is checked too, so the test fails if the loop stops
// being chosen.
#include "onednn_test_util.h"

using namespace lbtest;

namespace {

struct GruCase {
    std::string label;
    int64_t seq, batch, input, hidden;
    std::string direction;
    bool lbr;
    int64_t layout = 0;
    bool bias = true, initial = true;
};

std::shared_ptr<ir::Graph> gruGraph(const GruCase& c, std::map<std::string, Tensor>& feeds) {
    const int64_t dirs = c.direction == "bidirectional" ? 2 : 1;
    GraphBuilder b;
    const Shape xs =
        c.layout == 0 ? Shape{c.seq, c.batch, c.input} : Shape{c.batch, c.seq, c.input};
    const Shape hs =
        c.layout == 0 ? Shape{dirs, c.batch, c.hidden} : Shape{c.batch, dirs, c.hidden};
    feeds["x"] = randomTensor(xs, 11);
    std::vector<ir::ValueId> in{b.input("x", xs),
                                b.constant("w", randomTensor({dirs, 3 * c.hidden, c.input}, 12)),
                                b.constant("r", randomTensor({dirs, 3 * c.hidden, c.hidden}, 13,
                                                             -0.3f, 0.3f))};
    in.push_back(c.bias ? b.constant("b", randomTensor({dirs, 6 * c.hidden}, 14)) : ir::kNoValue);
    in.push_back(ir::kNoValue); // sequence_lens
    if (c.initial) {
        in.push_back(b.input("h0", hs));
        feeds["h0"] = randomTensor(hs, 15);
    }
    ir::Node node;
    node.name = "gru";
    node.opType = "GRU";
    node.inputs = in;
    node.attributes = {attrInt("hidden_size", c.hidden), attrString("direction", c.direction),
                       attrInt("linear_before_reset", c.lbr ? 1 : 0)};
    if (c.layout)
        node.attributes.push_back(attrInt("layout", c.layout));
    node.outputs = {b.value("y"), b.value("y_h")};
    b.graph()->addNode(node);
    for (ir::ValueId out : node.outputs)
        b.output(out);
    return b.graph();
}

} // namespace

TEST_CASE("GRUs with whole 16-unit blocks run our loop from two threads and match the reference",
          "[onednn][rnn]") {
    const std::vector<GruCase> cases = {
        {"bidirectional lbr, batch 1 (ArchBench's GRU, smaller)", 12, 1, 8, 32, "bidirectional",
         true},
        {"bidirectional, batch 5", 6, 5, 7, 48, "bidirectional", false},
        {"forward lbr, batch 5, layout 1", 7, 5, 6, 48, "forward", true, 1},
        {"forward, batch 1", 9, 1, 5, 32, "forward", false},
        {"reverse lbr, no bias, zero initial state, batch 3", 6, 3, 4, 16, "reverse", true, 0,
         false, false},
        {"reverse, no bias, batch 2", 5, 2, 6, 32, "reverse", false, 0, false},
        {"bidirectional lbr, layout 1, batch 3", 5, 3, 6, 16, "bidirectional", true, 1},
    };
    for (const GruCase& c : cases)
        for (int threads : {1, 2, 3}) {
            SECTION(c.label + ", " + std::to_string(threads) + " threads") {
                std::map<std::string, Tensor> feeds;
                const auto g = gruGraph(c, feeds);
                runtime::Session session(g, {onednnBackend(), referenceBackend()},
                                         runtime::SessionOptions{threads});
                REQUIRE(session.steps().size() == 1);
                CHECK(session.steps()[0].backend == "onednn");
                const std::vector<Tensor> got = session.run(feeds);
                if (__builtin_cpu_supports("avx512f")) {
                    // One thread keeps oneDNN's cell; from two, one thread per direction when
                    // there are two, else the hidden blocks split (a single block cannot be).
                    const bool bidi = c.direction == "bidirectional";
                    const std::string want =
                        threads == 1 ? std::string()
                        : bidi       ? "gru_loop:avx512:directions"
                        : c.hidden > 16 ? "gru_loop:avx512:units"
                                        : "gru_loop:avx512:serial";
                    if (want.empty())
                        CHECK(session.implementation(0).rfind("gru_loop", 0) != 0);
                    else
                        CHECK(session.implementation(0) == want);
                }
                const std::vector<Tensor> ref = runGraph(g, false, feeds);
                REQUIRE(got.size() == ref.size());
                for (size_t i = 0; i < got.size(); ++i) {
                    INFO("output " << i);
                    CHECK(relativeError(got[i], ref[i]) <= 1e-5);
                    double largest = 0.0;
                    for (float v : ref[i].span<float>())
                        largest = std::max(largest, static_cast<double>(std::abs(v)));
                    CHECK(largest > 0.05);
                }
                // A second run on the same session (buffers and the projection kept) agrees.
                const std::vector<Tensor> again = session.run(feeds);
                for (size_t i = 0; i < got.size(); ++i)
                    CHECK(relativeError(again[i], ref[i]) <= 1e-5);
            }
        }
}
