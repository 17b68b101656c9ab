// FakeQuant (ops/fake_quant_op.h) with a per-tensor encoding on the oneDNN backend, so the
// simulated parts of an int8 graph (and the plain simulation) do not leave the backend for every
// quantized tensor. The arithmetic is ops/encoding.h's (float32 division, round half to even),
// element by element, so the result is bit for bit the reference kernel's. Per-tensor means the
// layout does not matter: a blocked input is processed in place of its storage and the output keeps
// that layout.
#include "backends/onednn/int8_layout.h"
#include "backends/onednn/kernels.h"
#include "backends/onednn/op_attrs.h"
#include "ops/fake_quant_op.h"

#include <algorithm>
#include <cmath>

namespace lb::backends::onednn {

namespace {

class FakeQuantKernel : public runtime::Kernel {
public:
    explicit FakeQuantKernel(const runtime::KernelInfo& info) : m_attrs(info.graph, info.node) {
        const ops::Encoding e = ops::fakeQuantEncoding(info.node); // per-tensor: claimFakeQuant
        m_params = e.channels[0];
        m_max = static_cast<double>(ops::quantMax(e.bitwidth));
        m_stays = !info.outputStaysInBackend.empty() && info.outputStaysInBackend[0];
        if (const auto shape = staticShape(info.graph, info.node.outputs[0]); shape && m_stays)
            m_bound = blockedStorageBound(*shape);
    }

    void run(runtime::KernelContext& ctx) override {
        const Tensor& x = ctx.in(0);
        if (x.dtype() != DataType::Float32)
            fail("FakeQuant takes float32, got ", dtypeName(x.dtype()));
        const float* in = nullptr;
        float* out = nullptr;
        int64_t n = x.numel();
        if (!x.isPlain() && m_stays) {
            const memory::desc d = descOf(x);
            n = static_cast<int64_t>(d.get_size() / sizeof(float));
            in = x.data<float>();
            out = ctx.output(0, DataType::Float32, x.shape(), makeLayout(d), d.get_size())
                      .data<float>();
        } else {
            ThreadScope scope(ctx.threads());
            in = static_cast<const float*>(
                m_plain.convert(x, plainDesc(x.shape())).get_data_handle());
            out = ctx.output(0, DataType::Float32, x.shape()).data<float>();
        }
        const float scale = static_cast<float>(m_params.scale);
        const float lo = static_cast<float>(m_params.offset), hi = static_cast<float>(m_max) + lo;
#pragma omp parallel for simd schedule(static) num_threads(ctx.threads())
        for (int64_t i = 0; i < n; ++i)
            out[i] = quantizeRounded(in[i], scale, lo, hi) * scale;
    }

    // A blocked output is as large as its blocked input, which is not known here.
    size_t outputStorageBytes(size_t) const override {
        return m_bound;
    }

private:
    NodeAttrs m_attrs;
    ops::ChannelParams m_params;
    double m_max = 255;
    bool m_stays = false;
    size_t m_bound = 0;
    InputConverter m_plain;
};

} // namespace

KernelPtr makeFakeQuant(const KernelInfo& info) {
    return std::make_unique<FakeQuantKernel>(info);
}

// Per-tensor encodings of up to 16 bits; per-channel and wider ones run on the reference backend.
Claim claimFakeQuant(const KernelInfo& info) {
    const ops::Encoding e = ops::fakeQuantEncoding(info.node);
    if (e.channels.size() != 1)
        return Claim::declined(Decline::Attribute, "a per-channel encoding (per-tensor only)");
    if (e.bitwidth > 16)
        return Claim::declined(Decline::Attribute, "a ", e.bitwidth,
                               "-bit encoding (16 bits at most)");
    return Claim::claimed();
}

} // namespace lb::backends::onednn
