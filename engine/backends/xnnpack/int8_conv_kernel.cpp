// QConv (ops/int8_ops.h) through xnn_create_convolution2d_nhwc_qc8: signed bytes (the private
// layout's q - 128, so the zero points move by 128), s8 weights with one scale per output channel,
// an int32 bias, and XNNPACK's fp32 requantization: float(acc + bias_q) * (x_scale * w_scale[c] /
// y_scale), rounded half to even, plus the output zero point, clamped.
//
// Where that is not the spec's arithmetic (the measured bound is asserted in
// tests/engine/xnnpack_int8_test.cpp):
//  - the bias is an integer in accumulator units, round(B[c] / (x_scale * w_scale[c])), where the
//    spec adds the real B[c]: the quotient v / y_scale moves by at most
//    0.5 * x_scale * w_scale[c] / y_scale;
//  - the scale product and the quotient are float32 multiplications, not a double sum and a
//    float32 division (a relative error of a few float32 ulps).
// Both only decide a byte where the quotient lies that close to a rounding tie, so a byte
// differs from the reference's by at most one step, and only there.
//
// Claimed: 2-D, any group, activation none, Relu or Clip (quantize is increasing, so clamping
// the bytes to quantize(bound) is the spec's clamp of v exactly); declined: a residual Z, an
// output_affine, any other activation, scales XNNPACK refuses (not normal, or a requantization
// scale >= 256) and a bias beyond int32 in accumulator units.
#include "backends/xnnpack/kernels.h"
#include "backends/xnnpack/xnn_util.h"
#include "core/error.h"
#include "ops/fused_ops.h"
#include "ops/node_attrs.h"
#include "ops/window.h"

#include <cmath>
#include <limits>

