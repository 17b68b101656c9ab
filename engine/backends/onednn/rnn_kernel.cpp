// RNN, GRU and LSTM through oneDNN's vanilla_rnn_forward, gru_forward / lbr_gru_forward and
// lstm_forward, where they compute what ONNX does:
//  - W and R (and B, P when present) constant: pre-packed once, gates reordered (ONNX's LSTM
//    order is i, o, f, c; oneDNN's i, f, c, o; GRU's z, r, h is oneDNN's u, r, o) and B's two
//    halves summed (lbr_gru keeps R's h-gate bias as its fourth bias gate).
//  - LSTM peepholes: oneDNN's weights_peephole (gates i, f, o; ONNX's P is i, o, f).
//  - The default activations; RNN also Relu, LeakyRelu and Sigmoid, the same in both directions.
//  - layout 0 and 1 (copies where oneDNN's tnc/ntc and ldnc do not match ONNX's order).
// Declined, so the reference kernel runs them: clip, input_forget, other activations, and
// sequence_lens unless it is a constant equal to the sequence length for every batch entry.
#include "backends/onednn/gru_loop.h"
#include "backends/onednn/kernels.h"
#include "backends/onednn/layout.h"
#include "backends/onednn/lstm_loop.h"
#include "backends/onednn/op_attrs.h"
#include "ops/recurrent_attrs.h"

#include <cstring>
#include <optional>
#include <unordered_map>

namespace lb::backends::onednn {

namespace {

using ops::RecurrentActivationKind;
using ops::RecurrentAttrs;
using ops::RecurrentCell;
using tag = memory::format_tag;

enum Input { kX, kW, kR, kB, kSequenceLens, kInitialH, kInitialC, kP };

// oneDNN gate g holds ONNX gate kGateFrom[cell][g].
int64_t onnxGate(RecurrentCell cell, int64_t g) {
    static constexpr int64_t kLstm[] = {0, 2, 3, 1}; // i, f, c, o <- i, o, f, c
    return cell == RecurrentCell::Lstm ? kLstm[g] : g;
}

// RNN's activation as oneDNN's (algorithm, alpha), or nullopt.
std::optional<std::pair<dnnl::algorithm, float>> rnnActivation(const RecurrentAttrs& a) {
    const ops::RecurrentActivation& f = a.activations[0];
    for (const ops::RecurrentActivation& other : a.activations)
        if (other.kind != f.kind || other.alpha != f.alpha)
            return std::nullopt;
    switch (f.kind) {
    case RecurrentActivationKind::Tanh:
        return std::pair{dnnl::algorithm::eltwise_tanh, 0.0f};
    case RecurrentActivationKind::Relu:
        return std::pair{dnnl::algorithm::eltwise_relu, 0.0f};
    case RecurrentActivationKind::LeakyRelu:
        return std::pair{dnnl::algorithm::eltwise_relu, f.alpha};
    case RecurrentActivationKind::Sigmoid:
        return std::pair{dnnl::algorithm::eltwise_logistic, 0.0f};
    default:
        return std::nullopt;
    }
}

class RnnKernel : public runtime::Kernel {
public:
    RnnKernel(RecurrentAttrs attrs, int64_t hidden, int64_t input, std::vector<bool> wanted,
              const Tensor& w, const Tensor& r, const Tensor* b, const Tensor* p)
        : m_attrs(std::move(attrs)), m_hidden(hidden), m_input(input), m_wanted(std::move(wanted)) {
        const int64_t dirs = m_attrs.directions, gates = m_attrs.gates(), hs = m_hidden;
        // W [D, G*H, I] with the gates in oneDNN's order is oneDNN's ldgoi of {1, D, I, G, H}.
        m_w = permuteGates(w.data<float>(), input);
        m_r = permuteGates(r.data<float>(), hs);
        const bool lbr = m_attrs.linearBeforeReset;
        const int64_t biasGates = gates + (lbr ? 1 : 0);
        m_bias.assign(static_cast<size_t>(dirs * biasGates * hs), 0.0f);
        if (b)
            for (int64_t d = 0; d < dirs; ++d) {
                const float* wb = b->data<float>() + d * 2 * gates * hs;
                const float* rb = wb + gates * hs;
                float* out = &m_bias[static_cast<size_t>(d * biasGates * hs)];
                for (int64_t g = 0; g < gates; ++g)
                    for (int64_t j = 0; j < hs; ++j) {
                        const int64_t from = onnxGate(m_attrs.cell, g) * hs + j;
                        // lbr_gru: Rbh is added inside the reset product, so it is a gate of its
                        // own; the h gate's bias here is Wbh alone.
                        out[g * hs + j] = wb[from] + (lbr && g == 2 ? 0.0f : rb[from]);
                    }
                if (lbr)
                    for (int64_t j = 0; j < hs; ++j)
                        out[3 * hs + j] = rb[2 * hs + j];
            }
        if (m_attrs.cell == RecurrentCell::Lstm && LstmLoop::available(hs))
            m_loop = std::make_unique<LstmLoop>(dirs, m_attrs.reverse, hs, input, w.data<float>(),
                                                r.data<float>(), b ? b->data<float>() : nullptr,
                                                p ? p->data<float>() : nullptr);
        if (m_attrs.cell == RecurrentCell::Gru && GruLoop::available(hs))
            m_gruLoop = std::make_unique<GruLoop>(dirs, m_attrs.reverse, lbr, hs, input,
                                                  w.data<float>(), r.data<float>(),
                                                  b ? b->data<float>() : nullptr);
        if (p) {
            m_peephole.resize(static_cast<size_t>(dirs * 3 * hs));
            static constexpr int64_t kFrom[] = {0, 2, 1}; // i, f, o <- i, o, f
            for (int64_t d = 0; d < dirs; ++d)
                for (int64_t g = 0; g < 3; ++g)
                    std::memcpy(&m_peephole[static_cast<size_t>((d * 3 + g) * hs)],
                                p->data<float>() + (d * 3 + kFrom[g]) * hs,
                                static_cast<size_t>(hs) * sizeof(float));
        }
    }

