// Recurrent models built in code, saved as ONNX and run through onnxruntime-node (bench/ort_run.js,
// its own node process) and through our sessions (backend auto = oneDNN with reference fallback,
// and reference alone): a bidirectional LSTM with sequence_lens (some sequences shorter), initial
// states and peepholes; GRUs with linear_before_reset; a reverse GRU and an RNN. Every output must
// agree to max|ours - ort| / max|ort| <= 1e-5. A missing node or onnxruntime-node fails the test.
#include "core/tensor.h"
#include "ort_run_util.h"
#include "ir/graph.h"
#include "onnx/exporter.h"
#include "onnx/importer.h"
#include "onnx/tensor_io.h"
#include "profile/local_run.h"
#include "runtime/inputs.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <unistd.h>

using namespace lb;
namespace fs = std::filesystem;

namespace {

using test::quote;
using test::randomTensor;

struct Model {
    std::string name;
    std::string op;
    int64_t seq, batch, input, hidden;
    std::string direction;
    int64_t layout = 0;
    bool peephole = false;
    std::vector<ir::Attribute> attrs = {};
    std::vector<int32_t> sequenceLens = {}; // empty: absent
    int threads = 1;
};

// The node with every output, its weights as initializers, X and the initial states as inputs.
std::shared_ptr<ir::Graph> buildModel(const Model& m, std::map<std::string, Tensor>& feeds) {
    auto g = std::make_shared<ir::Graph>();
    g->name = m.name;
    g->opsetImports[""] = 14; // layout arrived in opset 14
    const int64_t dirs = m.direction == "bidirectional" ? 2 : 1;
    const int64_t gates = m.op == "RNN" ? 1 : m.op == "GRU" ? 3 : 4;
    const bool lstm = m.op == "LSTM";
    auto value = [&](const std::string& name, DataType type) {
        const ir::ValueId v = g->addValue(name);
        g->value(v).dtype = type;
        return v;
    };
    auto input = [&](const std::string& name, const Shape& shape, uint32_t seed) {
        const ir::ValueId v = value(name, DataType::Float32);
        g->value(v).shape = symbolicShape(shape);
        g->inputs().push_back(v);
        feeds[name] = randomTensor(shape, seed);
        return v;
    };
    auto constant = [&](const std::string& name, const Tensor& t) {
        const ir::ValueId v = value(name, t.dtype());
        g->value(v).shape = symbolicShape(t.shape());
        g->setInitializer(v, t);
        return v;
    };
    const Shape xs =
        m.layout == 0 ? Shape{m.seq, m.batch, m.input} : Shape{m.batch, m.seq, m.input};
    const Shape hs =
        m.layout == 0 ? Shape{dirs, m.batch, m.hidden} : Shape{m.batch, dirs, m.hidden};
    ir::Node node;
    node.name = m.op;
    node.opType = m.op;
    node.inputs = {input("X", xs, 11),
                   constant("W", randomTensor({dirs, gates * m.hidden, m.input}, 12)),
                   constant("R", randomTensor({dirs, gates * m.hidden, m.hidden}, 13)),
                   constant("B", randomTensor({dirs, 2 * gates * m.hidden}, 14))};
    if (m.sequenceLens.empty()) {
        node.inputs.push_back(ir::kNoValue);
    } else {
        Tensor lens(DataType::Int32, {m.batch});
        std::copy(m.sequenceLens.begin(), m.sequenceLens.end(), lens.data<int32_t>());
        node.inputs.push_back(constant("sequence_lens", lens));
    }
    node.inputs.push_back(input("initial_h", hs, 15));
    if (lstm)
        node.inputs.push_back(input("initial_c", hs, 16));
    if (m.peephole)
        node.inputs.push_back(constant("P", randomTensor({dirs, 3 * m.hidden}, 17)));
    node.attributes = m.attrs;
    node.attributes.push_back(ir::intAttribute("hidden_size", m.hidden));
    node.attributes.push_back(ir::stringAttribute("direction", m.direction));
    node.attributes.push_back(ir::intAttribute("layout", m.layout));
    auto output = [&](const std::string& name, const Shape& shape) {
        const ir::ValueId v = value(name, DataType::Float32);
        g->value(v).shape = symbolicShape(shape);
        return v;
    };
    node.outputs = {output("Y", m.layout == 0 ? Shape{m.seq, dirs, m.batch, m.hidden}
                                              : Shape{m.batch, m.seq, dirs, m.hidden}),
                    output("Y_h", hs)};
    if (lstm)
        node.outputs.push_back(output("Y_c", hs));
    g->addNode(node);
    for (ir::ValueId out : node.outputs)
        g->outputs().push_back(out);
    return g;
}

void checkAgainstOrt(const Model& m) {
    const fs::path dir =
        fs::temp_directory_path() / ("lb_ort_rnn_" + std::to_string(::getpid())) / m.name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::map<std::string, Tensor> feeds;
    const std::string model = (dir / (m.name + ".onnx")).string();
    onnx::saveModel(*buildModel(m, feeds), model);

    const std::map<std::string, Tensor> ort = test::runOrt(model, feeds, dir);

    const onnx::ImportResult imported = onnx::importModel(model, {});
    for (const char* backend : {"auto", "reference"}) {
        profile::LocalRunOptions options;
        options.backend = backend;
        options.threads = m.threads;
        profile::PreparedModel prepared = profile::prepare(imported.graph, options);
        const std::vector<Tensor> outputs = prepared.session->run(feeds);
        const std::vector<std::string> names = prepared.session->outputNames();
        REQUIRE(outputs.size() == names.size());
        for (size_t k = 0; k < outputs.size(); ++k) {
            INFO(m.name << " backend " << backend << " output " << names[k]);
            const auto file = ort.find(runtime::safeFileName(names[k]));
            REQUIRE(file != ort.end());
            REQUIRE(outputs[k].shape() == file->second.shape());
            const test::MaxDiff d = test::maxDiff(outputs[k], file->second);
            const double maxAbs = d.maxAbs, maxRef = d.maxRef;
            std::cout << "ort_recurrent: " << m.name << " " << backend << " " << names[k]
                      << ": max|ours-ort|/max|ort| = " << maxAbs / maxRef << "\n";
            CHECK(maxRef > 0.05); // an all-zero reference would make the check vacuous
            CHECK(maxAbs / maxRef <= 1e-5);
        }
    }
    fs::remove_all(dir);
}

} // namespace

