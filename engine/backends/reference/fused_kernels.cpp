#include "backends/reference/fused_kernels.h"

#include "backends/reference/kernel_util.h"
#include "backends/reference/kernels.h"
#include "core/error.h"
#include "ops/fused_ops.h"

#include <algorithm>
#include <cstring>
#include <optional>

namespace lb::backends::reference {

namespace {

class FusedKernel : public runtime::Kernel {
public:
    // rowBias: the input after the base op's is a bias added to every row (FusedMatMul), not a
    // residual Z of the output's shape.
    FusedKernel(const runtime::KernelInfo& info, const char* baseOp, size_t baseInputs,
                KernelFactory factory, bool rowBias = false)
        : m_base(info.node), m_activation(ops::fusedActivation(info.node)), m_rowBias(rowBias) {
        // The base kernel sees a plain ONNX node with the base op's inputs; it is kept alive here
        // because kernels may hold on to their node.
        m_base.opType = baseOp;
        m_base.domain.clear();
        m_base.attributes.erase(std::remove_if(m_base.attributes.begin(), m_base.attributes.end(),
                                               [](const ir::Attribute& a) {
                                                   return a.name == "activation" ||
                                                          a.name == "activation_params" ||
                                                          a.name == "output_affine";
                                               }),
                                m_base.attributes.end());
        m_hasZ =
            info.node.inputs.size() > baseInputs && info.node.inputs[baseInputs] != ir::kNoValue;
        m_zSlot = baseInputs;
        if (const ir::Attribute* affine = info.node.attribute("output_affine")) {
            if (affine->floats.size() != 2)
                fail("node ", quoted(info.node.name), " (", info.node.opType,
                     "): output_affine takes [scale, shift], got ", affine->floats.size(),
                     " values");
            m_affine = {affine->floats[0], affine->floats[1]};
        }
        if (m_base.inputs.size() > baseInputs)
            m_base.inputs.resize(baseInputs);
        while (!m_base.inputs.empty() && m_base.inputs.back() == ir::kNoValue)
            m_base.inputs.pop_back();
        m_inner = factory(runtime::KernelInfo{info.graph, m_base, info.threads});
    }

    void run(runtime::KernelContext& ctx) override {
        std::vector<const Tensor*> inputs;
        for (size_t i = 0; i < m_base.inputs.size(); ++i)
            inputs.push_back(ctx.input(i));
        std::vector<Tensor> outputs(1);
        Tensor* y = nullptr;
        runtime::KernelContext inner(
            inputs, outputs,
            [&](size_t, DataType type, const Shape& shape, size_t) {
                y = &ctx.output(0, type, shape);
                return *y;
            },
            ctx.threads());
        m_inner->run(inner);
        if (!y)
            fail("fused kernel: the base kernel produced no output");
        float* out = y->data<float>();
        const int64_t n = y->numel();
        if (m_hasZ && m_rowBias) {
            const Tensor* bias = ctx.input(m_zSlot);
            const int64_t cols = y->rank() > 0 ? y->shape().back() : 1;
            if (!bias || bias->numel() != cols || bias->dtype() != DataType::Float32)
                fail("Bias must be float32 with ", cols,
                     " values (the output's last dimension), got ",
                     bias ? shapeToString(bias->shape()) : std::string("none"));
            const float* bp = bias->data<float>();
            for (int64_t i = 0; i < n; ++i)
                out[i] += bp[i % cols];
        }
        // The residual: FusedMatMul's after its Bias.
        if (const size_t zSlot = m_zSlot + (m_rowBias ? 1 : 0);
            m_hasZ && zSlot < ctx.inputCount() && ctx.input(zSlot)) {
            const Tensor* z = ctx.input(zSlot);
            if (!z || z->numel() != n || z->dtype() != DataType::Float32)
                fail("residual input Z must be float32 with the output's shape ",
                     shapeToString(y->shape()));
            const float* zp = z->data<float>();
            for (int64_t i = 0; i < n; ++i)
                out[i] += zp[i];
        }
        if (m_activation.kind != ops::ActivationKind::None)
            for (int64_t i = 0; i < n; ++i)
                out[i] = m_activation.apply(out[i]);
        if (m_affine)
            for (int64_t i = 0; i < n; ++i)
                out[i] = out[i] * m_affine->first + m_affine->second;
    }

private:
    ir::Node m_base;
    ops::Activation m_activation;
    std::optional<std::pair<float, float>> m_affine; // output_affine: scale, shift
    bool m_rowBias = false;
    bool m_hasZ = false;
    size_t m_zSlot = 0;
    std::unique_ptr<runtime::Kernel> m_inner;
};

} // namespace

std::unique_ptr<runtime::Kernel> makeFusedConv(const runtime::KernelInfo& info) {
    return std::make_unique<FusedKernel>(info, "Conv", 3, makeConv);
}

std::unique_ptr<runtime::Kernel> makeFusedGemm(const runtime::KernelInfo& info) {
    return std::make_unique<FusedKernel>(info, "Gemm", 3, makeGemm);
}

std::unique_ptr<runtime::Kernel> makeFusedMatMul(const runtime::KernelInfo& info) {
    return std::make_unique<FusedKernel>(info, "MatMul", 2, makeMatMul, true);
}

std::unique_ptr<runtime::Kernel> makeGelu(const runtime::KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    return makeKernel([](runtime::KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        Tensor& y = ctx.output(0, DataType::Float32, x.shape());
        const ops::Activation gelu{ops::ActivationKind::Gelu};
        const float* in = x.data<float>();
        float* out = y.data<float>();
        for (int64_t i = 0; i < x.numel(); ++i)
            out[i] = gelu.apply(in[i]);
    });
}

std::unique_ptr<runtime::Kernel> makeChannelShuffle(const runtime::KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    const int64_t group = a.getInt("group", 0);
    if (group < 1)
        a.fail("group must be at least 1, got ", group);
    return makeKernel([group](runtime::KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        if (x.rank() < 2 || x.shape()[1] % group != 0)
            fail("input ", shapeToString(x.shape()), " has no channel axis divisible by group ",
                 group);
        const int64_t channels = x.shape()[1], perGroup = channels / group;
        const int64_t inner = product(x.shape(), 2, x.shape().size());
        const size_t bytes = static_cast<size_t>(inner) * dtypeSize(x.dtype());
        Tensor& y = ctx.output(0, x.dtype(), x.shape());
        const auto* in = static_cast<const std::byte*>(x.rawData());
        auto* out = static_cast<std::byte*>(y.rawData());
        for (int64_t n = 0; n < x.shape()[0]; ++n)
            for (int64_t c = 0; c < channels; ++c) {
                const int64_t from = (c % group) * perGroup + c / group;
                std::memcpy(out + static_cast<size_t>(n * channels + c) * bytes,
                            in + static_cast<size_t>(n * channels + from) * bytes, bytes);
            }
    });
}

} // namespace lb::backends::reference