    void run(runtime::KernelContext& ctx) override {
        ThreadScope scope(ctx.threads());
        const Tensor& x = ctx.in(kX);
        if (x.rank() != 3 || x.shape()[2] != m_input)
            fail("X should be 3-D with input_size ", m_input, ", got ", shapeToString(x.shape()));
        const bool layout1 = m_attrs.layout == 1;
        const int64_t seq = x.shape()[layout1 ? 1 : 0], batch = x.shape()[layout1 ? 0 : 1];
        const int64_t dirs = m_attrs.directions, hs = m_hidden;
        // Our loop from two threads on; at one thread oneDNN's gemm-based cell measured faster
        // (ArchBench's 2-layer LSTM 256, 100 steps, batch 1: CPU 3.22 ms ours vs 2.90 ms oneDNN
        // at 1 thread; at 2 threads best wall 1.37-1.48 ms ours vs 1.83-2.15 ms oneDNN, and
        // 0.80-0.86 of ONNX Runtime's best against oneDNN's 1.04-1.06 in run_arch_bench.sh).
        m_loopRan = m_loop && ctx.threads() > 1 && seq > 0 && batch > 0;
        // GRU likewise (gru_loop.h). ArchBench's bidirectional GRU 128, 100 steps, batch 1, wall
        // medians on a loaded machine: at 2 threads oneDNN's cell 0.72 ms (slower than its 0.60
        // at 1), our loop with a thread per direction 0.36 (ONNX Runtime 0.78); at 1 thread our
        // loop took 0.68 against oneDNN's 0.59, so one thread keeps oneDNN.
        m_gruLoopRan = m_gruLoop && ctx.threads() > 1 && seq > 0 && batch > 0;
        if (!m_loopRan && !m_gruLoopRan && (seq != m_seq || batch != m_batch))
            build(seq, batch);

        // States: [D, N, H] (oneDNN's ldnc with L = 1) from either ONNX layout, zeros if absent.
        const size_t stateSize = static_cast<size_t>(dirs * batch * hs);
        auto readState = [&](size_t input, std::vector<float>& s) {
            s.assign(stateSize, 0.0f);
            const Tensor* t = ctx.input(input);
            if (!t)
                return;
            const Shape want = layout1 ? Shape{batch, dirs, hs} : Shape{dirs, batch, hs};
            if (t->shape() != want)
                fail(input == kInitialH ? "initial_h" : "initial_c", " should have shape ",
                     shapeToString(want), ", got ", shapeToString(t->shape()));
            // A oneDNN producer may have left it in a blocked layout.
            const memory plain = (input == kInitialH ? m_hConverter : m_cConverter)
                                     .convert(*t, plainDesc(t->shape()));
            copyStates(static_cast<const float*>(plain.get_data_handle()), s.data(), batch, layout1,
                       false);
        };
        readState(kInitialH, m_srcIter);
        if (m_attrs.cell == RecurrentCell::Lstm)
            readState(kInitialC, m_srcIterC);
        m_dstIter.resize(stateSize);
        m_dstIterC.resize(stateSize);
        if (m_loopRan || m_gruLoopRan) {
            runLoop(ctx, x, seq, batch);
            return;
        }

        // Y: oneDNN writes {T, N, D*H} in tnc (layout 0) or ntc (layout 1). ONNX's layout 1
        // [N, T, D, H] is exactly ntc; layout 0 [T, D, N, H] is tnc only for one direction.
        const Shape yShape = layout1 ? Shape{batch, seq, dirs, hs} : Shape{seq, dirs, batch, hs};
        const bool yDirect = m_wanted[0] && (layout1 || dirs == 1);
        float* dstLayer = yDirect
                              ? ctx.output(0, DataType::Float32, yShape).data<float>()
                              : static_cast<float*>(m_scratch.reserve(
                                    static_cast<size_t>(seq * batch * dirs * hs) * sizeof(float)));
        const memory::dims layerDims = {seq, batch, dirs * hs};
        const memory::dims iterDims = {1, dirs, batch, hs};
        const tag seqTag = layout1 ? tag::ntc : tag::tnc;
        dnnl::engine& eng = cpuEngine();
        const memory xPlain = m_xConverter.convert(x, plainDesc(x.shape()));
        std::unordered_map<int, memory> args = {
            {DNNL_ARG_SRC_LAYER, memory({{seq, batch, m_input}, memory::data_type::f32, seqTag},
                                        eng, xPlain.get_data_handle())},
            {DNNL_ARG_SRC_ITER,
             memory({iterDims, memory::data_type::f32, tag::ldnc}, eng, m_srcIter.data())},
            {DNNL_ARG_WEIGHTS_LAYER, m_packedW},
            {DNNL_ARG_WEIGHTS_ITER, m_packedR},
            {DNNL_ARG_BIAS, memory(m_biasDesc, eng, m_bias.data())},
            {DNNL_ARG_DST_LAYER,
             memory({layerDims, memory::data_type::f32, seqTag}, eng, dstLayer)},
            {DNNL_ARG_DST_ITER,
             memory({iterDims, memory::data_type::f32, tag::ldnc}, eng, m_dstIter.data())},
        };
        if (m_attrs.cell == RecurrentCell::Lstm) {
            args[DNNL_ARG_SRC_ITER_C] =
                memory({iterDims, memory::data_type::f32, tag::ldnc}, eng, m_srcIterC.data());
            args[DNNL_ARG_DST_ITER_C] =
                memory({iterDims, memory::data_type::f32, tag::ldnc}, eng, m_dstIterC.data());
            if (!m_peephole.empty())
                args[DNNL_ARG_WEIGHTS_PEEPHOLE] = memory(
                    {{1, dirs, 3, hs}, memory::data_type::f32, tag::ldgo}, eng, m_peephole.data());
        }
        dnnl::stream& s = cpuStream();
        m_prim.execute(s, args);
        s.wait();

        if (m_wanted[0] && !yDirect) { // layout 0, two directions: {T, N, 2H} -> [T, 2, N, H]
            float* y = ctx.output(0, DataType::Float32, yShape).data<float>();
            for (int64_t t = 0; t < seq; ++t)
                for (int64_t b = 0; b < batch; ++b)
                    for (int64_t d = 0; d < dirs; ++d)
                        std::memcpy(y + ((t * dirs + d) * batch + b) * hs,
                                    dstLayer + ((t * batch + b) * dirs + d) * hs,
                                    static_cast<size_t>(hs) * sizeof(float));
        }
        const Shape stateShape = layout1 ? Shape{batch, dirs, hs} : Shape{dirs, batch, hs};
        if (m_wanted.size() > 1 && m_wanted[1])
            copyStates(m_dstIter.data(), ctx.output(1, DataType::Float32, stateShape).data<float>(),
                       batch, layout1, true);
        if (m_wanted.size() > 2 && m_wanted[2])
            copyStates(m_dstIterC.data(),
                       ctx.output(2, DataType::Float32, stateShape).data<float>(), batch, layout1,
                       true);
    }