namespace lb::backends::xnnpack {

namespace {

// What QConv's attributes ask of XNNPACK, checked; `error` says what is out of reach.
struct QConvParams {
    float xScale = 0, yScale = 0;
    int64_t xOffset = 0, yOffset = 0;
    std::vector<float> wScales; // one per output channel
    std::vector<int32_t> bias;  // in accumulator units
    int8_t outMin = -128, outMax = 127;
    std::string error;
    Decline code = Decline::Attribute;
};

int64_t quantizeByte(float v, float scale, int64_t offset) {
    const float r = v / scale;
    if (std::isnan(r))
        return 0;
    const double q = std::nearbyint(r) - static_cast<double>(offset);
    return static_cast<int64_t>(std::clamp(q, 0.0, 255.0));
}

QConvParams qconvParams(const KernelInfo& info, int64_t m) {
    const ops::NodeAttrs a(info.graph, info.node);
    QConvParams p;
    const auto bad = [&](Decline code, auto&&... parts) {
        p.error = detail::concat(parts...);
        p.code = code;
        return p;
    };
    p.xScale = a.getFloat("x_scale", 0.0f);
    p.yScale = a.getFloat("y_scale", 0.0f);
    p.xOffset = a.getInt("x_offset", 0);
    p.yOffset = a.getInt("y_offset", 0);
    const std::vector<float> ws = a.getFloats("w_scales");
    if (!std::isnormal(p.xScale) || !std::isnormal(p.yScale) || p.xScale < 0 || p.yScale < 0)
        return bad(Decline::Attribute, "x_scale ", p.xScale, " or y_scale ", p.yScale,
                   " is not a normal float > 0 (XNNPACK needs one)");
    if (p.xOffset < -255 || p.xOffset > 0 || p.yOffset < -255 || p.yOffset > 0)
        return bad(Decline::Attribute, "x_offset ", p.xOffset, " or y_offset ", p.yOffset,
                   " is outside [-255, 0]");
    if (ws.size() != 1 && ws.size() != size_t(m))
        return bad(Decline::Attribute, ws.size(), " w_scales for ", m, " output channels");
    for (int64_t c = 0; c < m; ++c) {
        const float s = ws[ws.size() == 1 ? 0 : size_t(c)];
        if (!std::isnormal(s) || s < 0)
            return bad(Decline::Attribute, "w_scales[", c, "] = ", s,
                       " is not a normal float > 0 (XNNPACK needs one)");
        // XNNPACK's own check, in its float32 arithmetic.
        if (p.xScale * s / p.yScale >= 256.0f)
            return bad(Decline::Attribute, "requantization scale x_scale * w_scale / y_scale = ",
                       p.xScale * s / p.yScale, " for channel ", c,
                       " (XNNPACK takes less than 256)");
        p.wScales.push_back(s);
    }
    p.bias.assign(size_t(m), 0);
    if (info.hasInput(2)) {
        const Tensor* b = info.constantInput(2);
        if (!b || b->dtype() != DataType::Float32 || b->numel() != m)
            return bad(Decline::Input, "bias B is not a constant float32 tensor of ", m, " values");
        for (int64_t c = 0; c < m; ++c) {
            const double q = std::nearbyint(double(b->data<float>()[c]) /
                                            (double(p.xScale) * double(p.wScales[size_t(c)])));
            if (!(std::abs(q) < 2147483647.0))
                return bad(Decline::Attribute, "bias B[", c, "] is ", q,
                           " in accumulator units (XNNPACK's bias is int32)");
            p.bias[size_t(c)] = static_cast<int32_t>(q);
        }
    }
    const ops::Activation act = ops::fusedActivation(info.node);
    const auto bounds = clampBounds(act);
    if (!bounds)
        return bad(Decline::Attribute, "activation ", act.name(),
                   ": XNNPACK's int8 convolution fuses only a clamp (Relu, Clip)");
    if (info.node.attribute("output_affine"))
        return bad(Decline::Attribute,
                   "output_affine: XNNPACK's int8 convolution fuses no affine step");
    int64_t lo = 0, hi = 255;
    if (std::isfinite(bounds->first))
        lo = quantizeByte(bounds->first, p.yScale, p.yOffset);
    if (std::isfinite(bounds->second))
        hi = quantizeByte(bounds->second, p.yScale, p.yOffset);
    if (!(lo < hi))
        return bad(Decline::Attribute, "the clamp [", bounds->first, ", ", bounds->second,
                   "] quantizes to one byte (XNNPACK needs output_min < output_max)");
    p.outMin = static_cast<int8_t>(lo - 128);
    p.outMax = static_cast<int8_t>(hi - 128);
    return p;
}

class QConvKernel : public runtime::Kernel {
public:
    explicit QConvKernel(const KernelInfo& info) : m_attrs(info.graph, info.node) {
        const ops::NodeAttrs& a = m_attrs;
        a.expectInputs(2, 3);
        const Tensor* w = info.constantInput(1);
        if (!w || w->dtype() != DataType::Int8 || w->rank() != 4)
            a.fail("expected constant int8 4-D weights");
        m_group = a.getInt("group", 1);
        m_m = w->shape()[0];
        if (m_group < 1 || m_m % m_group != 0)
            a.fail("group ", m_group, " does not divide the ", m_m, " output channels");
        const int64_t cg = w->shape()[1];
        m_c = cg * m_group;
        m_kernel = {w->shape()[2], w->shape()[3]};
        m_window = ops::parseWindowAttrs(info.node);
        if (m_window.rank() != 0 && m_window.rank() != 2)
            a.fail("expected 2-D window attributes");
        m_params = qconvParams(info, m_m);
        if (!m_params.error.empty())
            a.fail(m_params.error);
        // [M, C/g, kh, kw] -> [M, kh, kw, C/g], as XNNPACK wants per group.
        const int64_t khw = m_kernel[0] * m_kernel[1];
        m_weights.resize(static_cast<size_t>(w->numel()));
        const int8_t* src = w->data<int8_t>();
        for (int64_t o = 0; o < m_m; ++o)
            for (int64_t c = 0; c < cg; ++c)
                for (int64_t p = 0; p < khw; ++p)
                    m_weights[static_cast<size_t>((o * khw + p) * cg + c)] =
                        src[(o * cg + c) * khw + p];
        m_stays = outputStays(info);
        ensureInitialized();
        if (const auto& s = info.inputValue(0).shape)
            if (const auto x = concreteShape(*s)) {
                if (x->size() != 4 || (*x)[1] != m_c)
                    a.fail("expected input X of shape Nx", m_c, "xHxW, got ", shapeToString(*x));
                prepare(*x);
            }
    }

