// Conv / FusedConv: 2-D convolution with oneDNN choosing blocked src/weights/dst formats
// (format_tag::any). Weights are reordered once into the chosen format; bias, the residual Z
// (sum post-op) and the activation (eltwise post-ops) are fused into the primitive.
#include "backends/onednn/kernels.h"
#include "backends/onednn/layout.h"
#include "backends/onednn/op_attrs.h"

#include <cstring>

namespace lb::backends::onednn {

namespace {

using dnnl::convolution_forward;
using tag = memory::format_tag;

class ConvKernel : public runtime::Kernel {
public:
    ConvKernel(const runtime::KernelInfo& info, bool check) : m_attrs(info.graph, info.node) {
        const Attrs& a = m_attrs;
        const bool fused = info.node.opType == "FusedConv";
        if (info.inputCount() < 2 || info.inputCount() > (fused ? 4u : 3u))
            a.fail("expected X, W", fused ? ", optional B and Z" : " and optional B", ", got ",
                   info.inputCount(), " inputs");
        const Tensor* w = info.constantInput(1);
        if (!w)
            a.fail("weights W must be a constant initializer (they are pre-packed)");
        if (w->dtype() != DataType::Float32 || w->rank() != 4)
            a.fail("expected float32 4-D weights (2-D convolution), got ", dtypeName(w->dtype()),
                   " ", shapeToString(w->shape()));
        m_weights = *w;
        m_group = a.getInt("group", 1);
        const int64_t m = w->shape()[0];
        if (m_group < 1 || m % m_group != 0)
            a.fail("group ", m_group, " does not divide the ", m, " output channels");
        m_channels = w->shape()[1] * m_group;
        m_window = WindowAttrs::parse(a, 2);
        m_kernel = {w->shape()[2], w->shape()[3]};
        if (!m_window.kernel.empty() && m_window.kernel != m_kernel)
            a.fail("kernel_shape does not match the weights ", shapeToString(w->shape()));
        if (info.hasInput(2)) {
            const Tensor* b = info.constantInput(2);
            if (!b)
                a.fail("bias B must be a constant initializer");
            if (b->dtype() != DataType::Float32 || b->numel() != m)
                a.fail("expected a float32 bias of ", m, " values, got ",
                       shapeToString(b->shape()));
            m_bias = *b;
        }
        m_hasZ = info.hasInput(3);
        m_steps = fused ? fusedActivation(a) : std::vector<EltwiseStep>{};
        m_stays = !info.outputStaysInBackend.empty() && info.outputStaysInBackend[0];
        m_threads = info.threads;
        const auto x = staticShape(info.graph, info.node.inputs[0]);
        if (x && (x->size() != 4 || (*x)[1] != m_channels))
            a.fail("expected input X of shape Nx", m_channels, "xHxW, got ", shapeToString(*x));
        if (x) {
            ThreadScope scope(m_threads);
            build(*x, check);
        }
    }

    void run(runtime::KernelContext& ctx) override {
        ThreadScope scope(ctx.threads());
        const Tensor& x = ctx.in(0);
        if (x.rank() != 4 || x.shape()[1] != m_channels)
            fail("expected input X of shape Nx", m_channels, "xHxW, got ",
                 shapeToString(x.shape()));
        if (x.shape() != m_builtFor)
            build(x.shape(), false);
        dnnl::stream& s = cpuStream();
        memory src = m_src.convert(x, m_pd.src_desc());
        memory dst = m_out.prepare(ctx, 0, m_outShape, m_pd.dst_desc(), m_stays);
        if (m_hasZ) {
            const Tensor& z = ctx.in(3);
            if (z.shape() != m_outShape)
                fail("residual Z should have the output shape ", shapeToString(m_outShape),
                     ", got ", shapeToString(z.shape()));
            memory zm = m_z.convert(z, m_pd.dst_desc());
            if (zm.get_data_handle() != dst.get_data_handle())
                std::memcpy(dst.get_data_handle(), zm.get_data_handle(),
                            m_pd.dst_desc().get_size());
        }
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
    void build(const Shape& x, bool check) {
        const WindowGeometry g = windowGeometry(m_attrs, m_window, {x[2], x[3]}, m_kernel);
        const int64_t m = m_weights.shape()[0];
        m_outShape = {x[0], m, g.out[0], g.out[1]};
        for (int64_t d : m_outShape)
            if (d < 1)
                m_attrs.fail("empty output ", shapeToString(m_outShape), " is not supported");
        memory::dims wdims = toDims(m_weights.shape());
        tag wtag = tag::oihw;
        if (m_group > 1) {
            wdims = {m_group, m / m_group, m_weights.shape()[1], m_kernel[0], m_kernel[1]};
            wtag = tag::goihw;
        }
        const auto f32 = memory::data_type::f32;
        const memory::desc srcAny(toDims(x), f32, tag::any),
            dstAny(toDims(m_outShape), f32, tag::any);
        const memory::desc wAny(wdims, f32, tag::any);
        const memory::dims strides(g.strides.begin(), g.strides.end());
        memory::dims dil, padL(g.padL.begin(), g.padL.end()), padR(g.padR.begin(), g.padR.end());
        for (int64_t d : g.dilations)
            dil.push_back(d - 1); // oneDNN counts the gaps
        dnnl::post_ops ops;
        if (m_hasZ)
            ops.append_sum(1.0f);
        appendSteps(ops, m_steps);
        dnnl::primitive_attr attr;
        attr.set_post_ops(ops);
        const auto prop = dnnl::prop_kind::forward_inference;
        const auto alg = dnnl::algorithm::convolution_direct;
        try {
            const auto desc = m_bias.empty()
                                  ? convolution_forward::desc(prop, alg, srcAny, wAny, dstAny,
                                                              strides, dil, padL, padR)
                                  : convolution_forward::desc(prop, alg, srcAny, wAny,
                                                              memory::desc({m}, f32, tag::x),
                                                              dstAny, strides, dil, padL, padR);
            m_pd = convolution_forward::primitive_desc(desc, attr, cpuEngine());
        } catch (const dnnl::error& e) {
            m_attrs.fail("oneDNN has no convolution for input ", shapeToString(x), ": ", e.what());
        }
        if (check)
            return;
        m_prim = convolution_forward(m_pd);
        if (!m_packed || !(m_packed.get_desc() == m_pd.weights_desc())) {
            memory plain(memory::desc(wdims, f32, wtag), cpuEngine(),
                         const_cast<void*>(m_weights.rawData()));
            m_packed = memory(m_pd.weights_desc(), cpuEngine());
            dnnl::reorder(plain, m_packed).execute(cpuStream(), plain, m_packed);
            cpuStream().wait();
        }
        m_builtFor = x;
    }

    Attrs m_attrs;
    WindowAttrs m_window;
    std::vector<int64_t> m_kernel;
    Tensor m_weights, m_bias;
    int64_t m_group = 1, m_channels = 0;
    bool m_hasZ = false, m_stays = false;
    int m_threads = 1;
    std::vector<EltwiseStep> m_steps;
    Shape m_builtFor, m_outShape;
    convolution_forward::primitive_desc m_pd;
    convolution_forward m_prim;
    memory m_packed;
    InputConverter m_src, m_z;
    OutputWriter m_out;
};

} // namespace

std::unique_ptr<runtime::Kernel> makeConv(const runtime::KernelInfo& info, bool check) {
    auto kernel = std::make_unique<ConvKernel>(info, check);
    return check ? nullptr : std::move(kernel);
}

} // namespace lb::backends::onednn