    std::string implementation() const override {
        if (m_gruLoopRan)
            return std::string("gru_loop:avx512:") + m_gruLoop->lastSplit();
        return m_loopRan ? std::string("lstm_loop:avx512:") + m_loop->lastSplit()
               : m_pd    ? m_pd.impl_info_str()
                         : std::string();
    }

private:
    // Our LSTM loop (lstm_loop.h): Y straight into ONNX's layout, the states as oneDNN's path.
    void runLoop(runtime::KernelContext& ctx, const Tensor& x, int64_t seq, int64_t batch) {
        const bool layout1 = m_attrs.layout == 1;
        const int64_t dirs = m_attrs.directions, hs = m_hidden;
        const memory xPlain = m_xConverter.convert(x, plainDesc(x.shape()));
        float* y = m_wanted[0] ? ctx.output(0, DataType::Float32,
                                            layout1 ? Shape{batch, seq, dirs, hs}
                                                    : Shape{seq, dirs, batch, hs})
                                     .data<float>()
                               : nullptr;
        const float* xData = static_cast<const float*>(xPlain.get_data_handle());
        const float* h0 = ctx.input(kInitialH) ? m_srcIter.data() : nullptr;
        if (m_gruLoopRan)
            m_gruLoop->run(xData, seq, batch, layout1, h0, y, m_dstIter.data(), ctx.threads());
        else
            m_loop->run(xData, seq, batch, layout1, h0,
                        ctx.input(kInitialC) ? m_srcIterC.data() : nullptr, y, m_dstIter.data(),
                        m_dstIterC.data(), ctx.threads());
        const Shape stateShape = layout1 ? Shape{batch, dirs, hs} : Shape{dirs, batch, hs};
        if (m_wanted[1])
            copyStates(m_dstIter.data(), ctx.output(1, DataType::Float32, stateShape).data<float>(),
                       batch, layout1, true);
        if (m_wanted.size() > 2 && m_wanted[2])
            copyStates(m_dstIterC.data(),
                       ctx.output(2, DataType::Float32, stateShape).data<float>(), batch, layout1,
                       true);
    }

