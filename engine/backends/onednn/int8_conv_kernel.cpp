// QConv (ops/int8_ops.h): oneDNN's int8 convolution, u8 activations with a runtime zero point,
// s8 weights pre-packed once, per-channel output scales s_x * s_w[c] that bring the s32
// accumulator back to real units, so the activation and output_affine post-ops are the float
// ones FusedConv uses; a last eltwise_linear (1 / s_y, -offset_y) and the u8 saturation quantize
// the result. oneDNN picks the VNNI kernel where the CPU has it.
#include "backends/onednn/int8_layout.h"
#include "backends/onednn/kernels.h"
#include "backends/onednn/op_attrs.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>

namespace lb::backends::onednn {

namespace {

using dnnl::convolution_forward;
using tag = memory::format_tag;
using dt = memory::data_type;

// The activation steps followed by the quantizing eltwise_linear (a, b), with every linear step
// moved in front of the clips that follow it (clip(lo, hi) then a*x + b equals a*x + b then
// clip(a*lo + b, a*hi + b) for a > 0) and consecutive linear steps merged. oneDNN 2.6's int8
// convolution gave wrong results for linear -> clip -> linear (HardSigmoid then quantize).
std::vector<EltwiseStep> quantizingSteps(std::vector<EltwiseStep> steps, float a, float b) {
    using dnnl::algorithm;
    steps.push_back({algorithm::eltwise_linear, a, b});
    for (size_t k = steps.size(); k-- > 1;)
        for (size_t j = k; j > 0 && steps[j].algorithm == algorithm::eltwise_linear &&
                           steps[j].alpha > 0 && steps[j - 1].algorithm == algorithm::eltwise_clip;
             --j) {
            EltwiseStep lin = steps[j], clip = steps[j - 1];
            clip.alpha = lin.alpha * clip.alpha + lin.beta;
            clip.beta = lin.alpha * clip.beta + lin.beta;
            steps[j - 1] = lin;
            steps[j] = clip;
        }
    std::vector<EltwiseStep> merged;
    for (const EltwiseStep& s : steps) {
        if (!merged.empty() && s.algorithm == algorithm::eltwise_linear &&
            merged.back().algorithm == algorithm::eltwise_linear) {
            EltwiseStep& m = merged.back();
            m = {algorithm::eltwise_linear, s.alpha * m.alpha, s.alpha * m.beta + s.beta};
            continue;
        }
        merged.push_back(s);
    }
    return merged;
}

} // namespace

std::vector<EltwiseStep> QuantizedConvAttrs::steps(const NodeAttrs& a) const {
    return quantizingSteps(fusedActivation(a), 1.0f / yScale, -static_cast<float>(yOffset));
}

QuantizedConvAttrs parseQuantizedConv(const NodeAttrs& a, const runtime::KernelInfo& info,
                                      int64_t m) {
    QuantizedConvAttrs q;
    q.xScale = a.getFloat("x_scale", 0.0f);
    q.yScale = a.getFloat("y_scale", 0.0f);
    q.xOffset = a.getInt("x_offset", 0);
    q.yOffset = a.getInt("y_offset", 0);
    const std::vector<float> ws = a.getFloats("w_scales");
    if (!(q.xScale > 0) || !(q.yScale > 0) || (ws.size() != 1 && ws.size() != size_t(m)))
        a.fail("expected x_scale > 0, y_scale > 0 and 1 or ", m, " w_scales");
    for (int64_t c = 0; c < m; ++c)
        q.scales.push_back(q.xScale * ws[ws.size() == 1 ? 0 : c]);
    q.bias.assign(m, 0.0f);
    q.realBias.assign(m, 0.0f);
    if (info.hasInput(2)) {
        const Tensor* b = info.graph.initializer(info.node.inputs[2]);
        if (!b || b->dtype() != DataType::Float32 || b->numel() != m)
            a.fail("expected a constant float32 bias of ", m, " values");
        for (int64_t c = 0; c < m; ++c) {
            q.realBias[c] = b->data<float>()[c];
            q.bias[c] = q.realBias[c] / q.scales[c];
        }
    }
    return q;
}

void checkQuantizedInput(const Tensor& x, int64_t channels) {
    if (x.dtype() != DataType::UInt8 || x.rank() != 4 || x.shape()[1] != channels)
        fail("expected uint8 input X of shape Nx", channels, "xHxW, got ", dtypeName(x.dtype()),
             " ", shapeToString(x.shape()));
}

namespace {

class QConvKernel : public runtime::Kernel {
public:
    explicit QConvKernel(const runtime::KernelInfo& info) : m_attrs(info.graph, info.node) {
        const NodeAttrs& a = m_attrs;
        if (info.inputCount() < 2 || info.inputCount() > 4)
            a.fail("expected X, W and optional B and Z, got ", info.inputCount(), " inputs");
        m_residual = info.hasInput(3);
        if (m_residual) {
            m_zScale = a.getFloat("z_scale", 0.0f);
            m_zOffset = a.getInt("z_offset", 0);
            if (!(m_zScale > 0))
                a.fail("expected z_scale > 0 with a residual input Z");
        }
        const Tensor* w = info.graph.initializer(info.node.inputs[1]);
        if (!w || w->dtype() != DataType::Int8 || w->rank() != 4)
            a.fail("expected constant int8 4-D weights");
        m_weights = *w;
        m_group = a.getInt("group", 1);
        const int64_t m = w->shape()[0];
        if (m_group < 1 || m % m_group != 0)
            a.fail("group ", m_group, " does not divide the ", m, " output channels");
        m_channels = w->shape()[1] * m_group;
        m_window = parseWindow(a, 2);
        m_kernel = {w->shape()[2], w->shape()[3]};
        const QuantizedConvAttrs q = parseQuantizedConv(a, info, m);
        m_scales = q.scales;
        m_bias = q.bias;
        m_xOffset = q.xOffset;
        // The bias with the zero point's constant share taken out (see build()).
        m_foldedBias = m_bias;
        const int64_t perChannel = m_weights.numel() / m;
        for (int64_t c = 0; c < m; ++c) {
            int64_t sum = 0;
            for (int64_t i = 0; i < perChannel; ++i)
                sum += m_weights.data<int8_t>()[c * perChannel + i];
            m_foldedBias[c] =
                static_cast<float>(double(m_bias[c]) - double(-m_xOffset) * double(sum));
        }
        m_steps = q.steps(a);
        m_stays = !info.outputStaysInBackend.empty() && info.outputStaysInBackend[0];
        m_zeroPoint = q.zeroPoint();
        const auto x = staticShape(info.graph, info.node.inputs[0]);
        if (x && (x->size() != 4 || (*x)[1] != m_channels))
            a.fail("expected input X of shape Nx", m_channels, "xHxW, got ", shapeToString(*x));
        if (x) {
            ThreadScope scope(info.threads);
            build(*x);
        }
    }

