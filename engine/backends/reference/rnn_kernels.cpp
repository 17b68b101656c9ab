// RNN, GRU and LSTM as the ONNX spec writes them: every direction, sequence_lens, initial states,
// peepholes, both layouts, linear_before_reset, clip, input_forget and the spec's activation
// functions (ops/recurrent_attrs.h). Per direction, X*W^T for every step is one gemm; each step
// then multiplies the hidden state by R^T and applies the gates row by row.
#include "backends/reference/gemm.h"
#include "backends/reference/kernel_util.h"
#include "backends/reference/kernels.h"
#include "ops/recurrent_attrs.h"

#include <algorithm>
#include <cstring>

namespace lb::backends::reference {

namespace {

using ops::RecurrentActivation;
using ops::RecurrentAttrs;
using ops::RecurrentCell;

enum Input { kX, kW, kR, kB, kSequenceLens, kInitialH, kInitialC, kP };

// The sizes of one run, checked against every input.
struct Dims {
    int64_t seq = 0, batch = 0, input = 0, hidden = 0, directions = 1, gates = 1;
};

void expectShape(const Tensor& t, const Shape& want, const char* what) {
    if (t.dtype() != DataType::Float32)
        fail(what, " should be float32, got ", dtypeName(t.dtype()));
    if (t.shape() != want)
        fail(what, " should have shape ", shapeToString(want), ", got ", shapeToString(t.shape()));
}

// A [directions, batch, hidden] state (layout 0) or [batch, directions, hidden] (layout 1) as
// [directions][batch][hidden]; zeros when absent.
std::vector<float> readState(const Tensor* t, const Dims& d, int64_t layout, const char* what) {
    std::vector<float> s(static_cast<size_t>(d.directions * d.batch * d.hidden), 0.0f);
    if (!t)
        return s;
    expectShape(*t,
                layout == 0 ? Shape{d.directions, d.batch, d.hidden}
                            : Shape{d.batch, d.directions, d.hidden},
                what);
    const float* p = t->data<float>();
    for (int64_t dir = 0; dir < d.directions; ++dir)
        for (int64_t b = 0; b < d.batch; ++b)
            std::memcpy(&s[static_cast<size_t>((dir * d.batch + b) * d.hidden)],
                        p + (layout == 0 ? dir * d.batch + b : b * d.directions + dir) * d.hidden,
                        static_cast<size_t>(d.hidden) * sizeof(float));
    return s;
}

class RecurrentKernel : public Kernel {
public:
    RecurrentKernel(RecurrentAttrs attrs, std::vector<bool> wanted)
        : m_attrs(std::move(attrs)), m_wanted(std::move(wanted)) {}

