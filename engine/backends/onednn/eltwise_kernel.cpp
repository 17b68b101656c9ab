// Activations as oneDNN eltwise primitives, run on whatever layout the input arrives in (a
// blocked tensor from a Conv stays blocked). HardSigmoid is two steps (linear, then clip).
// A blocked layout with padded channels (60 channels in blocks of 16) gets only oneDNN's
// reference eltwise (10x slower), so such a tensor is processed as one flat array, padding
// included, and the padding is zeroed again afterwards.
#include "backends/onednn/fp32_rows.h"
#include "backends/onednn/kernels.h"
#include "backends/onednn/layout.h"
#include "backends/onednn/op_attrs.h"

namespace lb::backends::onednn {

namespace {

using dnnl::eltwise_forward;

// Clip's min/max: attributes before opset 11, optional constant scalar inputs after.
std::vector<float> clipParams(const runtime::KernelInfo& info, const NodeAttrs& a) {
    if (a.opset() < 11)
        return {a.getFloat("min", std::numeric_limits<float>::lowest()),
                a.getFloat("max", std::numeric_limits<float>::max())};
    std::vector<float> params{std::numeric_limits<float>::lowest(),
                              std::numeric_limits<float>::max()};
    for (size_t i = 1; i <= 2; ++i) {
        if (!info.hasInput(i))
            continue;
        const Tensor* t = info.constantInput(i); // claimEltwise declined computed bounds
        if (t->dtype() != DataType::Float32 || t->numel() != 1)
            a.fail(i == 1 ? "min" : "max", " should be one float32 value, got ",
                   dtypeName(t->dtype()), " ", shapeToString(t->shape()));
        params[i - 1] = t->data<float>()[0];
    }
    return params;
}

std::vector<float> onnxParams(const runtime::KernelInfo& info, const NodeAttrs& a) {
    const std::string& op = info.node.opType;
    if (op == "LeakyRelu")
        return {a.getFloat("alpha", 0.01f)};
    if (op == "HardSigmoid")
        return {a.getFloat("alpha", 0.2f), a.getFloat("beta", 0.5f)};
    if (op == "Clip")
        return clipParams(info, a);
    return {};
}

// For a layout that blocks only the channel axis (aBcd16b and friends), zeroes the padding lanes
// of the last channel block; returns false for any other padded layout (nothing written).
bool zeroChannelPadding(const memory::desc& desc, float* data, bool dryRun) {
    const dnnl_memory_desc_t& d = desc.data;
    if (d.format_kind != dnnl_blocked || d.ndims < 2 || d.offset0 != 0)
        return false;
    const dnnl_blocking_desc_t& blk = d.format_desc.blocking;
    if (blk.inner_nblks != 1 || blk.inner_idxs[0] != 1)
        return false;
    for (int i = 0; i < d.ndims; ++i)
        if (i != 1 && (d.padded_dims[i] != d.dims[i] || d.padded_offsets[i] != 0))
            return false;
    const int64_t block = blk.inner_blks[0], channels = d.dims[1];
    if (d.padded_dims[1] != (channels + block - 1) / block * block)
        return false;
    if (dryRun || channels % block == 0)
        return true;
    // Every index of the axes other than 1, at the last channel block.
    int64_t positions = 1;
    for (int i = 0; i < d.ndims; ++i)
        positions *= i == 1 ? 1 : d.dims[i];
    for (int64_t p = 0; p < positions; ++p) {
        int64_t rest = p, offset = (channels / block) * blk.strides[1];
        for (int i = d.ndims - 1; i >= 0; --i) {
            if (i == 1)
                continue;
            offset += (rest % d.dims[i]) * blk.strides[i];
            rest /= d.dims[i];
        }
        std::fill(data + offset + channels % block, data + offset + block, 0.0f);
    }
    return true;
}

class EltwiseKernel : public runtime::Kernel {
public:
    EltwiseKernel(const runtime::KernelInfo& info, std::vector<EltwiseStep> steps)
        : m_steps(std::move(steps)),
          m_sigmoid(m_steps.size() == 1 &&
                    m_steps[0].algorithm == dnnl::algorithm::eltwise_logistic),
          m_stays(!info.outputStaysInBackend.empty() && info.outputStaysInBackend[0]) {
        if (m_stays)
            if (auto shape = staticShape(info.graph, info.node.outputs[0]))
                m_storageBound = blockedStorageBound(*shape);
    }

