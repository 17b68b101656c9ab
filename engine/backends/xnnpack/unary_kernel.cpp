// Relu, Clip (constant bounds), LeakyRelu, HardSwish and Sigmoid: XNNPACK's nc element-wise
// operators over the tensor as one run of numel values, in whatever layout the input has.
#include "backends/xnnpack/kernels.h"
#include "backends/xnnpack/xnn_util.h"
#include "core/error.h"
#include "ops/fused_ops.h"

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
        check(m_setup(m_xnn.get(), static_cast<size_t>(x.numel()), x.data<float>(), out, pool),
              "setup (unary)");
        check(xnn_run_operator(m_xnn.get(), pool), "xnn_run_operator (unary)");
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