    void run(KernelContext& ctx) override {
        const Dims d = dims(ctx);
        const RecurrentAttrs& a = m_attrs;
        const int64_t gh = d.gates * d.hidden;
        // X as [seq][batch][input].
        std::vector<float> x(static_cast<size_t>(d.seq * d.batch * d.input));
        const float* px = ctx.in(kX).data<float>();
        for (int64_t t = 0; t < d.seq; ++t)
            for (int64_t b = 0; b < d.batch; ++b)
                std::memcpy(&x[static_cast<size_t>((t * d.batch + b) * d.input)],
                            px + (a.layout == 0 ? t * d.batch + b : b * d.seq + t) * d.input,
                            static_cast<size_t>(d.input) * sizeof(float));
        std::vector<int64_t> lens(static_cast<size_t>(d.batch), d.seq);
        if (const Tensor* sl = ctx.input(kSequenceLens)) {
            lens = toInt64s(*sl, "sequence_lens");
            if (static_cast<int64_t>(lens.size()) != d.batch)
                fail("sequence_lens should have ", d.batch, " values, got ", lens.size());
            for (int64_t len : lens)
                if (len < 0 || len > d.seq)
                    fail("sequence_lens value ", len, " is outside [0, ", d.seq, "]");
        }
        std::vector<float> h = readState(ctx.input(kInitialH), d, a.layout, "initial_h");
        std::vector<float> c = a.cell == RecurrentCell::Lstm
                                   ? readState(ctx.input(kInitialC), d, a.layout, "initial_c")
                                   : std::vector<float>();
        if (const Tensor* p = ctx.input(kP))
            expectShape(*p, {d.directions, 3 * d.hidden}, "P");
        if (const Tensor* bias = ctx.input(kB))
            expectShape(*bias, {d.directions, 2 * gh}, "B");

        // Y as [seq][directions][batch][hidden]; steps past a sequence's length stay zero.
        std::vector<float> y(static_cast<size_t>(d.seq * d.directions * d.batch * d.hidden), 0.0f);
        std::vector<float> xw(static_cast<size_t>(d.seq * d.batch * gh));
        std::vector<float> wt(static_cast<size_t>(d.input * gh)),
            rt(static_cast<size_t>(d.hidden * gh));
        std::vector<float> hr(static_cast<size_t>(d.batch * gh)),
            scratch(static_cast<size_t>(d.batch * d.hidden));
        for (int64_t dir = 0; dir < d.directions; ++dir) {
            const bool reverse = a.reverse || dir == 1;
            transpose2d(ctx.in(kW).data<float>() + dir * gh * d.input, gh, d.input, wt.data());
            transpose2d(ctx.in(kR).data<float>() + dir * gh * d.hidden, gh, d.hidden, rt.data());
            gemm(d.seq * d.batch, gh, d.input, x.data(), d.input, wt.data(), gh, xw.data(), gh,
                 false, ctx.threads());
            const float* wb = ctx.input(kB) ? ctx.input(kB)->data<float>() + dir * 2 * gh : nullptr;
            const float* rb = wb ? wb + gh : nullptr;
            const float* peep =
                ctx.input(kP) ? ctx.input(kP)->data<float>() + dir * 3 * d.hidden : nullptr;
            float* hd = &h[static_cast<size_t>(dir * d.batch * d.hidden)];
            float* cd = c.empty() ? nullptr : &c[static_cast<size_t>(dir * d.batch * d.hidden)];
            for (int64_t step = 0; step < d.seq; ++step) {
                Step s{d, dir, wb, rb, peep, hd, cd, hr.data(), scratch.data()};
                // Rows whose sequence has ended keep their state; their products go unused.
                gemm(d.batch, a.cell == RecurrentCell::Gru ? 2 * d.hidden : gh, d.hidden, hd,
                     d.hidden, rt.data(), gh, hr.data(), gh, false, ctx.threads());
                for (int64_t b = 0; b < d.batch; ++b) {
                    if (step >= lens[static_cast<size_t>(b)])
                        continue;
                    const int64_t t = reverse ? lens[static_cast<size_t>(b)] - 1 - step : step;
                    s.xw = &xw[static_cast<size_t>((t * d.batch + b) * gh)];
                    cellRow(s, b, rt.data());
                }
                for (int64_t b = 0; b < d.batch; ++b) {
                    if (step >= lens[static_cast<size_t>(b)])
                        continue;
                    const int64_t t = reverse ? lens[static_cast<size_t>(b)] - 1 - step : step;
                    std::memcpy(&y[static_cast<size_t>(((t * d.directions + dir) * d.batch + b) *
                                                       d.hidden)],
                                hd + b * d.hidden, static_cast<size_t>(d.hidden) * sizeof(float));
                }
            }
        }
        writeOutputs(ctx, d, y, h, c);
    }

private:
    struct Step {
        const Dims& d;
        int64_t dir;
        const float *wb, *rb, *peep;
        float *h, *c, *hr, *scratch;
        const float* xw = nullptr;
    };