    std::vector<float> permuteGates(const float* onnx, int64_t cols) const {
        const int64_t dirs = m_attrs.directions, gates = m_attrs.gates(), hs = m_hidden;
        std::vector<float> out(static_cast<size_t>(dirs * gates * hs * cols));
        for (int64_t d = 0; d < dirs; ++d)
            for (int64_t g = 0; g < gates; ++g)
                std::memcpy(&out[static_cast<size_t>((d * gates + g) * hs * cols)],
                            onnx + (d * gates + onnxGate(m_attrs.cell, g)) * hs * cols,
                            static_cast<size_t>(hs * cols) * sizeof(float));
        return out;
    }

    // [D, N, H] <-> ONNX's state layout ([D, N, H] for layout 0, [N, D, H] for layout 1).
    void copyStates(const float* from, float* to, int64_t batch, bool layout1, bool toOnnx) const {
        const int64_t dirs = m_attrs.directions, hs = m_hidden;
        for (int64_t d = 0; d < dirs; ++d)
            for (int64_t b = 0; b < batch; ++b) {
                const int64_t ours = (d * batch + b) * hs;
                const int64_t onnx = (layout1 ? b * dirs + d : d * batch + b) * hs;
                std::memcpy(to + (toOnnx ? onnx : ours), from + (toOnnx ? ours : onnx),
                            static_cast<size_t>(hs) * sizeof(float));
            }
    }

