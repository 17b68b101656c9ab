// Relu, Clip (constant bounds), LeakyRelu, HardSwish, Sigmoid and HardSigmoid: XNNPACK's nc
// element-wise operators over the tensor as one run of numel values, in whatever layout the input
// has.
#include "backends/xnnpack/kernels.h"
#include "backends/xnnpack/xnn_util.h"
#include "core/error.h"
#include "ops/fused_ops.h"

#include <limits>

namespace lb::backends::xnnpack {

namespace {

// Each operator is created for rows of one value (channels = stride = 1): XNNPACK then treats
// the batch as one contiguous run, so one operator serves every input shape.
class UnaryKernel : public runtime::Kernel {
public:
    explicit UnaryKernel(const KernelInfo& info) : m_op(info.node.opType) {
        ensureInitialized();
        m_stays = !info.outputStaysInBackend.empty() && info.outputStaysInBackend[0];
        const auto act = ops::activationOf(info.graph, info.node);
        if (!act)
            fail("node ", quoted(info.node.name), " (", m_op,
                 "): expected constant min and max inputs");
        xnn_operator_t op = nullptr;
        if (const auto bounds = clampBounds(*act)) {
            check(xnn_create_clamp_nc_f32(1, 1, 1, bounds->first, bounds->second, 0, &op),
                  "xnn_create_clamp_nc_f32");
            m_setup = xnn_setup_clamp_nc_f32;
        } else if (act->kind == ops::ActivationKind::HardSwish) {
            check(xnn_create_hardswish_nc_f32(1, 1, 1, 0, &op), "xnn_create_hardswish_nc_f32");
            m_setup = xnn_setup_hardswish_nc_f32;
        } else if (act->kind == ops::ActivationKind::Sigmoid) {
            check(xnn_create_sigmoid_nc_f32(1, 1, 1, 0, &op), "xnn_create_sigmoid_nc_f32");
            m_setup = xnn_setup_sigmoid_nc_f32;
        } else if (act->kind == ops::ActivationKind::LeakyRelu) {
            check(xnn_create_leaky_relu_nc_f32(1, 1, 1, act->alpha, 0, &op),
                  "xnn_create_leaky_relu_nc_f32");
            m_setup = xnn_setup_leaky_relu_nc_f32;
        } else if (act->kind == ops::ActivationKind::HardSigmoid) {
            // No hard-sigmoid operator in this XNNPACK: alpha * x, then + beta clamped to [0, 1].
            constexpr float kInf = std::numeric_limits<float>::infinity();
            m_alpha = act->alpha;
            m_beta = act->beta;
            check(xnn_create_multiply_nd_f32(-kInf, kInf, 0, &op), "xnn_create_multiply_nd_f32");
            m_xnn.reset(op);
            check(xnn_create_add_nd_f32(0.0f, 1.0f, 0, &op), "xnn_create_add_nd_f32");
            m_add.reset(op);
            return;
        } else {
            fail("node ", quoted(info.node.name), ": ", m_op, " is not an XNNPACK unary op");
        }
        m_xnn.reset(op);
    }

    void run(runtime::KernelContext& ctx) override {
        const Tensor& x = ctx.in(0);
        // Element-wise: an NHWC input gives an NHWC output, copied back to plain only when a
        // reader outside this backend (or the graph's output) needs it.
        const bool nhwcIn = isNhwc(x), nhwcOut = nhwcIn && m_stays;
        Tensor& y = outputTensor(ctx, 0, x.shape(), nhwcOut);
        if (x.numel() == 0)
            return;
        float* out = y.data<float>();
        if (nhwcIn && !nhwcOut) {
            m_scratch.resize(static_cast<size_t>(x.numel()));
            out = m_scratch.data();
        }
        pthreadpool_t pool = threadPool(ctx.threads());
        if (m_add) {
            const size_t n = static_cast<size_t>(x.numel()), one = 1;
            check(xnn_setup_multiply_nd_f32(m_xnn.get(), 1, &n, 1, &one, x.data<float>(), &m_alpha,
                                            out, pool),
                  "xnn_setup_multiply_nd_f32");
            check(xnn_run_operator(m_xnn.get(), pool), "xnn_run_operator (multiply)");
            check(xnn_setup_add_nd_f32(m_add.get(), 1, &n, 1, &one, out, &m_beta, out, pool),
                  "xnn_setup_add_nd_f32");
            check(xnn_run_operator(m_add.get(), pool), "xnn_run_operator (add)");
        } else {
            check(m_setup(m_xnn.get(), static_cast<size_t>(x.numel()), x.data<float>(), out, pool),
                  "setup (unary)");
            check(xnn_run_operator(m_xnn.get(), pool), "xnn_run_operator (unary)");
        }
        if (nhwcIn && !nhwcOut) {
            const Shape& s = x.shape();
            nhwcToNchw(out, y.data<float>(), s[0], s[1], s[2] * s[3]);
        }
    }

private:
    using Setup = xnn_status (*)(xnn_operator_t, size_t, const float*, float*, pthreadpool_t);
    std::string m_op;
    Setup m_setup = nullptr;
    Operator m_xnn;
    Operator m_add; // HardSigmoid's second step (m_xnn multiplies)
    float m_alpha = 0.0f, m_beta = 0.0f;
    bool m_stays = false;
    std::vector<float> m_scratch;
};

} // namespace

KernelPtr makeUnary(const KernelInfo& info) {
    return std::make_unique<UnaryKernel>(info);
}

Claim claimUnary(const KernelInfo& info) {
    if (info.node.opType != "Clip")
        return Claim::claimed();
    const auto act = ops::activationOf(info.graph, info.node);
    if (!act)
        return Claim::declined(Decline::Input, "min or max is not a constant scalar");
    const auto bounds = clampBounds(*act);
    if (bounds && !(bounds->first < bounds->second))
        return Claim::declined(Decline::Attribute, "Clip [", bounds->first, ", ", bounds->second,
                               "] is empty or NaN (XNNPACK needs min < max)");
    return Claim::claimed();
}

} // namespace lb::backends::xnnpack
