// ConvTranspose (2-D) as oneDNN's deconvolution primitive with blocked formats chosen by oneDNN.
// ONNX's W is (C_in, C_out / group, kH, kW), oneDNN's iohw (giohw with groups); it is reordered
// once. ONNX's pads, auto_pad, output_padding and output_shape are resolved into oneDNN's explicit
// left/right padding; a geometry that would need negative right padding (output_padding beyond
// the pads) is declined.
#include "backends/onednn/kernels.h"
#include "backends/onednn/layout.h"
#include "backends/onednn/op_attrs.h"

namespace lb::backends::onednn {

namespace {

using dnnl::deconvolution_forward;
using tag = memory::format_tag;

constexpr int64_t kMinBlockedChannels = 8;

class DeconvKernel : public runtime::Kernel {
public:
    explicit DeconvKernel(const runtime::KernelInfo& info) : m_attrs(info.graph, info.node) {
        const NodeAttrs& a = m_attrs;
        if (info.inputCount() < 2 || info.inputCount() > 3 || !info.hasInput(0))
            a.fail("expected X, W and optional B, got ", info.inputCount(), " inputs");
        const Tensor* w = info.constantInput(1); // claimDeconv declined non-constant weights
        if (w->dtype() != DataType::Float32 || w->rank() != 4)
            a.fail("expected float32 4-D weights (2-D transposed convolution), got ",
                   dtypeName(w->dtype()), " ", shapeToString(w->shape()));
        m_weights = *w;
        m_group = a.getInt("group", 1);
        if (m_group < 1 || w->shape()[0] % m_group != 0)
            a.fail("group ", m_group, " does not divide the ", w->shape()[0], " input channels");
        m_window = parseWindow(a, 2);
        m_outputPadding = a.getInts("output_padding");
        m_outputShape = a.getInts("output_shape");
        if (!m_outputPadding.empty() && m_outputPadding.size() != 2)
            a.fail("output_padding should have 2 values");
        if (!m_outputShape.empty() && m_outputShape.size() < 2)
            a.fail("output_shape should have at least the 2 spatial values");
        if (info.hasInput(2)) {
            const Tensor* b = info.constantInput(2);
            if (b->dtype() != DataType::Float32 || b->numel() != w->shape()[1] * m_group)
                a.fail("expected a float32 bias of ", w->shape()[1] * m_group, " values, got ",
                       shapeToString(b->shape()));
            m_bias = *b;
        }
        m_stays = !info.outputStaysInBackend.empty() && info.outputStaysInBackend[0];
        const auto x = staticShape(info.graph, info.node.inputs[0]);
        if (x && (x->size() != 4 || (*x)[1] != w->shape()[0]))
            a.fail("expected input X of shape Nx", w->shape()[0], "xHxW, got ", shapeToString(*x));
        if (x) {
            ThreadScope scope(info.threads);
            build(*x);
        }
    }

    void run(runtime::KernelContext& ctx) override {
        ThreadScope scope(ctx.threads());
        const Tensor& x = ctx.in(0);
        if (x.rank() != 4 || x.shape()[1] != m_weights.shape()[0])
            fail("expected input X of shape Nx", m_weights.shape()[0], "xHxW, got ",
                 shapeToString(x.shape()));
        if (x.shape() != m_builtFor)
            build(x.shape());
        dnnl::stream& s = cpuStream();
        memory src = m_src.convert(x, m_pd.src_desc());
        memory dst = m_out.prepare(ctx, 0, m_outShape, m_pd.dst_desc(), m_stays);
        std::unordered_map<int, memory> args{
            {DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, m_packed}, {DNNL_ARG_DST, dst}};
        if (!m_bias.empty())
            args[DNNL_ARG_BIAS] =
                memory(plainDesc({m_bias.numel()}), cpuEngine(), m_bias.rawData());
        m_prim.execute(s, args);
        m_out.finish();
        s.wait();
    }