    Dims dims(const KernelContext& ctx) const {
        const RecurrentAttrs& a = m_attrs;
        const Tensor &x = ctx.in(kX), &w = ctx.in(kW), &r = ctx.in(kR);
        if (x.dtype() != DataType::Float32 || x.rank() != 3)
            fail("X should be a 3-D float32 tensor, got ", dtypeName(x.dtype()), " ",
                 shapeToString(x.shape()));
        Dims d;
        d.seq = x.shape()[a.layout == 0 ? 0 : 1];
        d.batch = x.shape()[a.layout == 0 ? 1 : 0];
        d.input = x.shape()[2];
        d.directions = a.directions;
        d.gates = a.gates();
        if (w.rank() != 3 || w.shape()[1] % d.gates != 0)
            fail("W should be [num_directions, ", d.gates, "*hidden_size, input_size], got ",
                 shapeToString(w.shape()));
        d.hidden = a.hiddenSize > 0 ? a.hiddenSize : w.shape()[1] / d.gates;
        expectShape(w, {d.directions, d.gates * d.hidden, d.input}, "W");
        expectShape(r, {d.directions, d.gates * d.hidden, d.hidden}, "R");
        return d;
    }

    float clip(float v) const {
        return m_attrs.clip > 0.0f ? std::clamp(v, -m_attrs.clip, m_attrs.clip) : v;
    }

    // One batch row of one step: the gates from s.xw (X*W^T of this row's time step) and
    // s.hr (H*R^T), the new state written into s.h / s.c.
    void cellRow(const Step& s, int64_t b, const float* rt) const {
        const int64_t hs = s.d.hidden, gh = s.d.gates * hs;
        const float* xw = s.xw;
        const float* hrow = s.hr + b * gh;
        float* h = s.h + b * hs;
        auto bias = [&](int64_t j) { return (s.wb ? s.wb[j] : 0.0f) + (s.rb ? s.rb[j] : 0.0f); };
        switch (m_attrs.cell) {
        case RecurrentCell::Rnn: {
            const RecurrentActivation& f = m_attrs.activation(s.dir, 0);
            for (int64_t j = 0; j < hs; ++j)
                h[j] = f(clip(xw[j] + hrow[j] + bias(j)));
            break;
        }
        case RecurrentCell::Gru: {
            // Gates z, r, h. hrow holds H*R^T for z and r only; the h gate's product needs r.
            const RecurrentActivation& f = m_attrs.activation(s.dir, 0);
            const RecurrentActivation& g = m_attrs.activation(s.dir, 1);
            float* z = s.scratch + b * hs; // reused: z, then the new state
            std::vector<float> rgate(static_cast<size_t>(hs)), rh(static_cast<size_t>(hs), 0.0f);
            for (int64_t j = 0; j < hs; ++j) {
                z[j] = f(clip(xw[j] + hrow[j] + bias(j)));
                rgate[static_cast<size_t>(j)] = f(clip(xw[hs + j] + hrow[hs + j] + bias(hs + j)));
            }
            const float* rh0 = rt + 2 * hs; // columns of the h gate in R^T [hidden, 3*hidden]
            if (m_attrs.linearBeforeReset) {
                gemm(1, hs, hs, h, hs, rh0, gh, rh.data(), hs, false, 1);
                for (int64_t j = 0; j < hs; ++j) {
                    const float rbh = s.rb ? s.rb[2 * hs + j] : 0.0f;
                    const float wb = s.wb ? s.wb[2 * hs + j] : 0.0f;
                    rh[static_cast<size_t>(j)] = g(clip(
                        xw[2 * hs + j] +
                        rgate[static_cast<size_t>(j)] * (rh[static_cast<size_t>(j)] + rbh) + wb));
                }
            } else {
                std::vector<float> reset(static_cast<size_t>(hs));
                for (int64_t j = 0; j < hs; ++j)
                    reset[static_cast<size_t>(j)] = rgate[static_cast<size_t>(j)] * h[j];
                gemm(1, hs, hs, reset.data(), hs, rh0, gh, rh.data(), hs, false, 1);
                for (int64_t j = 0; j < hs; ++j)
                    rh[static_cast<size_t>(j)] =
                        g(clip(xw[2 * hs + j] + rh[static_cast<size_t>(j)] + bias(2 * hs + j)));
            }
            for (int64_t j = 0; j < hs; ++j)
                h[j] = (1.0f - z[j]) * rh[static_cast<size_t>(j)] + z[j] * h[j];
            break;
        }
        case RecurrentCell::Lstm: {
            // Gates i, o, f, c in W, R and B; P holds i, o, f.
            const RecurrentActivation& f = m_attrs.activation(s.dir, 0);
            const RecurrentActivation& g = m_attrs.activation(s.dir, 1);
            const RecurrentActivation& hAct = m_attrs.activation(s.dir, 2);
            float* c = s.c + b * hs;
            for (int64_t j = 0; j < hs; ++j) {
                auto pre = [&](int64_t gate) {
                    return xw[gate * hs + j] + hrow[gate * hs + j] + bias(gate * hs + j);
                };
                const float pi = s.peep ? s.peep[j] : 0.0f;
                const float po = s.peep ? s.peep[hs + j] : 0.0f;
                const float pf = s.peep ? s.peep[2 * hs + j] : 0.0f;
                const float i = f(clip(pre(0) + pi * c[j]));
                const float fg = m_attrs.inputForget ? 1.0f - i : f(clip(pre(2) + pf * c[j]));
                const float cand = g(clip(pre(3)));
                c[j] = fg * c[j] + i * cand;
                const float o = f(clip(pre(1) + po * c[j]));
                h[j] = o * hAct(c[j]);
            }
            break;
        }
        }
    }