    void run(runtime::KernelContext& ctx) override {
        ThreadScope scope(ctx.threads());
        const Tensor& x = ctx.in(0);
        checkQuantizedInput(x, m_channels);
        if (x.shape() != m_builtFor)
            build(x.shape());
        dnnl::stream& s = cpuStream();
        memory src = m_src.convert(x, m_pd.src_desc());
        memory dst = m_out.prepare(ctx, 0, DataType::UInt8, m_outShape, m_pd.dst_desc(), m_stays);
        if (m_residual) {
            // The sum post-op adds z_scale * (dst - zero point) to the result: dst starts as Z.
            const Tensor& z = ctx.in(3);
            if (z.dtype() != DataType::UInt8 || z.shape() != m_outShape)
                fail("expected a uint8 residual Z of shape ", shapeToString(m_outShape), ", got ",
                     dtypeName(z.dtype()), " ", shapeToString(z.shape()));
            const memory zm = m_z.convert(z, m_pd.dst_desc());
            std::memcpy(dst.get_data_handle(), zm.get_data_handle(), m_pd.dst_desc().get_size());
        }
        memory zp(memory::desc({1}, dt::s32, tag::x), cpuEngine(), &m_zeroPoint);
        std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src},
                                             {DNNL_ARG_WEIGHTS, m_packed},
                                             {DNNL_ARG_BIAS, m_biasMem},
                                             {DNNL_ARG_DST, dst}};
        if (!m_foldZeroPoint)
            args[DNNL_ARG_ATTR_ZERO_POINTS | DNNL_ARG_SRC] = zp;
        m_prim.execute(s, args);
        m_out.finish();
        s.wait();
    }

