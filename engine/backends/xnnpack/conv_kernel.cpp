// Conv / FusedConv: xnn_create_convolution2d_nhwc_f32 with the weights repacked once from ONNX's
// [M, C/g, kh, kw] into XNNPACK's [g, M/g, kh, kw, C/g] and the activation fused as the
// operator's output clamp. A plain input is copied to NHWC and a plain output back to NCHW
// inside the kernel (XNNPACK is NHWC, the graph NCHW).
//
// Between XNNPACK nodes the output stays NHWC (xnn_util.h: nhwcLayout), and an NHWC input is
// read in place, so only the borders of an XNNPACK partition pay for the copies.
//
// FusedConv is claimed only where its activation is a clamp (none, Relu, Clip) with neither a
// residual Z nor an output_affine: XNNPACK fuses nothing else, so the lowering leaves those
// apart rather than fusing what this backend would then decline.
#include "backends/xnnpack/kernels.h"
#include "backends/xnnpack/xnn_util.h"
#include "core/error.h"
#include "ops/fused_ops.h"
#include "ops/node_attrs.h"
#include "ops/window.h"

namespace lb::backends::xnnpack {

namespace {

std::optional<Shape> staticShape(const KernelInfo& info, size_t input) {
    const auto& s = info.inputValue(input).shape;
    return s ? concreteShape(*s) : std::nullopt;
}

class ConvKernel : public runtime::Kernel {
public:
    explicit ConvKernel(const KernelInfo& info) {
        const ops::NodeAttrs a(info.graph, info.node);
        const bool fused = info.node.opType == "FusedConv";
        a.expectInputs(2, fused ? 4 : 3);
        const Tensor* w = info.constantInput(1);
        if (!w || w->dtype() != DataType::Float32 || w->rank() != 4)
            a.fail("expected constant float32 4-D weights");
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
        if (!m_window.kernel.empty() && m_window.kernel != m_kernel)
            a.fail("kernel_shape does not match the weights ", shapeToString(w->shape()));
        // [M, C/g, kh, kw] -> [M, kh, kw, C/g]: M = g * (M/g), as XNNPACK wants per group.
        const int64_t khw = m_kernel[0] * m_kernel[1];
        m_weights.resize(static_cast<size_t>(w->numel()));
        const float* src = w->data<float>();
        for (int64_t o = 0; o < m_m; ++o)
            for (int64_t c = 0; c < cg; ++c)
                for (int64_t p = 0; p < khw; ++p)
                    m_weights[static_cast<size_t>((o * khw + p) * cg + c)] =
                        src[(o * cg + c) * khw + p];
        if (info.hasInput(2)) {
            const Tensor* b = info.constantInput(2);
            if (!b || b->dtype() != DataType::Float32 || b->numel() != m_m)
                a.fail("expected a constant float32 bias of ", m_m, " values");
            m_bias.assign(b->data<float>(), b->data<float>() + m_m);
        }
        const auto bounds =
            clampBounds(fused ? ops::fusedActivation(info.node) : ops::Activation{});
        if (!bounds)
            a.fail("activation ", ops::fusedActivation(info.node).name(),
                   " is not a clamp XNNPACK fuses");
        m_bounds = *bounds;
        m_stays = !info.outputStaysInBackend.empty() && info.outputStaysInBackend[0];
        ensureInitialized();
        if (const auto x = staticShape(info, 0)) {
            if (x->size() != 4 || (*x)[1] != m_c)
                a.fail("expected input X of shape Nx", m_c, "xHxW, got ", shapeToString(*x));
            prepare(*x);
        }
    }