    void run(runtime::KernelContext& ctx) override {
        const Tensor& x = ctx.in(0);
        if (x.dtype() != DataType::UInt8 || x.rank() != 4 || x.shape()[1] != m_c)
            m_attrs.fail("expected uint8 input X of shape Nx", m_c, "xHxW, got ",
                         dtypeName(x.dtype()), " ", shapeToString(x.shape()));
        pthreadpool_t pool = threadPool(ctx.threads());
        if (x.shape() != m_builtFor)
            prepare(x.shape());
        const int8_t* in = signedNhwc(x, m_in);
        Tensor& y = outputTensor(ctx, 0, m_outShape, m_stays, DataType::UInt8);
        int8_t* out = signedNhwcTarget(y, m_out);
        if (in != m_setupIn || out != m_setupOut || pool != m_setupPool) {
            const Shape& xs = x.shape();
            check(xnn_setup_convolution2d_nhwc_qc8(m_op.get(), static_cast<size_t>(xs[0]),
                                                   static_cast<size_t>(xs[2]),
                                                   static_cast<size_t>(xs[3]), in, out, pool),
                  "xnn_setup_convolution2d_nhwc_qc8");
            m_setupIn = in;
            m_setupOut = out;
            m_setupPool = pool;
        }
        check(xnn_run_operator(m_op.get(), pool), "xnn_run_operator (int8 convolution)");
        finishSignedNhwc(y, m_out);
    }

private:
    void prepare(const Shape& x) {
        int64_t padBegin[2], padEnd[2], out[2], strides[2], dilations[2];
        for (size_t i = 0; i < 2; ++i) {
            const ops::WindowAxis axis = ops::windowAxis(m_window, i, 2, x[2 + i], m_kernel[i]);
            padBegin[i] = axis.padBegin;
            padEnd[i] = axis.padEnd;
            out[i] = axis.out;
            strides[i] = axis.stride;
            dilations[i] = axis.dilation;
        }
        const std::vector<int64_t> pads{padBegin[0], padBegin[1], padEnd[0], padEnd[1]};
        if (!m_op || pads != m_pads) {
            const QConvParams& p = m_params;
            xnn_operator_t op = nullptr;
            // A padding tap reads the input zero point, a real 0, as the spec says.
            check(xnn_create_convolution2d_nhwc_qc8(
                      static_cast<uint32_t>(padBegin[0]), static_cast<uint32_t>(padEnd[1]),
                      static_cast<uint32_t>(padEnd[0]), static_cast<uint32_t>(padBegin[1]),
                      static_cast<uint32_t>(m_kernel[0]), static_cast<uint32_t>(m_kernel[1]),
                      static_cast<uint32_t>(strides[0]), static_cast<uint32_t>(strides[1]),
                      static_cast<uint32_t>(dilations[0]), static_cast<uint32_t>(dilations[1]),
                      static_cast<uint32_t>(m_group), static_cast<size_t>(m_c / m_group),
                      static_cast<size_t>(m_m / m_group), static_cast<size_t>(m_c),
                      static_cast<size_t>(m_m), static_cast<int8_t>(-p.xOffset - 128), p.xScale,
                      p.wScales.data(), m_weights.data(), p.bias.data(),
                      static_cast<int8_t>(-p.yOffset - 128), p.yScale, p.outMin, p.outMax, 0, &op),
                  "xnn_create_convolution2d_nhwc_qc8");
            m_op.reset(op);
            m_pads = pads;
        }
        m_outShape = {x[0], m_m, out[0], out[1]};
        m_setupIn = nullptr; // set up again at the next run
        m_builtFor = x;
    }

    ops::NodeAttrs m_attrs;
    int64_t m_group = 1, m_m = 0, m_c = 0;
    std::vector<int64_t> m_kernel, m_pads;
    ops::WindowAttrs m_window;
    QConvParams m_params;
    std::vector<int8_t> m_weights, m_in, m_out;
    Operator m_op;
    Shape m_builtFor, m_outShape;
    bool m_stays = false;
    const int8_t* m_setupIn = nullptr;
    int8_t* m_setupOut = nullptr;
    pthreadpool_t m_setupPool = nullptr;
};

} // namespace

KernelPtr makeQConv(const KernelInfo& info) {
    return std::make_unique<QConvKernel>(info);
}

Claim claimQConv(const KernelInfo& info) {
    if (info.inputCount() < 2 || !info.hasInput(1))
        return Claim::claimed(); // invalid: the factory says what is missing
    if (info.hasInput(3))
        return Claim::declined(Decline::Attribute,
                               "a residual Z: XNNPACK's int8 convolution fuses no sum");
    const Tensor* w = info.constantInput(1);
    if (!w || w->dtype() != DataType::Int8)
        return Claim::declined(Decline::Input, "weights W are not a constant int8 initializer");
    if (w->rank() != 4)
        return Claim::declined(Decline::Shape, w->rank() - 2, "-D convolution (W ",
                               shapeToString(w->shape()), "); the XNNPACK backend runs 2-D ones");
    const QConvParams p = qconvParams(info, w->shape()[0]);
    if (!p.error.empty())
        return Claim::declined(p.code, p.error);
    return Claim::claimed();
}

} // namespace lb::backends::xnnpack
