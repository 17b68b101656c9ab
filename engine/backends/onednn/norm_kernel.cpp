// BatchNormalization (inference, constant statistics) on the input's own layout, and
// Softmax / LogSoftmax on plain data (opset < 13 flattens to 2-D around the axis). Softmax over
// the last axis runs fp32_rows' loop, 2-3x faster than oneDNN 2.6's primitive on these shapes.
#include "backends/onednn/fp32_rows.h"
#include "backends/onednn/kernels.h"
#include "backends/onednn/layout.h"
#include "backends/onednn/op_attrs.h"

namespace lb::backends::onednn {

namespace {

using dnnl::batch_normalization_forward;
using dnnl::normalization_flags;

class BatchNormKernel : public runtime::Kernel {
public:
    BatchNormKernel(const runtime::KernelInfo& info, std::vector<Tensor> params, float epsilon,
                    bool relu)
        : m_params(std::move(params)), m_epsilon(epsilon), m_relu(relu),
          m_stays(!info.outputStaysInBackend.empty() && info.outputStaysInBackend[0]) {
        if (m_stays)
            if (auto shape = staticShape(info.graph, info.node.outputs[0]))
                m_storageBound = blockedStorageBound(*shape);
    }

    void run(runtime::KernelContext& ctx) override {
        ThreadScope scope(ctx.threads());
        const Tensor& x = ctx.in(0);
        if (x.dtype() != DataType::Float32 || x.rank() < 2 || x.shape()[1] != m_params[0].numel())
            fail("expected a float32 NxCx... input with C = ", m_params[0].numel(), ", got ",
                 shapeToString(x.shape()));
        const memory::desc desc = descOf(x);
        if (!m_prim || !(desc == m_desc)) {
            auto flags = normalization_flags::use_global_stats | normalization_flags::use_scale |
                         normalization_flags::use_shift;
            if (m_relu)
                flags |= normalization_flags::fuse_norm_relu;
            batch_normalization_forward::desc d(dnnl::prop_kind::forward_inference, desc, m_epsilon,
                                                flags);
            m_prim = batch_normalization_forward(
                batch_normalization_forward::primitive_desc(d, cpuEngine()));
            m_desc = desc;
        }
        dnnl::stream& s = cpuStream();
        const memory::desc channel = plainDesc({m_params[0].numel()});
        auto param = [&](size_t i) { return memory(channel, cpuEngine(), m_params[i].rawData()); };
        memory src(desc, cpuEngine(), const_cast<void*>(x.rawData()));
        memory dst = m_out.prepare(ctx, 0, x.shape(), desc, m_stays);
        m_prim.execute(s, {{DNNL_ARG_SRC, src},
                           {DNNL_ARG_SCALE, param(0)},
                           {DNNL_ARG_SHIFT, param(1)},
                           {DNNL_ARG_MEAN, param(2)},
                           {DNNL_ARG_VARIANCE, param(3)},
                           {DNNL_ARG_DST, dst}});
        m_out.finish();
        s.wait();
    }

    size_t outputStorageBytes(size_t output) const override {
        return output == 0 ? m_storageBound : 0;
    }

private:
    std::vector<Tensor> m_params; // scale, B, mean, var
    float m_epsilon;
    bool m_relu; // ai.layerbench BatchNormalization with activation Relu (lowering/fusions.h)
    bool m_stays;
    size_t m_storageBound = 0;
    memory::desc m_desc;
    batch_normalization_forward m_prim;
    OutputWriter m_out;
};

class SoftmaxKernel : public runtime::Kernel {
public:
    SoftmaxKernel(bool log, int64_t axis, bool flatten)
        : m_log(log), m_axis(axis), m_flatten(flatten) {}

