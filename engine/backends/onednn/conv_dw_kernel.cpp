// ai.layerbench FusedConvDw (lowering/fusions.h, fuseConvDepthwise): an expand 1x1 convolution
// and the depthwise 3x3 that reads it, as one oneDNN 1x1 primitive with a depthwise post-op, so
// the expanded map (4-6x the block's channels) is computed a few rows at a time and stays in
// cache instead of being written out and read back.
//
// oneDNN 2.6 builds its JIT fusion only where its own heuristic expects a gain: one thread and
// large maps (in the architecture set, one layer per network: MobileNetV2's and EfficientNet's
// 16 -> 96 at 112x112, SSDLite's 16 -> 64 at 160x160). Elsewhere, and at 2 threads in every shape
// tried, it offers ref_fused_convolution, which runs the two primitives one after the other via a
// scratch map: in an isolated loop slower than the two apart in 13 of 18 shapes (up to 14%),
// faster in 5 (up to 13%, maps from 56x56 with 64-88 channels). Then this kernel runs the two
// primitives itself, in the layouts the unfused Conv kernels pick, as the graph ran before.
// CPU ms per 1x1 + depthwise (+ReLU6) at 1 thread, weights and maps cold, apart vs fused (this
// machine, AVX-512): 16->96 at 112x112 stride 2 0.99 vs 0.50, 24->144 at 112 stride 1 2.31 vs
// 1.66, 16->64 at 160 stride 2 1.35 vs 0.70, 16->64 at 260 stride 2 6.7 vs 2.5, 8->32 at 320
// stride 2 3.6 vs 1.8 (hard-swish 16->96 at 112: 0.83 vs 0.58, SiLU 1.44 vs 1.03).
#include "backends/onednn/kernels.h"
#include "backends/onednn/layout.h"
#include "backends/onednn/op_attrs.h"

#include <string>

namespace lb::backends::onednn {

namespace {

using dnnl::convolution_forward;
using tag = memory::format_tag;
constexpr int kDwWeights = DNNL_ARG_ATTR_POST_OP_DW | DNNL_ARG_WEIGHTS;
constexpr int kDwBias = DNNL_ARG_ATTR_POST_OP_DW | DNNL_ARG_BIAS;

// The expanded map of a pair run apart. One buffer per calling thread for every such kernel, as
// the memory plan gave the unfused 1x1 outputs a few reused buffers: a buffer per kernel (16 in
// MobileNetV2) would put each map at its own address, cold in cache, and add its bytes to the
// session's memory.
Buffer& sharedMidBuffer() {
    thread_local Buffer buffer;
    return buffer;
}

class ConvDwKernel : public runtime::Kernel {
public:
    explicit ConvDwKernel(const runtime::KernelInfo& info) : m_attrs(info.graph, info.node) {
        const NodeAttrs& a = m_attrs;
        if (info.inputCount() < 4 || info.inputCount() > 5)
            a.fail("expected X, W, optional B, Wdw and optional Bdw, got ", info.inputCount(),
                   " inputs");
        const Tensor* w = info.constantInput(1); // claimConvDw checked both weights
        const Tensor* wdw = info.constantInput(3);
        m_channels = w->shape()[1];
        m_expanded = w->shape()[0];
        m_weights = *w;
        m_dwWeights = *wdw;
        if (info.hasInput(2))
            m_bias = *info.constantInput(2);
        if (info.hasInput(4))
            m_dwBias = *info.constantInput(4);
        m_steps = fusedActivation(a);
        const std::string dwAct = a.getString("dw_activation", "");
        if (!dwAct.empty())
            m_dwSteps = activationSteps(a, dwAct, a.getFloats("dw_activation_params"));
        m_stride = a.getInts("dw_strides", {1, 1})[0];
        m_stays = !info.outputStaysInBackend.empty() && info.outputStaysInBackend[0];
        m_threads = info.threads;
        const auto x = staticShape(info.graph, info.node.inputs[0]);
        if (x && (x->size() != 4 || (*x)[1] != m_channels))
            a.fail("expected input X of shape Nx", m_channels, "xHxW, got ", shapeToString(*x));
        if (x) {
            ThreadScope scope(m_threads);
            build(*x);
        }
    }