TEST_CASE("bidirectional LSTM with sequence_lens, initial states and peepholes agrees with ONNX "
          "Runtime",
          "[ort][rnn]") {
    checkAgainstOrt(
        {"lstm_bidirectional_lens", "LSTM", 7, 3, 5, 6, "bidirectional", 0, true, {}, {7, 4, 2}});
}

TEST_CASE("bidirectional LSTM without sequence_lens (oneDNN) agrees with ONNX Runtime",
          "[ort][rnn]") {
    checkAgainstOrt({"lstm_bidirectional", "LSTM", 6, 2, 5, 8, "bidirectional"});
}

TEST_CASE("LSTM with 16-unit blocks at 2 threads (the oneDNN backend's own loop) agrees with ONNX "
          "Runtime",
          "[ort][rnn]") {
    checkAgainstOrt(
        {"lstm_loop_two_threads", "LSTM", 8, 3, 5, 32, "bidirectional", 0, true, {}, {}, 2});
}

TEST_CASE("GRU with linear_before_reset agrees with ONNX Runtime", "[ort][rnn]") {
    checkAgainstOrt({"gru_lbr",
                     "GRU",
                     6,
                     2,
                     4,
                     7,
                     "forward",
                     0,
                     false,
                     {ir::intAttribute("linear_before_reset", 1)}});
    checkAgainstOrt({"gru_lbr_bidirectional_lens",
                     "GRU",
                     5,
                     3,
                     4,
                     6,
                     "bidirectional",
                     0,
                     false,
                     {ir::intAttribute("linear_before_reset", 1)},
                     {5, 1, 3}});
}

// ORT's CPU kernels refuse layout 1 ("Batchwise recurrent operations (layout == 1) are not
// supported"); the conformance data's *_batchwise tests and onednn_rnn_test cover it.
TEST_CASE("reverse GRU and bidirectional RNN agree with ONNX Runtime", "[ort][rnn]") {
    checkAgainstOrt({"gru_reverse", "GRU", 5, 2, 3, 6, "reverse"});
    checkAgainstOrt(
        {"rnn_bidirectional_lens", "RNN", 4, 3, 5, 6, "bidirectional", 0, false, {}, {4, 2, 3}});
}

namespace {

ir::Attribute strings(const std::string& name, std::vector<std::string> values) {
    ir::Attribute a;
    a.name = name;
    a.type = ir::AttributeType::Strings;
    a.strings = std::move(values);
    return a;
}

} // namespace

// The reference kernels alone run these (oneDNN declines them); alphas and betas are given
// explicitly, each consumed in order by the functions that take one.
TEST_CASE("clip, input_forget and the spec's other activations agree with ONNX Runtime",
          "[ort][rnn]") {
    checkAgainstOrt({"lstm_clip_input_forget",
                     "LSTM",
                     6,
                     2,
                     4,
                     5,
                     "forward",
                     0,
                     true,
                     {ir::floatAttribute("clip", 0.5f), ir::intAttribute("input_forget", 1),
                      strings("activations", {"HardSigmoid", "ScaledTanh", "Softsign"}),
                      ir::floatsAttribute("activation_alpha", {0.3f, 0.9f}),
                      ir::floatsAttribute("activation_beta", {0.4f, 1.2f})}});
    checkAgainstOrt({"gru_activations_clip",
                     "GRU",
                     5,
                     2,
                     3,
                     6,
                     "bidirectional",
                     0,
                     false,
                     {ir::floatAttribute("clip", 0.8f),
                      strings("activations", {"Sigmoid", "Elu", "HardSigmoid", "Softplus"}),
                      ir::floatsAttribute("activation_alpha", {0.7f, 0.25f}),
                      ir::floatsAttribute("activation_beta", {0.45f})},
                     {5, 3}});
    checkAgainstOrt(
        {"rnn_affine",
         "RNN",
         4,
         3,
         5,
         6,
         "reverse",
         0,
         false,
         {strings("activations", {"Affine"}), ir::floatsAttribute("activation_alpha", {0.5f}),
          ir::floatsAttribute("activation_beta", {0.1f})}});
    checkAgainstOrt({"rnn_leaky_thresholded",
                     "RNN",
                     4,
                     3,
                     5,
                     6,
                     "bidirectional",
                     0,
                     false,
                     {strings("activations", {"LeakyRelu", "ThresholdedRelu"}),
                      ir::floatsAttribute("activation_alpha", {0.1f, 0.2f})}});
}