    void build(int64_t seq, int64_t batch) {
        const int64_t dirs = m_attrs.directions, gates = m_attrs.gates(), hs = m_hidden;
        const bool lbr = m_attrs.linearBeforeReset;
        const auto f32 = memory::data_type::f32;
        const tag seqTag = m_attrs.layout == 1 ? tag::ntc : tag::tnc;
        const memory::desc src({seq, batch, m_input}, f32, seqTag);
        const memory::desc dst({seq, batch, dirs * hs}, f32, seqTag);
        const memory::desc iter({1, dirs, batch, hs}, f32, tag::ldnc);
        // Plain ldigo weights, not `any`: with `any` oneDNN 2.6 picks its brgemm LSTM, which took
        // 2.1 ms for one hidden-256, 64-step layer at batch 1 on this machine's AVX-512 Xeon,
        // against 0.7 ms for the gemm-based implementation ldigo selects (batch 8: 8.0 vs 2.9 ms;
        // GRU gets the gemm one either way).
        const memory::desc wl({1, dirs, m_input, gates, hs}, f32, tag::ldigo);
        const memory::desc wi({1, dirs, hs, gates, hs}, f32, tag::ldigo);
        m_biasDesc = memory::desc({1, dirs, gates + (lbr ? 1 : 0), hs}, f32, tag::ldgo);
        const auto prop = dnnl::prop_kind::forward_inference;
        const auto dir = dirs == 2         ? dnnl::rnn_direction::bidirectional_concat
                         : m_attrs.reverse ? dnnl::rnn_direction::unidirectional_right2left
                                           : dnnl::rnn_direction::unidirectional_left2right;
        dnnl::engine& eng = cpuEngine();
        switch (m_attrs.cell) {
        case RecurrentCell::Lstm: {
            const memory::desc peep = m_peephole.empty()
                                          ? memory::desc()
                                          : memory::desc({1, dirs, 3, hs}, f32, tag::ldgo);
            m_pd = dnnl::lstm_forward::primitive_desc(
                dnnl::lstm_forward::desc(prop, dir, src, iter, iter, wl, wi, peep, m_biasDesc, dst,
                                         iter, iter),
                eng);
            break;
        }
        case RecurrentCell::Gru:
            if (lbr) {
                m_pd = dnnl::lbr_gru_forward::primitive_desc(
                    dnnl::lbr_gru_forward::desc(prop, dir, src, iter, wl, wi, m_biasDesc, dst,
                                                iter),
                    eng);
            } else {
                m_pd = dnnl::gru_forward::primitive_desc(
                    dnnl::gru_forward::desc(prop, dir, src, iter, wl, wi, m_biasDesc, dst, iter),
                    eng);
            }
            break;
        case RecurrentCell::Rnn: {
            const auto act = *rnnActivation(m_attrs); // claimRecurrent checked it
            m_pd = dnnl::vanilla_rnn_forward::primitive_desc(
                dnnl::vanilla_rnn_forward::desc(prop, act.first, dir, src, iter, wl, wi, m_biasDesc,
                                                dst, iter, dnnl::rnn_flags::undef, act.second),
                eng);
            break;
        }
        }
        m_prim = dnnl::primitive(m_pd);
        packWeights(m_packedW, m_pd.query_md(dnnl::query::exec_arg_md, DNNL_ARG_WEIGHTS_LAYER),
                    memory::desc({1, dirs, m_input, gates, hs}, f32, tag::ldgoi), m_w.data());
        packWeights(m_packedR, m_pd.query_md(dnnl::query::exec_arg_md, DNNL_ARG_WEIGHTS_ITER),
                    memory::desc({1, dirs, hs, gates, hs}, f32, tag::ldgoi), m_r.data());
        m_seq = seq;
        m_batch = batch;
    }