    void run(runtime::KernelContext& ctx) override {
        ThreadScope scope(ctx.threads());
        const Tensor& x = ctx.in(0);
        if (x.rank() != 4 || x.shape()[1] != m_channels)
            fail("expected input X of shape Nx", m_channels, "xHxW, got ",
                 shapeToString(x.shape()));
        if (x.shape() != m_builtFor)
            build(x.shape());
        dnnl::stream& s = cpuStream();
        memory src = m_src.convert(x, m_pd.src_desc());
        memory dst = m_out.prepare(ctx, 0, m_outShape, m_outDesc, m_stays);
        if (m_args.empty() || src.get() != m_argSrc || dst.get() != m_argDst ||
            (!m_fused && m_mid.get_data_handle() != sharedMidBuffer().data())) {
            m_args = {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, m_packed}};
            if (!m_bias.empty())
                m_args[DNNL_ARG_BIAS] = m_biasMem;
            m_dwArgs.clear();
            if (m_fused) {
                m_args[DNNL_ARG_DST] = dst;
                m_args[kDwWeights] = m_dwPacked;
                if (!m_dwBias.empty())
                    m_args[kDwBias] = m_dwBiasMem;
            } else {
                m_mid.set_data_handle(sharedMidBuffer().reserve(m_midBytes));
                m_args[DNNL_ARG_DST] = m_mid;
                m_dwArgs = {
                    {DNNL_ARG_SRC, m_mid}, {DNNL_ARG_WEIGHTS, m_dwPacked}, {DNNL_ARG_DST, dst}};
                if (!m_dwBias.empty())
                    m_dwArgs[DNNL_ARG_BIAS] = m_dwBiasMem;
            }
            m_argSrc = src.get();
            m_argDst = dst.get();
        }
        m_prim.execute(s, m_args);
        if (!m_fused)
            m_dwPrim.execute(s, m_dwArgs);
        m_out.finish();
        s.wait();
    }

    std::string implementation() const override {
        if (m_builtFor.empty())
            return {};
        if (m_fused)
            return std::string(m_pd.impl_info_str()) + " with depthwise post-op";
        return std::string(m_pd.impl_info_str()) + " then " + m_dwPd.impl_info_str();
    }

    size_t outputStorageBytes(size_t output) const override {
        return output == 0 && m_stays && !m_builtFor.empty()
                   ? extraStorageBytes(m_outDesc, m_outShape)
                   : 0;
    }

private:
    void build(const Shape& x) {
        m_args.clear();
        m_dwArgs.clear();
        const int64_t m = m_expanded, oh = (x[2] - 1) / m_stride + 1,
                      ow = (x[3] - 1) / m_stride + 1;
        m_outShape = {x[0], m, oh, ow};
        const auto f32 = memory::data_type::f32;
        // The layouts the Conv kernel picks for each of the two (conv_kernel.cpp).
        const auto layoutFor = [](int64_t channels) {
            return channels >= 16 ? tag::aBcd16b : tag::any;
        };
        const memory::desc src(toDims(x), f32, layoutFor(m_channels)),
            mid({x[0], m, x[2], x[3]}, f32, layoutFor(m)),
            dst(toDims(m_outShape), f32, layoutFor(m));
        const memory::desc w({m, m_channels, 1, 1}, f32, tag::any), b({m}, f32, tag::x);
        const memory::desc wdw({m, 1, 1, 3, 3}, f32, tag::any);
        const auto prop = dnnl::prop_kind::forward_inference;
        const auto alg = dnnl::algorithm::convolution_direct;
        const auto pointwise = [&](const dnnl::primitive_attr& attr) {
            const auto desc =
                m_bias.empty()
                    ? convolution_forward::desc(prop, alg, src, w, mid, {1, 1}, {0, 0}, {0, 0})
                    : convolution_forward::desc(prop, alg, src, w, b, mid, {1, 1}, {0, 0}, {0, 0});
            return convolution_forward::primitive_desc(desc, attr, cpuEngine());
        };
        m_fused = false;
        try {
            dnnl::post_ops ops;
            appendSteps(ops, m_steps);
            ops.append_dw(f32, m_dwBias.empty() ? memory::data_type::undef : f32, f32, 3, m_stride,
                          1, 0, {});
            appendSteps(ops, m_dwSteps);
            dnnl::primitive_attr attr;
            attr.set_post_ops(ops);
            auto pd = pointwise(attr);
            if (std::string(pd.impl_info_str()).rfind("ref", 0) != 0) {
                m_pd = pd;
                m_fused = true;
            }
        } catch (const dnnl::error&) {
            // no fused primitive for this shape: the two run apart
        }
        try {
            if (m_fused) {
                m_outDesc = m_pd.query_md(dnnl::query::exec_arg_md, DNNL_ARG_DST);
                packWeights(m_dwPacked, m_pd.query_md(dnnl::query::exec_arg_md, kDwWeights),
                            memory::desc({m, 1, 1, 3, 3}, f32, tag::goihw), m_dwWeights.rawData());
            } else {
                dnnl::post_ops ops, dwOps;
                appendSteps(ops, m_steps);
                appendSteps(dwOps, m_dwSteps);
                dnnl::primitive_attr attr, dwAttr;
                attr.set_post_ops(ops);
                dwAttr.set_post_ops(dwOps);
                m_pd = pointwise(attr);
                const memory::dims strides{m_stride, m_stride}, pads{1, 1};
                const auto desc =
                    m_dwBias.empty() ? convolution_forward::desc(prop, alg, m_pd.dst_desc(), wdw,
                                                                 dst, strides, {0, 0}, pads, pads)
                                     : convolution_forward::desc(prop, alg, m_pd.dst_desc(), wdw, b,
                                                                 dst, strides, {0, 0}, pads, pads);
                m_dwPd = convolution_forward::primitive_desc(desc, dwAttr, cpuEngine());
                m_dwPrim = convolution_forward(m_dwPd);
                m_outDesc = m_dwPd.dst_desc();
                m_midBytes = m_pd.dst_desc().get_size();
                m_mid = memory(m_pd.dst_desc(), cpuEngine(), sharedMidBuffer().reserve(m_midBytes));
                packWeights(m_dwPacked, m_dwPd.weights_desc(),
                            memory::desc({m, 1, 1, 3, 3}, f32, tag::goihw), m_dwWeights.rawData());
            }
        } catch (const dnnl::error& e) {
            m_attrs.fail("oneDNN has no 1x1 + depthwise convolution for input ", shapeToString(x),
                         ": ", e.what());
        }
        m_prim = convolution_forward(m_pd);
        packWeights(m_packed, m_pd.weights_desc(),
                    memory::desc({m, m_channels, 1, 1}, f32, tag::oihw), m_weights.rawData());
        if (!m_bias.empty())
            m_biasMem = memory(plainDesc({m}), cpuEngine(), m_bias.rawData());
        if (!m_dwBias.empty())
            m_dwBiasMem = memory(plainDesc({m}), cpuEngine(), m_dwBias.rawData());
        m_builtFor = x;
    }

