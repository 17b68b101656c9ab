// ConvTranspose (2-D) through xnn_create_deconvolution2d_nhwc_f32: explicit pads, strides,
// dilations, groups and output_padding (XNNPACK's adjustment), the weights repacked once from
// ONNX's [C, M/g, kh, kw] into XNNPACK's [g, M/g, kh, kw, C/g]. NHWC in and out as Conv does
// (conv_kernel.cpp). auto_pad and output_shape are declined.
#include "backends/xnnpack/kernels.h"
#include "backends/xnnpack/xnn_util.h"
#include "core/error.h"
#include "ops/node_attrs.h"

#include <limits>

namespace lb::backends::xnnpack {

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

std::vector<int64_t> ints(const ops::NodeAttrs& a, const char* name, size_t n, int64_t fallback) {
    std::vector<int64_t> v = a.getInts(name, std::vector<int64_t>(n, fallback));
    if (v.size() != n)
        a.fail(name, " should have ", n, " values, got ", v.size());
    return v;
}

class DeconvKernel : public runtime::Kernel {
public:
    explicit DeconvKernel(const KernelInfo& info) : m_attrs(info.graph, info.node) {
        const ops::NodeAttrs& a = m_attrs;
        a.expectInputs(2, 3);
        const Tensor* w = info.constantInput(1);
        if (!w || w->dtype() != DataType::Float32 || w->rank() != 4)
            a.fail("expected constant float32 4-D weights");
        m_group = a.getInt("group", 1);
        m_c = w->shape()[0];
        if (m_group < 1 || m_c % m_group != 0)
            a.fail("group ", m_group, " does not divide the ", m_c, " input channels");
        const int64_t cg = m_c / m_group, mg = w->shape()[1];
        m_m = mg * m_group;
        m_kernel = {w->shape()[2], w->shape()[3]};
        m_strides = ints(a, "strides", 2, 1);
        m_dilations = ints(a, "dilations", 2, 1);
        m_pads = ints(a, "pads", 4, 0);
        m_outputPadding = ints(a, "output_padding", 2, 0);
        const int64_t khw = m_kernel[0] * m_kernel[1];
        m_weights.resize(static_cast<size_t>(w->numel()));
        const float* src = w->data<float>();
        for (int64_t g = 0; g < m_group; ++g)
            for (int64_t ic = 0; ic < cg; ++ic)
                for (int64_t oc = 0; oc < mg; ++oc)
                    for (int64_t p = 0; p < khw; ++p)
                        m_weights[static_cast<size_t>(((g * mg + oc) * khw + p) * cg + ic)] =
                            src[((g * cg + ic) * mg + oc) * khw + p];
        if (info.hasInput(2)) {
            const Tensor* b = info.constantInput(2);
            if (!b || b->dtype() != DataType::Float32 || b->numel() != m_m)
                a.fail("expected a constant float32 bias of ", m_m, " values");
            m_bias.assign(b->data<float>(), b->data<float>() + m_m);
        }
        m_stays = !info.outputStaysInBackend.empty() && info.outputStaysInBackend[0];
        ensureInitialized();
        xnn_operator_t op = nullptr;
        check(xnn_create_deconvolution2d_nhwc_f32(
                  static_cast<uint32_t>(m_pads[0]), static_cast<uint32_t>(m_pads[3]),
                  static_cast<uint32_t>(m_pads[2]), static_cast<uint32_t>(m_pads[1]),
                  static_cast<uint32_t>(m_kernel[0]), static_cast<uint32_t>(m_kernel[1]),
                  static_cast<uint32_t>(m_strides[0]), static_cast<uint32_t>(m_strides[1]),
                  static_cast<uint32_t>(m_dilations[0]), static_cast<uint32_t>(m_dilations[1]),
                  static_cast<uint32_t>(m_group), static_cast<size_t>(cg), static_cast<size_t>(mg),
                  static_cast<size_t>(m_c), static_cast<size_t>(m_m), m_weights.data(),
                  m_bias.empty() ? nullptr : m_bias.data(), -kInf, kInf, 0, &op),
              "xnn_create_deconvolution2d_nhwc_f32");
        m_op.reset(op);
    }

