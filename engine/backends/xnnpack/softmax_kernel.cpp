// Softmax through xnn_create_softmax_nc_f32: rows of `channels` contiguous values. Opset 13+
// normalizes one axis, which is such a row only for the last axis; before 13 Softmax flattens
// the input to 2-D at `axis`, which is always one.
#include "backends/xnnpack/kernels.h"
#include "backends/xnnpack/xnn_util.h"
#include "core/error.h"
#include "ops/node_attrs.h"

namespace lb::backends::xnnpack {

namespace {

class SoftmaxKernel : public runtime::Kernel {
public:
    explicit SoftmaxKernel(const KernelInfo& info) : m_attrs(info.graph, info.node) {
        ensureInitialized();
        m_attrs.expectInputs(1, 1);
        m_flatten = m_attrs.opset() < 13;
        m_axis = m_attrs.getInt("axis", m_flatten ? 1 : -1);
    }

    void run(runtime::KernelContext& ctx) override {
        const Tensor& x = ctx.in(0);
        const float* xData = plainData(x, m_plain);
        const int64_t rank = x.rank();
        const int64_t axis = m_axis < 0 ? m_axis + rank : m_axis;
        if (axis < 0 || axis >= rank || (!m_flatten && axis != rank - 1))
            m_attrs.fail("axis ", m_axis, " is not the last axis of ", shapeToString(x.shape()));
        int64_t channels = 1;
        for (int64_t d = axis; d < rank; ++d)
            channels *= x.shape()[static_cast<size_t>(d)];
        Tensor& y = ctx.output(0, DataType::Float32, x.shape());
        if (x.numel() == 0)
            return;
        if (!m_op || channels != m_channels) {
            xnn_operator_t op = nullptr;
            const auto c = static_cast<size_t>(channels);
            check(xnn_create_softmax_nc_f32(c, c, c, 0, &op), "xnn_create_softmax_nc_f32");
            m_op.reset(op);
            m_channels = channels;
        }
        pthreadpool_t pool = threadPool(ctx.threads());
        check(xnn_setup_softmax_nc_f32(m_op.get(), static_cast<size_t>(x.numel() / channels), xData,
                                       y.data<float>(), pool),
              "xnn_setup_softmax_nc_f32");
        check(xnn_run_operator(m_op.get(), pool), "xnn_run_operator (softmax)");
    }

private:
    ops::NodeAttrs m_attrs;
    bool m_flatten = false;
    int64_t m_axis = -1, m_channels = 0;
    Operator m_op;
    std::vector<float> m_plain; // an NHWC input in plain order
};

} // namespace

KernelPtr makeSoftmax(const KernelInfo& info) {
    return std::make_unique<SoftmaxKernel>(info);
}

Claim claimSoftmax(const KernelInfo& info) {
    const ops::NodeAttrs a(info.graph, info.node);
    if (a.opset() < 13)
        return Claim::claimed();
    const int64_t axis = a.getInt("axis", -1);
    if (axis == -1)
        return Claim::claimed();
    const auto& s = info.node.inputs.empty() ? std::nullopt : info.inputValue(0).shape;
    if (!s)
        return Claim::declined(Decline::Shape, "axis ", axis, " with an unknown rank");
    if (axis != static_cast<int64_t>(s->size()) - 1)
        return Claim::declined(Decline::Attribute, "axis ", axis, " of rank ", s->size(),
                               " (XNNPACK's softmax normalizes the last axis only)");
    return Claim::claimed();
}

} // namespace lb::backends::xnnpack