    void writeOutputs(KernelContext& ctx, const Dims& d, const std::vector<float>& y,
                      const std::vector<float>& h, const std::vector<float>& c) const {
        const bool layout1 = m_attrs.layout == 1;
        const size_t rowBytes = static_cast<size_t>(d.hidden) * sizeof(float);
        if (m_wanted[0]) {
            Tensor& out = ctx.output(0, DataType::Float32,
                                     layout1 ? Shape{d.batch, d.seq, d.directions, d.hidden}
                                             : Shape{d.seq, d.directions, d.batch, d.hidden});
            for (int64_t t = 0; t < d.seq; ++t)
                for (int64_t dir = 0; dir < d.directions; ++dir)
                    for (int64_t b = 0; b < d.batch; ++b) {
                        const int64_t to = layout1 ? (b * d.seq + t) * d.directions + dir
                                                   : (t * d.directions + dir) * d.batch + b;
                        std::memcpy(out.data<float>() + to * d.hidden,
                                    &y[static_cast<size_t>(
                                        ((t * d.directions + dir) * d.batch + b) * d.hidden)],
                                    rowBytes);
                    }
        }
        const std::vector<float>* states[] = {&h, &c};
        for (size_t o = 1; o < m_wanted.size(); ++o) {
            if (!m_wanted[o])
                continue;
            const std::vector<float>& s = *states[o - 1];
            Tensor& out = ctx.output(o, DataType::Float32,
                                     layout1 ? Shape{d.batch, d.directions, d.hidden}
                                             : Shape{d.directions, d.batch, d.hidden});
            for (int64_t dir = 0; dir < d.directions; ++dir)
                for (int64_t b = 0; b < d.batch; ++b)
                    std::memcpy(out.data<float>() +
                                    (layout1 ? b * d.directions + dir : dir * d.batch + b) *
                                        d.hidden,
                                &s[static_cast<size_t>((dir * d.batch + b) * d.hidden)], rowBytes);
        }
    }

    RecurrentAttrs m_attrs;
    std::vector<bool> m_wanted; // Y, Y_h (, Y_c)
};

} // namespace

std::unique_ptr<Kernel> makeRecurrent(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    RecurrentAttrs attrs = ops::parseRecurrentAttrs(a);
    const bool lstm = attrs.cell == RecurrentCell::Lstm;
    a.expectInputs(3, lstm ? 8 : 6);
    const size_t maxOutputs = lstm ? 3 : 2;
    if (info.node.outputs.size() > maxOutputs)
        a.fail("expected at most ", maxOutputs, " outputs, got ", info.node.outputs.size());
    std::vector<bool> wanted(maxOutputs, false);
    for (size_t o = 0; o < info.node.outputs.size(); ++o)
        wanted[o] = info.node.outputs[o] != ir::kNoValue;
    return std::make_unique<RecurrentKernel>(std::move(attrs), std::move(wanted));
}

} // namespace lb::backends::reference