    size_t outputStorageBytes(size_t output) const override {
        return output == 0 && m_stays && !m_builtFor.empty()
                   ? extraStorageBytes(m_pd.dst_desc(), m_outShape)
                   : 0;
    }

private:
    void build(const Shape& x) {
        const NodeAttrs& a = m_attrs;
        const int64_t c = m_weights.shape()[0], m = m_weights.shape()[1] * m_group;
        const WindowGeometry geometry =
            deconvGeometry(a, m_window, m_outputPadding, m_outputShape, {x[2], x[3]},
                           {m_weights.shape()[2], m_weights.shape()[3]});
        m_outShape = {x[0], m, geometry.out[0], geometry.out[1]};
        const memory::dims strides(geometry.strides.begin(), geometry.strides.end()),
            padL(geometry.padL.begin(), geometry.padL.end()),
            padR(geometry.padR.begin(), geometry.padR.end());
        memory::dims dil;
        for (int64_t d : geometry.dilations)
            dil.push_back(d - 1);
        memory::dims wdims = toDims(m_weights.shape()); // (C_in, C_out/g, kH, kW)
        tag wtag = tag::iohw;
        memory::dims wLogical = {m, c, wdims[2], wdims[3]};
        if (m_group > 1) {
            wdims = {m_group, c / m_group, m / m_group, wdims[2], wdims[3]};
            wtag = tag::giohw;
            wLogical = {m_group, m / m_group, c / m_group, wdims[3], wdims[4]};
        }
        const auto f32 = memory::data_type::f32;
        // Few output channels (det's last layer has one) would be padded to a 16-channel block
        // and everything after it would run on 16x the data: ask for plain NCHW instead.
        const memory::desc srcAny(toDims(x), f32, tag::any),
            dstAny(toDims(m_outShape), f32, m < kMinBlockedChannels ? tag::nchw : tag::any),
            wAny(wLogical, f32, tag::any);
        const auto prop = dnnl::prop_kind::forward_inference;
        const auto alg = dnnl::algorithm::deconvolution_direct;
        try {
            const auto desc = m_bias.empty()
                                  ? deconvolution_forward::desc(prop, alg, srcAny, wAny, dstAny,
                                                                strides, dil, padL, padR)
                                  : deconvolution_forward::desc(prop, alg, srcAny, wAny,
                                                                memory::desc({m}, f32, tag::x),
                                                                dstAny, strides, dil, padL, padR);
            m_pd = deconvolution_forward::primitive_desc(desc, cpuEngine());
        } catch (const dnnl::error& e) {
            a.fail("oneDNN has no deconvolution for input ", shapeToString(x), ": ", e.what());
        }
        m_prim = deconvolution_forward(m_pd);
        packWeights(m_packed, m_pd.weights_desc(), memory::desc(wLogical, f32, wtag),
                    m_weights.rawData());
        m_builtFor = x;
    }

    NodeAttrs m_attrs;
    WindowAttrs m_window;
    std::vector<int64_t> m_outputPadding, m_outputShape;
    Tensor m_weights, m_bias;
    int64_t m_group = 1;
    bool m_stays = false;
    Shape m_builtFor, m_outShape;
    deconvolution_forward::primitive_desc m_pd;
    deconvolution_forward m_prim;
    memory m_packed;
    InputConverter m_src;
    OutputWriter m_out;
};

} // namespace

KernelPtr makeDeconv(const KernelInfo& info) {
    if (auto patch = makePatchDeconv(info))
        return patch;
    return std::make_unique<DeconvKernel>(info);
}

// Weights and bias computed in the graph, 1-D and 3-D transposed convolutions, and an output that
// needs padding beyond oneDNN's unpadded deconvolution output are declined.
Claim claimDeconv(const KernelInfo& info) {
    if (info.inputCount() < 2 || !info.hasInput(1))
        return Claim::claimed(); // invalid: the factory says what is missing
    const Tensor* w = info.constantInput(1);
    if (!w)
        return Claim::declined(Decline::Input,
                               "weights W are not a constant initializer (they are pre-packed)");
    if (w->rank() == 3 || w->rank() == 5)
        return Claim::declined(Decline::Shape, w->rank() - 2, "-D transposed convolution (W ",
                               shapeToString(w->shape()), "); the oneDNN backend runs 2-D ones");
    if (info.hasInput(2) && !info.constantInput(2))
        return Claim::declined(Decline::Input, "bias B is not a constant initializer");
    const auto x = staticShape(info.graph, info.node.inputs[0]);
    if (!x || x->size() != 4 || w->rank() != 4)
        return Claim::claimed();
    const NodeAttrs a(info.graph, info.node);
    const std::vector<int64_t> outputPadding = a.getInts("output_padding");
    const std::vector<int64_t> outputShape = a.getInts("output_shape");
    const WindowAttrs window = ops::parseWindowAttrs(info.node);
    if ((!outputPadding.empty() && outputPadding.size() != 2) ||
        (!outputShape.empty() && outputShape.size() < 2) ||
        (window.rank() != 0 && window.rank() != 2))
        return Claim::claimed(); // invalid: the factory says so
    std::string problem;
    if (!tryDeconvGeometry(window, outputPadding, outputShape, {(*x)[2], (*x)[3]},
                           {w->shape()[2], w->shape()[3]}, &problem))
        return Claim::declined(Decline::Attribute, problem);
    return Claim::claimed();
}

} // namespace lb::backends::onednn
