// PaddleOCR cls, rec and det (160x160) in int8 on the xnnpack chain (quant/int8_lowering.h: the
// backend lowers the groups it claims), against the reference int8 run. Each int8 node XNNPACK
// runs is fed, alone, the xnnpack run's own inputs on the reference kernels too, so a byte
// difference is the kernel's own; the final outputs are compared with the reference run's.
#include "int8_test_util.h"
#include "onnx/importer.h"
#include "passes/graph_pass.h"
#include "quant/calibration.h"
#include "quant/calibration_data.h"
#include "quant/fake_quant_transform.h"
#include "quant/int8_lowering.h"

#include <filesystem>
#include <iomanip>
#include <sstream>

using namespace lb;

namespace {

const std::string kModels = LB_MODELS_DIR;
const std::string kXnnpack = "xnnpack";
const std::string kReference = backends::groundTruth().name;

struct Quantized {
    ir::Graph simulated; // after applyFakeQuant and the generic passes
    quant::FakeQuantResult simulation;
    quant::EncodingSet encodings;
    ir::Graph applied; // right after applyFakeQuant (what Int8Lowering reads)
    quant::Sample input;
};

Quantized quantize(const std::string& file, const Shape& shape) {
    const std::string path = kModels + "/" + file;
    INFO("model " << path << " (LB_MODELS_DIR; a missing model is a failure)");
    REQUIRE(std::filesystem::exists(path));
    onnx::ImportOptions options;
    options.inputShapes["x"] = shape;
    ir::Graph g = onnx::importModel(path, options).graph;
    const std::vector<quant::Sample> samples = quant::randomSamples(g, 3, 42);
    quant::CalibrationConfig config;
    config.perChannel = true;
    Quantized q;
    q.encodings = quant::computeEncodings(
        g, quant::observeActivations(g, {samples[0], samples[1]}, config), config);
    q.simulation = quant::applyFakeQuant(g, q.encodings);
    q.applied = g;
    passes::optimize(g, passes::genericPasses());
    q.simulated = std::move(g);
    q.input = samples[2];
    return q;
}

// Plain copies of every value a run computes, by name, and which backend ran each node.
class Capture : public runtime::ExecutionObserver {
public:
    explicit Capture(const runtime::Session& session) : m_session(session) {}
    void onNodeEnd(size_t, const runtime::PlanStep& step,
                   const std::vector<Tensor>& outputs) override {
        const ir::Node& n = m_session.graph().node(step.node);
        for (size_t i = 0; i < outputs.size() && i < n.outputs.size(); ++i)
            if (n.outputs[i] != ir::kNoValue && !outputs[i].empty())
                values[m_session.graph().value(n.outputs[i]).name] =
                    m_session.toPlain(step, outputs[i]).clone();
    }
    std::map<std::string, Tensor> values;

private:
    const runtime::Session& m_session;
};

struct OpDiff {
    int nodes = 0;
    int64_t elements = 0, differ = 0, maxSteps = 0;
};

struct ModelResult {
    std::map<std::string, int> onXnnpack; // int8 op -> nodes XNNPACK ran
    int convs = 0;                        // QConv + Conv + FusedConv in the xnnpack run
    // The convs left in float: the op reading each one's output, and how many say why they
    // stay simulated with the reason that their output has no 8-bit encoding.
    std::map<std::string, int> floatConvReaders;
    int floatConvsUnencoded = 0;
    std::map<std::string, OpDiff> isolated;
    double maxAbs = 0; // final outputs against the reference int8 run
    std::string summary;
};

ModelResult compare(const Quantized& q) {
    const auto graph = std::make_shared<const ir::Graph>(q.simulated);
    runtime::SessionOptions xo, ro;
    const auto xnnLowering = std::make_shared<quant::Int8Lowering>(q.applied, q.encodings);
    xo.int8 = xnnLowering;
    ro.int8 = std::make_shared<quant::Int8Lowering>(q.applied, q.encodings);
    runtime::Session xnn(graph, backends::fallbackChain(kXnnpack), xo);
    runtime::Session ref(graph, backends::fallbackChain(kReference), ro);
    Capture capture(xnn);
    const std::vector<Tensor> got = xnn.run(q.input, &capture);
    const quant::Int8Result lowered = xnnLowering->result(xnn.graph(), q.simulation);
    const std::vector<Tensor> want = ref.run(q.input);
    for (const auto& [name, t] : q.input)
        capture.values[name] = t;
    ModelResult r;
    const ir::Graph& g = xnn.graph();
    for (const runtime::PlanStep& step : xnn.steps()) {
        const ir::Node& n = g.node(step.node);
        if (n.opType == "QConv" || n.opType == "Conv" || n.opType == "FusedConv")
            ++r.convs;
        if (n.opType == "Conv" || n.opType == "FusedConv") {
            for (ir::NodeId reader : g.value(n.outputs.at(0)).consumers)
                ++r.floatConvReaders[g.node(reader).opType];
            const auto why = lowered.simulated.find(n.name);
            r.floatConvsUnencoded +=
                why != lowered.simulated.end() &&
                why->second.find("is not quantized to 8 bits per tensor") != std::string::npos;
        }
        if (step.backend != kXnnpack || !ops::isInt8Op(n))
            continue;
        ++r.onXnnpack[n.opType];
        // The node alone on the reference kernels, on the xnnpack run's inputs.
        test::OneNode one;
        std::vector<std::string> inputs;
        for (ir::ValueId v : n.inputs) {
            const std::string& name = g.value(v).name;
            inputs.push_back(name);
            if (const Tensor* t = g.initializer(v))
                one.constant(name, *t);
            else
                one.input(name, capture.values.at(name));
        }
        const Tensor& out = capture.values.at(g.value(n.outputs.at(0)).name);
        one.node(n.opType, inputs, n.attributes, out.shape(), out.dtype());
        const Tensor alone = one.run(kReference);
        OpDiff& d = r.isolated[n.opType];
        ++d.nodes;
        d.elements += out.numel();
        for (int64_t i = 0; i < out.numel(); ++i) {
            int64_t steps = 0;
            if (out.dtype() == DataType::UInt8)
                steps = std::abs(int(out.data<uint8_t>()[i]) - int(alone.data<uint8_t>()[i]));
            else
                steps = out.data<float>()[i] != alone.data<float>()[i];
            d.differ += steps != 0;
            d.maxSteps = std::max(d.maxSteps, steps);
        }
    }
    REQUIRE(got.size() == want.size());
    for (size_t k = 0; k < got.size(); ++k)
        for (int64_t i = 0; i < got[k].numel(); ++i)
            r.maxAbs = std::max(
                r.maxAbs, double(std::abs(got[k].data<float>()[i] - want[k].data<float>()[i])));
    std::ostringstream s;
    for (const auto& [op, d] : r.isolated)
        s << std::setw(20) << op << ": " << std::setw(3) << d.nodes << " nodes, " << std::setw(8)
          << d.elements << " values, " << std::setw(5) << d.differ << " differ, max " << d.maxSteps
          << " step(s)\n";
    s << "convs: " << r.onXnnpack["QConv"] << " of " << r.convs
      << " int8 on XNNPACK; the float ones are read by";
    for (const auto& [op, count] : r.floatConvReaders)
        s << ' ' << op << " (" << count << ")";
    s << "\nfinal outputs: max |xnnpack int8 - reference int8| " << r.maxAbs;
    r.summary = s.str();
    return r;
}

// What every model shares. A conv XNNPACK does not run in int8 is one whose output the encodings
// leave unquantized because it sits inside a group with an activation XNNPACK cannot fuse into
// its int8 convolution (HardSwish, HardSigmoid: calibration quantizes such groups as QNN does,
// at the activation's output) or with a residual Add (XNNPACK's convolution adds no sum): so
// with these encodings XNNPACK cannot give the spec's bytes for it, and it runs simulated in
// float on XNNPACK. Each int8 kernel alone gives the reference's bytes but for one step at
// rounding ties (QConv, QAdd, QGlobalAveragePool), the exact ones none.
void checkKernels(const ModelResult& r) {
    CHECK(r.floatConvsUnencoded == r.convs - r.onXnnpack.at("QConv"));
    for (const auto& [op, count] : r.floatConvReaders) {
        INFO(op << " reads the output of " << count << " float convs");
        CHECK((op == "HardSwish" || op == "HardSigmoid" || op == "Add"));
    }
    for (const auto& [op, d] : r.isolated) {
        INFO(op);
        if (op == "QConv" || op == "QAdd" || op == "QGlobalAveragePool") {
            CHECK(d.maxSteps <= 1);
            CHECK(double(d.differ) / double(d.elements) < 2e-3);
        } else {
            CHECK(d.differ == 0);
        }
    }
}

} // namespace