    void run(runtime::KernelContext& ctx) override {
        ThreadScope scope(ctx.threads());
        const Tensor& x = ctx.in(0);
        if (x.dtype() != DataType::Float32)
            fail("expected a float32 input, got ", dtypeName(x.dtype()));
        if (x.numel() == 0) {
            ctx.output(0, DataType::Float32, x.shape());
            return;
        }
        const memory::desc desc = descOf(x);
        if (m_prims.empty() || !(desc == m_desc)) {
            const bool padded = desc.get_size() != static_cast<size_t>(x.numel()) * sizeof(float) &&
                                zeroChannelPadding(desc, nullptr, true);
            m_flat = padded ? memory::desc({static_cast<memory::dim>(desc.get_size() / 4)},
                                           memory::data_type::f32, memory::format_tag::a)
                            : desc;
            m_prims.clear();
            for (const EltwiseStep& s : m_steps) {
                eltwise_forward::desc d(dnnl::prop_kind::forward_inference, s.algorithm, m_flat,
                                        s.alpha, s.beta);
                m_prims.emplace_back(eltwise_forward::primitive_desc(d, cpuEngine()));
            }
            m_desc = desc;
        }
        dnnl::stream& s = cpuStream();
        const bool zeroable =
            !(m_flat == desc) || desc.get_size() == static_cast<size_t>(x.numel()) * sizeof(float);
        if (m_sigmoid && zeroable) { // fp32_rows' loop: no primitive call for small tensors
            const memory out = m_out.prepare(ctx, 0, x.shape(), desc, m_stays);
            sigmoidFlat(x.data<float>(), static_cast<float*>(out.get_data_handle()),
                        static_cast<int64_t>(m_flat.get_size() / sizeof(float)));
            if (!(m_flat == desc))
                zeroChannelPadding(desc, static_cast<float*>(out.get_data_handle()), false);
            m_out.finish();
            s.wait();
            return;
        }
        const memory src(m_flat, cpuEngine(), const_cast<void*>(x.rawData()));
        const memory out = m_out.prepare(ctx, 0, x.shape(), desc, m_stays);
        const memory dst(m_flat, cpuEngine(), out.get_data_handle());
        for (size_t k = 0; k < m_prims.size(); ++k)
            m_prims[k].execute(s, {{DNNL_ARG_SRC, k == 0 ? src : dst}, {DNNL_ARG_DST, dst}});
        if (!(m_flat == desc)) {
            s.wait();
            zeroChannelPadding(desc, static_cast<float*>(out.get_data_handle()), false);
        }
        m_out.finish();
        s.wait();
    }

    size_t outputStorageBytes(size_t output) const override {
        return output == 0 ? m_storageBound : 0;
    }

private:
    std::vector<EltwiseStep> m_steps;
    bool m_sigmoid; // runs fp32_rows' sigmoidFlat
    bool m_stays;
    size_t m_storageBound = 0;
    memory::desc m_desc, m_flat; // m_flat: the input's descriptor, or its padded bytes as 1-D
    std::vector<eltwise_forward> m_prims;
    OutputWriter m_out;
};

} // namespace

KernelPtr makeEltwise(const KernelInfo& info) {
    const NodeAttrs a(info.graph, info.node);
    if (info.inputCount() < 1 || !info.hasInput(0))
        a.fail("expected an input X");
    if (info.node.opType != "Clip" && info.inputCount() != 1)
        a.fail("expected one input, got ", info.inputCount());
    std::vector<EltwiseStep> steps = activationSteps(a, info.node.opType, onnxParams(info, a));
    return std::make_unique<EltwiseKernel>(info, std::move(steps));
}

// Clip's bounds become the primitive's parameters, so they must be constants (opset >= 11).
Claim claimEltwise(const KernelInfo& info) {
    if (info.node.opType != "Clip" || NodeAttrs(info.graph, info.node).opset() < 11)
        return Claim::claimed();
    for (size_t i = 1; i <= 2 && i < info.inputCount(); ++i)
        if (info.hasInput(i) && !info.constantInput(i))
            return Claim::declined(Decline::Input, i == 1 ? "min" : "max",
                                   " is not a constant initializer");
    return Claim::claimed();
}

} // namespace lb::backends::onednn
