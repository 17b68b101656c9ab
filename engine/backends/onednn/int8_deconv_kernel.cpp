// QConvTranspose (ops/int8_ops.h) as oneDNN's int8 deconvolution (jit_deconvolution:
// avx512_core_vnni here), set up as QConv sets up its convolution: u8 activations with a runtime
// zero point, s8 weights pre-packed once, per-channel output scales s_x * s_w[c] that bring the
// s32 accumulator back to real units, the bias in accumulator units, and a last eltwise_linear
// (1 / s_y, -offset_y) whose u8 saturation quantizes the result. ONNX's W is (C_in, C_out / group,
// kH, kW), oneDNN's iohw (giohw with groups). Explicit pads and output_padding only (the rewrite
// declines auto_pad and output_shape). Source and destination are NHWC, the layout the other int8
// kernels read and write. Stride == kernel goes to int8_deconv_patch_kernel.cpp instead: oneDNN
// pads C_out to a 16-channel block (det's 24 -> 1 layer took 1.6 ms here, 0.5 ms there).
#include "backends/onednn/int8_layout.h"
#include "backends/onednn/kernels.h"
#include "backends/onednn/op_attrs.h"

namespace lb::backends::onednn {

namespace {

using dnnl::deconvolution_forward;
using tag = memory::format_tag;
using dt = memory::data_type;

class QDeconvKernel : public runtime::Kernel {
public:
    explicit QDeconvKernel(const runtime::KernelInfo& info) : m_attrs(info.graph, info.node) {
        const NodeAttrs& a = m_attrs;
        if (info.inputCount() < 2 || info.inputCount() > 3)
            a.fail("expected X, W and optional B, got ", info.inputCount(), " inputs");
        const Tensor* w = info.graph.initializer(info.node.inputs[1]);
        if (!w || w->dtype() != DataType::Int8 || w->rank() != 4)
            a.fail("expected constant int8 4-D weights");
        m_weights = *w;
        m_group = a.getInt("group", 1);
        m_channels = w->shape()[0];
        if (m_group < 1 || m_channels % m_group != 0)
            a.fail("group ", m_group, " does not divide the ", m_channels, " input channels");
        const int64_t m = w->shape()[1] * m_group;
        m_window = parseWindow(a, 2);
        m_outputPadding = a.getInts("output_padding"); // no auto_pad, output_shape: claimQDeconv
        if (!m_outputPadding.empty() && m_outputPadding.size() != 2)
            a.fail("output_padding should have 2 values");
        const QuantizedConvAttrs q = parseQuantizedConv(a, info, m);
        m_scales = q.scales;
        m_bias = q.bias;
        m_steps = q.steps(a); // ConvTranspose fuses no activation: the quantizing step
        m_zeroPoint = q.zeroPoint();
        m_stays = !info.outputStaysInBackend.empty() && info.outputStaysInBackend[0];
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
        memory zp(memory::desc({1}, dt::s32, tag::x), cpuEngine(), &m_zeroPoint);
        m_prim.execute(s, {{DNNL_ARG_SRC, src},
                           {DNNL_ARG_WEIGHTS, m_packed},
                           {DNNL_ARG_BIAS, m_biasMem},
                           {DNNL_ARG_DST, dst},
                           {DNNL_ARG_ATTR_ZERO_POINTS | DNNL_ARG_SRC, zp}});
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
        const int64_t c = m_channels, m = m_weights.shape()[1] * m_group;
        const WindowGeometry geometry =
            deconvGeometry(m_attrs, m_window, m_outputPadding, {}, {x[2], x[3]},
                           {m_weights.shape()[2], m_weights.shape()[3]});
        m_outShape = {x[0], m, geometry.out[0], geometry.out[1]};
        const memory::dims strides(geometry.strides.begin(), geometry.strides.end()),
            padL(geometry.padL.begin(), geometry.padL.end()),
            padR(geometry.padR.begin(), geometry.padR.end());
        memory::dims dil;
        for (int64_t d : geometry.dilations)
            dil.push_back(d - 1);
        const int64_t kh = m_weights.shape()[2], kw = m_weights.shape()[3];
        memory::dims wLogical = {m, c, kh, kw}, wPlain = {m, c, kh, kw};
        tag wtag = tag::iohw;
        if (m_group > 1) {
            wLogical = {m_group, m / m_group, c / m_group, kh, kw};
            wPlain = wLogical;
            wtag = tag::giohw;
        }
        // NHWC in and out: what QConv and the table kernels produce and read.
        const memory::desc src(toDims(x), dt::u8, tag::nhwc),
            dst(toDims(m_outShape), dt::u8, tag::nhwc), wAny(wLogical, dt::s8, tag::any),
            biasDesc({m}, dt::f32, tag::x);
        dnnl::post_ops ops;
        appendSteps(ops, m_steps);
        dnnl::primitive_attr attr;
        attr.set_output_scales(1 << 1, m_scales);
        attr.set_zero_points(DNNL_ARG_SRC, 0, {DNNL_RUNTIME_S32_VAL});
        attr.set_post_ops(ops);
        try {
            const deconvolution_forward::desc desc(dnnl::prop_kind::forward_inference,
                                                   dnnl::algorithm::deconvolution_direct, src, wAny,
                                                   biasDesc, dst, strides, dil, padL, padR);
            m_pd = deconvolution_forward::primitive_desc(desc, attr, cpuEngine());
        } catch (const dnnl::error& e) {
            m_attrs.fail("oneDNN has no int8 deconvolution for input ", shapeToString(x), ": ",
                         e.what());
        }
        m_prim = deconvolution_forward(m_pd);
        packWeights(m_packed, m_pd.weights_desc(), memory::desc(wPlain, dt::s8, wtag),
                    m_weights.rawData());
        m_biasMem = memory(m_pd.bias_desc(), cpuEngine(), m_bias.data());
        m_builtFor = x;
    }

    NodeAttrs m_attrs;
    WindowAttrs m_window;
    std::vector<int64_t> m_outputPadding;
    Tensor m_weights;
    std::vector<float> m_bias, m_scales;
    std::vector<EltwiseStep> m_steps;
    int64_t m_group = 1, m_channels = 0;
    int32_t m_zeroPoint = 0;
    bool m_stays = false;
    Shape m_builtFor, m_outShape;
    deconvolution_forward::primitive_desc m_pd;
    deconvolution_forward m_prim;
    memory m_packed, m_biasMem;
    InputConverter m_src;
    OutputWriter m_out;
};

} // namespace

KernelPtr makeQDeconv(const KernelInfo& info) {
    if (auto patch = makeQPatchDeconv(info))
        return patch;
    return std::make_unique<QDeconvKernel>(info);
}

// The int8 deconvolution takes explicit pads only.
Claim claimQDeconv(const KernelInfo& info) {
    const NodeAttrs a(info.graph, info.node);
    if (a.getString("auto_pad", "NOTSET") != "NOTSET" || !a.getInts("output_shape").empty())
        return Claim::declined(
            Decline::Attribute,
            "auto_pad and output_shape have no int8 kernel (explicit pads only)");
    return Claim::claimed();
}

} // namespace lb::backends::onednn