    NodeAttrs m_attrs;
    Tensor m_weights, m_bias, m_dwWeights, m_dwBias;
    int64_t m_channels = 0, m_expanded = 0, m_stride = 1;
    bool m_stays = false, m_fused = false;
    int m_threads = 1;
    std::vector<EltwiseStep> m_steps, m_dwSteps;
    Shape m_builtFor, m_outShape;
    convolution_forward::primitive_desc m_pd, m_dwPd; // m_dwPd only when run apart
    memory::desc m_outDesc;
    convolution_forward m_prim, m_dwPrim;
    memory m_packed, m_dwPacked, m_biasMem, m_dwBiasMem, m_mid;
    size_t m_midBytes = 0;
    InputConverter m_src;
    OutputWriter m_out;
    std::unordered_map<int, memory> m_args, m_dwArgs;
    dnnl_memory_t m_argSrc = nullptr, m_argDst = nullptr;
};

bool constantFloat(const KernelInfo& info, size_t slot, const Shape& shape) {
    const Tensor* t = info.constantInput(slot);
    return t && t->dtype() == DataType::Float32 && t->shape() == shape;
}

} // namespace

KernelPtr makeConvDw(const KernelInfo& info) {
    return std::make_unique<ConvDwKernel>(info);
}

// What fuseConvDepthwise makes and oneDNN's depthwise post-op takes: a 1x1 [M, C, 1, 1] and a
// depthwise 3x3 [M, 1, 3, 3] with stride 1 or 2, float32 constant weights and biases, and the
// fused-conv activations on each.
Claim claimConvDw(const KernelInfo& info) {
    if (info.inputCount() < 4 || info.inputCount() > 5 || !info.hasInput(1) || !info.hasInput(3))
        return Claim::declined(Decline::Input, "expected X, W, optional B, Wdw, optional Bdw");
    const Tensor* w = info.constantInput(1);
    if (!w || w->dtype() != DataType::Float32 || w->rank() != 4 || w->shape()[2] != 1 ||
        w->shape()[3] != 1)
        return Claim::declined(Decline::Input, "W is not a constant float32 1x1 weight");
    const int64_t m = w->shape()[0];
    if (!constantFloat(info, 3, {m, 1, 3, 3}))
        return Claim::declined(Decline::Input, "Wdw is not a constant float32 [", m,
                               ", 1, 3, 3] weight");
    if ((info.hasInput(2) && !constantFloat(info, 2, {m})) ||
        (info.hasInput(4) && !constantFloat(info, 4, {m})))
        return Claim::declined(Decline::Input, "a bias is not a constant float32 of ", m,
                               " values");
    const NodeAttrs a(info.graph, info.node);
    const std::vector<int64_t> strides = a.getInts("dw_strides", {1, 1});
    if (strides.size() != 2 || strides[0] != strides[1] || (strides[0] != 1 && strides[0] != 2))
        return Claim::declined(Decline::Attribute, "dw_strides must be [1, 1] or [2, 2]");
    if (a.getInt("group", 1) != 1 || a.has("output_affine"))
        return Claim::declined(Decline::Attribute, "group or output_affine on the 1x1");
    if (const auto x = staticShape(info.graph, info.node.inputs[0]))
        for (int64_t d : *x)
            if (d == 0)
                return Claim::declined(Decline::Shape, "empty input ", shapeToString(*x));
    return Claim::claimed();
}

} // namespace lb::backends::onednn