    void run(runtime::KernelContext& ctx) override {
        const Tensor& x = ctx.in(0);
        if (x.rank() != 4 || x.shape()[1] != m_c)
            fail("expected input X of shape Nx", m_c, "xHxW, got ", shapeToString(x.shape()));
        pthreadpool_t pool = threadPool(ctx.threads());
        if (x.shape() != m_builtFor)
            prepare(x.shape());
        const Shape& xs = x.shape();
        // An NHWC input (an XNNPACK producer) is read in place; a plain one is copied to NHWC.
        const float* in = x.data<float>();
        if (!isNhwc(x)) {
            nchwToNhwc(x.data<float>(), m_in.data(), xs[0], m_c, xs[2] * xs[3]);
            in = m_in.data();
        }
        Tensor& y = outputTensor(ctx, 0, m_outShape, m_stays);
        float* out = m_stays ? y.data<float>() : m_out.data();
        // Setting up again only when a pointer moved keeps the indirection buffer (the memory
        // plan hands the same arena slices to every run).
        if (in != m_setupIn || out != m_setupOut || pool != m_setupPool) {
            check(xnn_setup_convolution2d_nhwc_f32(m_op.get(), static_cast<size_t>(xs[0]),
                                                   static_cast<size_t>(xs[2]),
                                                   static_cast<size_t>(xs[3]), in, out, pool),
                  "xnn_setup_convolution2d_nhwc_f32");
            m_setupIn = in;
            m_setupOut = out;
            m_setupPool = pool;
        }
        check(xnn_run_operator(m_op.get(), pool), "xnn_run_operator (convolution)");
        if (!m_stays)
            nhwcToNchw(m_out.data(), y.data<float>(), m_outShape[0], m_m,
                       m_outShape[2] * m_outShape[3]);
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
            xnn_operator_t op = nullptr;
            check(xnn_create_convolution2d_nhwc_f32(
                      static_cast<uint32_t>(padBegin[0]), static_cast<uint32_t>(padEnd[1]),
                      static_cast<uint32_t>(padEnd[0]), static_cast<uint32_t>(padBegin[1]),
                      static_cast<uint32_t>(m_kernel[0]), static_cast<uint32_t>(m_kernel[1]),
                      static_cast<uint32_t>(strides[0]), static_cast<uint32_t>(strides[1]),
                      static_cast<uint32_t>(dilations[0]), static_cast<uint32_t>(dilations[1]),
                      static_cast<uint32_t>(m_group), static_cast<size_t>(m_c / m_group),
                      static_cast<size_t>(m_m / m_group), static_cast<size_t>(m_c),
                      static_cast<size_t>(m_m), m_weights.data(),
                      m_bias.empty() ? nullptr : m_bias.data(), m_bounds.first, m_bounds.second, 0,
                      &op),
                  "xnn_create_convolution2d_nhwc_f32");
            m_op.reset(op);
            m_pads = pads;
        }
        m_outShape = {x[0], m_m, out[0], out[1]};
        m_in.resize(static_cast<size_t>(x[0] * x[1] * x[2] * x[3]));
        m_out.resize(static_cast<size_t>(x[0] * m_m * out[0] * out[1]));
        m_setupIn = nullptr; // set up again at the next run
        m_builtFor = x;
    }

    int64_t m_group = 1, m_m = 0, m_c = 0;
    std::vector<int64_t> m_kernel, m_pads;
    ops::WindowAttrs m_window;
    std::vector<float> m_weights, m_bias, m_in, m_out;
    std::pair<float, float> m_bounds;
    Operator m_op;
    Shape m_builtFor, m_outShape;
    bool m_stays = false;
    const float* m_setupIn = nullptr;
    float* m_setupOut = nullptr;
    pthreadpool_t m_setupPool = nullptr;
};

} // namespace

KernelPtr makeConv(const KernelInfo& info) {
    return std::make_unique<ConvKernel>(info);
}

Claim claimConv(const KernelInfo& info) {
    if (info.inputCount() < 2 || !info.hasInput(1))
        return Claim::claimed(); // invalid: the factory says what is missing
    const Tensor* w = info.constantInput(1);
    if (!w)
        return Claim::declined(Decline::Input,
                               "weights W are not a constant initializer (they are pre-packed)");
    if (w->rank() != 4)
        return Claim::declined(Decline::Shape, w->rank() - 2, "-D convolution (W ",
                               shapeToString(w->shape()), "); the XNNPACK backend runs 2-D ones");
    if (info.hasInput(2) && !info.constantInput(2))
        return Claim::declined(Decline::Input, "bias B is not a constant initializer");
    if (info.node.opType == "FusedConv") {
        if (info.hasInput(3))
            return Claim::declined(Decline::Attribute,
                                   "a residual Z: XNNPACK's convolution fuses no sum");
        if (info.node.attribute("output_affine"))
            return Claim::declined(Decline::Attribute,
                                   "output_affine: XNNPACK's convolution fuses no affine step");
        const ops::Activation act = ops::fusedActivation(info.node);
        const auto bounds = clampBounds(act);
        if (!bounds)
            return Claim::declined(Decline::Attribute, "activation ", act.name(),
                                   ": XNNPACK fuses only a clamp (Relu, Clip)");
        if (!(bounds->first < bounds->second))
            return Claim::declined(Decline::Attribute, "Clip [", bounds->first, ", ",
                                   bounds->second, "] is empty");
    }
    if (const auto x = staticShape(info, 0))
        for (int64_t d : *x)
            if (d == 0)
                return Claim::declined(Decline::Shape, "empty input ", shapeToString(*x));
    return Claim::claimed();
}

} // namespace lb::backends::xnnpack