    void run(runtime::KernelContext& ctx) override {
        ThreadScope scope(ctx.threads());
        const Tensor& x = ctx.in(0);
        const int64_t rank = std::max<int64_t>(x.rank(), 1);
        if (m_axis < -rank || m_axis >= rank)
            fail("axis ", m_axis, " is out of range for input ", shapeToString(x.shape()));
        int axis = static_cast<int>(m_axis < 0 ? m_axis + rank : m_axis);
        Shape shape = x.shape().empty() ? Shape{1} : x.shape();
        if (m_flatten) {
            int64_t outer = 1, inner = 1;
            for (int d = 0; d < rank; ++d)
                (d < axis ? outer : inner) *= shape[d];
            shape = {outer, inner};
            axis = 1;
        }
        Tensor& y = ctx.output(0, DataType::Float32, x.shape());
        if (x.numel() == 0)
            return;
        if (!m_log && axis + 1 == static_cast<int>(shape.size())) {
            const auto* src = static_cast<const float*>(
                m_convert.convert(x, plainDesc(x.shape())).get_data_handle());
            softmaxRows(src, y.data<float>(), x.numel() / shape.back(), shape.back(),
                        ctx.threads());
            return;
        }
        const memory::desc desc = plainDesc(shape);
        if (!m_prim || !(desc == m_desc)) {
            const auto prop = dnnl::prop_kind::forward_inference;
            if (m_log)
                m_prim = dnnl::logsoftmax_forward(dnnl::logsoftmax_forward::primitive_desc(
                    dnnl::logsoftmax_forward::desc(prop, desc, axis), cpuEngine()));
            else
                m_prim = dnnl::softmax_forward(dnnl::softmax_forward::primitive_desc(
                    dnnl::softmax_forward::desc(prop, desc, axis), cpuEngine()));
            m_desc = desc;
        }
        const memory src(desc, cpuEngine(),
                         m_convert.convert(x, plainDesc(x.shape())).get_data_handle());
        const memory dst(desc, cpuEngine(), y.rawData());
        m_prim.execute(cpuStream(), {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}});
        cpuStream().wait();
    }

private:
    bool m_log;
    int64_t m_axis;
    bool m_flatten;
    memory::desc m_desc;
    dnnl::primitive m_prim;
    InputConverter m_convert;
};

} // namespace

std::vector<Tensor> batchNormParams(const KernelInfo& info, size_t first) {
    const NodeAttrs a(info.graph, info.node);
    std::vector<Tensor> params;
    for (size_t i = first; i < first + 4; ++i) {
        const Tensor* t = info.constantInput(i);
        if (!t || t->dtype() != DataType::Float32 || t->rank() != 1)
            a.fail("scale, B, mean and var should be constant float32 vectors (input ", i,
                   t ? " is " + dtypeName(t->dtype()) + " " + shapeToString(t->shape())
                     : std::string(" is computed"),
                   ")");
        if (!params.empty() && t->numel() != params[0].numel())
            a.fail("scale, B, mean and var must have the same length");
        params.push_back(*t);
    }
    return params;
}

KernelPtr makeBatchNorm(const KernelInfo& info) {
    const NodeAttrs a(info.graph, info.node);
    if (info.inputCount() != 5)
        a.fail("expected X, scale, B, mean and var, got ", info.inputCount(), " inputs");
    std::vector<Tensor> params = batchNormParams(info, 1);
    if (const auto& s = info.inputValue(0).shape;
        s && (s->size() < 2 || ((*s)[1].isKnown() && (*s)[1].value != params[0].numel())))
        a.fail("expected an NxCx... input with C = ", params[0].numel(), ", got ",
               shapeToString(*s));
    const std::string activation = a.getString("activation", "");
    if (!activation.empty() && activation != "Relu")
        a.fail("activation '", activation, "' is not Relu (the only one the primitive fuses)");
    return std::make_unique<BatchNormKernel>(info, std::move(params), a.getFloat("epsilon", 1e-5f),
                                             activation == "Relu");
}

// Inference with global statistics: training mode and statistics computed in the graph are
// declined.
Claim claimBatchNorm(const KernelInfo& info) {
    const NodeAttrs a(info.graph, info.node);
    if (const std::string act = a.getString("activation", ""); !act.empty() && act != "Relu")
        return Claim::declined(Decline::Attribute, "activation ", act,
                               " is not fused into batch normalization (only Relu is)");
    if (a.getInt("training_mode", 0) != 0 ||
        (info.node.outputs.size() > 1 && info.node.outputs[1] != ir::kNoValue))
        return Claim::declined(Decline::Attribute,
                               "training mode (running statistics outputs) is not implemented");
    for (size_t i = 1; i < 5 && i < info.inputCount(); ++i)
        if (!info.constantInput(i))
            return Claim::declined(Decline::Input, "input ", i,
                                   " (scale, B, mean or var) is not a constant initializer");
    return Claim::claimed();
}

KernelPtr makeSoftmax(const KernelInfo& info) {
    const NodeAttrs a(info.graph, info.node);
    if (info.inputCount() != 1)
        a.fail("expected one input, got ", info.inputCount());
    const bool flatten = a.opset() < 13;
    const int64_t axis = a.getInt("axis", flatten ? 1 : -1);
    if (const auto& s = info.inputValue(0).shape) {
        const auto rank = static_cast<int64_t>(std::max<size_t>(s->size(), 1));
        if (axis < -rank || axis >= rank)
            a.fail("axis ", axis, " is out of range for rank ", rank);
    }
    return std::make_unique<SoftmaxKernel>(info.node.opType == "LogSoftmax", axis, flatten);
}

} // namespace lb::backends::onednn