    RecurrentAttrs m_attrs;
    int64_t m_hidden, m_input;
    std::vector<bool> m_wanted; // Y, Y_h (, Y_c)
    std::vector<float> m_w, m_r, m_bias, m_peephole;
    int64_t m_seq = -1, m_batch = -1;
    dnnl::primitive_desc m_pd;
    dnnl::primitive m_prim;
    memory::desc m_biasDesc;
    memory m_packedW, m_packedR;
    std::vector<float> m_srcIter, m_srcIterC, m_dstIter, m_dstIterC;
    Buffer m_scratch;
    std::unique_ptr<LstmLoop> m_loop;
    bool m_loopRan = false; // the last run used m_loop
    std::unique_ptr<GruLoop> m_gruLoop;
    bool m_gruLoopRan = false; // the last run used m_gruLoop
    InputConverter m_xConverter, m_hConverter, m_cConverter;
};

} // namespace

KernelPtr makeRecurrent(const KernelInfo& info) {
    const NodeAttrs a(info.graph, info.node);
    RecurrentAttrs attrs = ops::parseRecurrentAttrs(a);
    const bool lstm = attrs.cell == RecurrentCell::Lstm;
    a.expectInputs(3, lstm ? 8 : 6);
    const Tensor* w = info.constantInput(kW);
    const Tensor* r = info.constantInput(kR);
    const Tensor* b = info.hasInput(kB) ? info.constantInput(kB) : nullptr;
    const Tensor* p = info.hasInput(kP) ? info.constantInput(kP) : nullptr;
    const int64_t gates = attrs.gates();
    if (w->rank() != 3 || w->shape()[0] != attrs.directions || w->shape()[1] % gates != 0)
        a.fail("W should be [", attrs.directions, ", ", gates, "*hidden_size, input_size], got ",
               shapeToString(w->shape()));
    const int64_t hidden = attrs.hiddenSize > 0 ? attrs.hiddenSize : w->shape()[1] / gates;
    const int64_t input = w->shape()[2];
    const Shape wantW{attrs.directions, gates * hidden, input},
        wantR{attrs.directions, gates * hidden, hidden},
        wantB{attrs.directions, 2 * gates * hidden}, wantP{attrs.directions, 3 * hidden};
    if (w->shape() != wantW || r->shape() != wantR || (b && b->shape() != wantB) ||
        (p && p->shape() != wantP))
        a.fail("W, R, B and P should be ", shapeToString(wantW), ", ", shapeToString(wantR), ", ",
               shapeToString(wantB), " and ", shapeToString(wantP), ", got ",
               shapeToString(w->shape()), ", ", shapeToString(r->shape()),
               b ? ", " + shapeToString(b->shape()) : std::string(),
               p ? ", " + shapeToString(p->shape()) : std::string());
    std::vector<bool> wanted(lstm ? 3 : 2, false);
    for (size_t o = 0; o < info.node.outputs.size() && o < wanted.size(); ++o)
        wanted[o] = info.node.outputs[o] != ir::kNoValue;
    return std::make_unique<RnnKernel>(std::move(attrs), hidden, input, std::move(wanted), *w, *r,
                                       b, p);
}

Claim claimRecurrent(const KernelInfo& info) {
    const NodeAttrs a(info.graph, info.node);
    const RecurrentAttrs attrs = ops::parseRecurrentAttrs(a);
    if (attrs.clip > 0.0f)
        return Claim::declined(Decline::Attribute, "clip (oneDNN's RNN cells do not clip)");
    if (attrs.inputForget)
        return Claim::declined(Decline::Attribute, "input_forget (oneDNN's LSTM has no coupled "
                                                   "input and forget gates)");
    if (attrs.cell == RecurrentCell::Rnn ? !rnnActivation(attrs) : !attrs.defaultActivations())
        return Claim::declined(Decline::Attribute,
                               attrs.cell == RecurrentCell::Rnn
                                   ? "activations other than Tanh, Relu, LeakyRelu or Sigmoid "
                                     "(one function for both directions)"
                                   : "activations other than the default ones");
    for (size_t i : {size_t(kW), size_t(kR), size_t(kB), size_t(kP)})
        if (info.hasInput(i) && !info.constantInput(i))
            return Claim::declined(Decline::Input,
                                   i == kW   ? "W"
                                   : i == kR ? "R"
                                   : i == kB ? "B"
                                             : "P",
                                   " is not a constant initializer");
    if (info.hasInput(kSequenceLens)) {
        // Only a constant that says every sequence is whole: oneDNN has no per-sequence lengths.
        const Tensor* lens = info.constantInput(kSequenceLens);
        const auto x = staticShape(info.graph, info.node.inputs[kX]);
        bool whole = lens && x && x->size() == 3;
        const int64_t seq = whole ? (*x)[attrs.layout == 1 ? 1 : 0] : 0;
        for (int64_t i = 0; whole && i < lens->numel(); ++i)
            whole = static_cast<int64_t>(lens->valueAsDouble(i)) == seq;
        if (!whole)
            return Claim::declined(Decline::Input,
                                   "sequence_lens (oneDNN's RNN primitives run every sequence "
                                   "to the full length)");
    }
    return Claim::claimed();
}

} // namespace lb::backends::onednn