    std::string implementation() const override {
        return m_builtFor.empty() ? std::string() : std::string(m_pd.impl_info_str());
    }

    size_t outputStorageBytes(size_t output) const override {
        if (output != 0 || !m_stays || m_builtFor.empty())
            return 0;
        const memory::desc d = m_pd.dst_desc();
        return d == plainDescOf(m_outShape, DataType::UInt8) ? 0 : d.get_size();
    }

private:
    void build(const Shape& x) {
        const WindowGeometry g = windowGeometry(m_window, {x[2], x[3]}, m_kernel);
        const int64_t m = m_weights.shape()[0];
        m_outShape = {x[0], m, g.out[0], g.out[1]};
        memory::dims wdims = toDims(m_weights.shape());
        tag wtag = tag::oihw;
        if (m_group > 1) {
            wdims = {m_group, m / m_group, m_weights.shape()[1], m_kernel[0], m_kernel[1]};
            wtag = tag::goihw;
        }
        const memory::desc srcAny(toDims(x), dt::u8, tag::any),
            dstAny(toDims(m_outShape), dt::u8, tag::any), wAny(wdims, dt::s8, tag::any),
            biasDesc({m}, dt::f32, tag::x);
        const memory::dims strides(g.strides.begin(), g.strides.end());
        memory::dims dil, padL(g.padL.begin(), g.padL.end()), padR(g.padR.begin(), g.padR.end());
        for (int64_t d : g.dilations)
            dil.push_back(d - 1);
        dnnl::post_ops ops;
        if (m_residual)
            ops.append_sum(m_zScale, static_cast<int32_t>(-m_zOffset), dt::undef);
        appendSteps(ops, m_steps);
        // Without padding every tap reads a real pixel, so the zero point's share of the sum,
        // z * sum(W[c]), is a constant of the bias and the primitive needs no zero point (which
        // lets oneDNN use its faster kernels: 7% on 1x1, 20% on depthwise).
        m_foldZeroPoint = std::all_of(g.padL.begin(), g.padL.end(), [](int64_t p) { return !p; }) &&
                          std::all_of(g.padR.begin(), g.padR.end(), [](int64_t p) { return !p; });
        dnnl::primitive_attr attr;
        attr.set_output_scales(1 << 1, m_scales);
        if (!m_foldZeroPoint)
            attr.set_zero_points(DNNL_ARG_SRC, 0, {DNNL_RUNTIME_S32_VAL});
        attr.set_post_ops(ops);
        try {
            const convolution_forward::desc desc(dnnl::prop_kind::forward_inference,
                                                 dnnl::algorithm::convolution_direct, srcAny, wAny,
                                                 biasDesc, dstAny, strides, dil, padL, padR);
            m_pd = convolution_forward::primitive_desc(desc, attr, cpuEngine());
        } catch (const dnnl::error& e) {
            m_attrs.fail("oneDNN has no int8 convolution for input ", shapeToString(x), ": ",
                         e.what());
        }
        m_prim = convolution_forward(m_pd);
        packWeights(m_packed, m_pd.weights_desc(), memory::desc(wdims, dt::s8, wtag),
                    m_weights.rawData());
        m_biasMem = memory(m_pd.bias_desc(), cpuEngine(),
                           m_foldZeroPoint ? m_foldedBias.data() : m_bias.data());
        m_builtFor = x;
    }

    NodeAttrs m_attrs;
    WindowAttrs m_window;
    std::vector<int64_t> m_kernel;
    Tensor m_weights;
    std::vector<float> m_bias, m_foldedBias, m_scales;
    bool m_foldZeroPoint = false;
    int64_t m_xOffset = 0, m_group = 1, m_channels = 0;
    int32_t m_zeroPoint = 0;
    bool m_stays = false;
    std::vector<EltwiseStep> m_steps;
    Shape m_builtFor, m_outShape;
    convolution_forward::primitive_desc m_pd;
    convolution_forward m_prim;
    memory m_packed, m_biasMem;
    InputConverter m_src, m_z;
    OutputWriter m_out;
    bool m_residual = false; // input 3: Z, added before the activation
    float m_zScale = 0;
    int64_t m_zOffset = 0;
};

} // namespace

KernelPtr makeQConv(const KernelInfo& info) {
    return std::make_unique<QConvKernel>(info);
}

} // namespace lb::backends::onednn