TEST_CASE("XNNPACK int8: cls against the reference int8 kernels", "[xnnpack][int8][models]") {
    const ModelResult r = compare(quantize("ch_ppocr_mobile_v2.0_cls_infer.onnx", {1, 3, 48, 192}));
    WARN("cls:\n" << r.summary);
    CHECK(r.convs == 53);
    CHECK(r.onXnnpack.at("QConv") == 19);
    checkKernels(r);
    CHECK(r.maxAbs < 0.05); // two class probabilities
}

TEST_CASE("XNNPACK int8: rec against the reference int8 kernels", "[xnnpack][int8][models]") {
    const ModelResult r = compare(quantize("ch_PP-OCRv4_rec_infer.onnx", {1, 3, 48, 320}));
    WARN("rec:\n" << r.summary);
    CHECK(r.convs == 38);
    CHECK(r.onXnnpack.at("QConv") == 8);
    checkKernels(r);
    CHECK(r.maxAbs < 0.1);
}

TEST_CASE("XNNPACK int8: det at 160x160 against the reference int8 kernels",
          "[xnnpack][int8][models]") {
    const ModelResult r = compare(quantize("ch_PP-OCRv4_det_infer.onnx", {1, 3, 160, 160}));
    WARN("det:\n" << r.summary);
    CHECK(r.convs == 62);
    CHECK(r.onXnnpack.at("QConv") == 28);
    checkKernels(r);
    CHECK(r.maxAbs < 0.1);
}