    void run(runtime::KernelContext& ctx) override {
        const Tensor& x = ctx.in(0);
        if (x.rank() != 4 || x.shape()[1] != m_c)
            m_attrs.fail("expected input X of shape Nx", m_c, "xHxW, got ",
                         shapeToString(x.shape()));
        const Shape& xs = x.shape();
        if (xs != m_builtFor) {
            int64_t out[2];
            for (size_t i = 0; i < 2; ++i) {
                out[i] = m_strides[i] * (xs[2 + i] - 1) + m_outputPadding[i] +
                         (m_kernel[i] - 1) * m_dilations[i] + 1 - m_pads[i] - m_pads[i + 2];
                if (out[i] < 1)
                    m_attrs.fail("empty output for input ", shapeToString(xs));
            }
            m_outShape = {xs[0], m_m, out[0], out[1]};
            m_in.resize(static_cast<size_t>(x.numel()));
            m_out.resize(static_cast<size_t>(xs[0] * m_m * out[0] * out[1]));
            m_builtFor = xs;
            m_setupIn = nullptr;
        }
        pthreadpool_t pool = threadPool(ctx.threads());
        const float* in = x.data<float>();
        if (!isNhwc(x)) {
            nchwToNhwc(x.data<float>(), m_in.data(), xs[0], m_c, xs[2] * xs[3]);
            in = m_in.data();
        }
        Tensor& y = outputTensor(ctx, 0, m_outShape, m_stays);
        float* out = m_stays ? y.data<float>() : m_out.data();
        if (in != m_setupIn || out != m_setupOut || pool != m_setupPool) {
            check(xnn_setup_deconvolution2d_nhwc_f32(
                      m_op.get(), static_cast<size_t>(xs[0]), static_cast<size_t>(xs[2]),
                      static_cast<size_t>(xs[3]), static_cast<uint32_t>(m_outputPadding[0]),
                      static_cast<uint32_t>(m_outputPadding[1]), in, out, pool),
                  "xnn_setup_deconvolution2d_nhwc_f32");
            m_setupIn = in;
            m_setupOut = out;
            m_setupPool = pool;
        }
        check(xnn_run_operator(m_op.get(), pool), "xnn_run_operator (deconvolution)");
        if (!m_stays)
            nhwcToNchw(m_out.data(), y.data<float>(), m_outShape[0], m_m,
                       m_outShape[2] * m_outShape[3]);
    }

private:
    ops::NodeAttrs m_attrs;
    int64_t m_group = 1, m_c = 0, m_m = 0;
    std::vector<int64_t> m_kernel, m_strides, m_dilations, m_pads, m_outputPadding;
    std::vector<float> m_weights, m_bias, m_in, m_out;
    bool m_stays = false;
    Operator m_op;
    Shape m_builtFor, m_outShape;
    const float* m_setupIn = nullptr;
    float* m_setupOut = nullptr;
    pthreadpool_t m_setupPool = nullptr;
};

} // namespace

KernelPtr makeDeconv(const KernelInfo& info) {
    return std::make_unique<DeconvKernel>(info);
}

Claim claimDeconv(const KernelInfo& info) {
    if (info.inputCount() < 2 || !info.hasInput(1))
        return Claim::claimed(); // invalid: the factory says what is missing
    const Tensor* w = info.constantInput(1);
    if (!w)
        return Claim::declined(Decline::Input, "weights W are not a constant initializer");
    if (w->rank() != 4)
        return Claim::declined(Decline::Shape, w->rank() - 2,
                               "-D ConvTranspose; the XNNPACK backend runs 2-D ones");
    if (info.hasInput(2) && !info.constantInput(2))
        return Claim::declined(Decline::Input, "bias B is not a constant initializer");
    const ops::NodeAttrs a(info.graph, info.node);
    const std::string autoPad = a.getString("auto_pad", "NOTSET");
    if (autoPad != "NOTSET" && autoPad != "VALID")
        return Claim::declined(Decline::Attribute, "auto_pad ", autoPad, " is not implemented");
    if (a.has("output_shape"))
        return Claim::declined(Decline::Attribute, "output_shape is not implemented");
    const std::vector<int64_t> strides = a.getInts("strides", {1, 1}),
                               outputPadding = a.getInts("output_padding", {0, 0});
    for (size_t i = 0; i < outputPadding.size() && i < strides.size(); ++i)
        if (outputPadding[i] >= strides[i])
            return Claim::declined(Decline::Attribute, "output_padding ", outputPadding[i],
                                   " not below the stride ", strides[i]);
    return Claim::claimed();
}

} // namespace lb::backends::xnnpack
