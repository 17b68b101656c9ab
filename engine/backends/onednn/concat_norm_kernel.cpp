// ai.layerbench ConcatBatchNormalization (lowering/fusions.h: a channel Concat read only by a
// BatchNormalization, DenseNet's dense layers): each input is normalized straight into its
// channel slice of the output, so the features are read once and written once instead of
// copied into the concatenation and then read and written again by the normalization.
// The output is nChw16c when every input's channel count fills 16-channel blocks (the layout
// the following convolution reads), else plain; an input in another layout is reordered first.
// Per batch, an input's slice of either layout is one contiguous run of the output.
#include "backends/onednn/flat_op.h"
#include "backends/onednn/kernels.h"
#include "backends/onednn/layout.h"
#include "backends/onednn/op_attrs.h"
#include "backends/onednn/simd.h"

// GCC 12 reports the deliberately undefined pass-through operand inside the AVX-512 intrinsics as
// "maybe uninitialized" once they are inlined (as in fp32_rows.cpp).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <algorithm>
#include <cmath>
#include <immintrin.h>

namespace lb::backends::onednn {

namespace {

constexpr size_t kParams = 4;                  // scale, B, mean, var come first

// One contiguous run: `channels` channels of `spatial` positions, `block` lanes interleaved
// (1: plain), normalized with the per-channel a (scale / sqrt(var + eps)), mean and beta.
struct Run {
    const float* x;
    float* y;
    const float *a, *mean, *beta; // at the run's first channel
    int64_t channels;
};

// y = a * (x - mean) + beta, then max(y, 0): the order oneDNN's batch normalization computes.
void runPortable(const Run& r, int64_t spatial, int block, bool relu) {
    for (int64_t cb = 0; cb < r.channels; cb += block)
        for (int64_t s = 0; s < spatial; ++s)
            for (int l = 0; l < block; ++l) {
                const int64_t c = cb + l;
                const int64_t at = cb * spatial + s * block + l;
                const float v = r.a[c] * (r.x[at] - r.mean[c]) + r.beta[c];
                r.y[at] = relu ? std::max(v, 0.0f) : v;
            }
}

__attribute__((target("avx512f"))) void runAvx512(const Run& r, int64_t spatial, int block,
                                                  bool relu) {
    const __m512 zero = _mm512_setzero_ps();
    if (block == 16) {
        for (int64_t cb = 0; cb < r.channels; cb += 16) {
            const __m512 a = _mm512_loadu_ps(r.a + cb), m = _mm512_loadu_ps(r.mean + cb),
                         b = _mm512_loadu_ps(r.beta + cb);
            const float* x = r.x + cb * spatial;
            float* y = r.y + cb * spatial;
            for (int64_t s = 0; s < spatial; ++s) {
                __m512 v = _mm512_fmadd_ps(a, _mm512_sub_ps(_mm512_loadu_ps(x + s * 16), m), b);
                _mm512_storeu_ps(y + s * 16, relu ? _mm512_max_ps(v, zero) : v);
            }
        }
        return;
    }
    for (int64_t c = 0; c < r.channels; ++c) {
        const __m512 a = _mm512_set1_ps(r.a[c]), m = _mm512_set1_ps(r.mean[c]),
                     b = _mm512_set1_ps(r.beta[c]);
        const float* x = r.x + c * spatial;
        float* y = r.y + c * spatial;
        for (int64_t s = 0; s < spatial; s += 16) {
            const __mmask16 k =
                spatial - s >= 16 ? __mmask16(0xffff) : __mmask16((1u << (spatial - s)) - 1);
            __m512 v = _mm512_fmadd_ps(a, _mm512_sub_ps(_mm512_maskz_loadu_ps(k, x + s), m), b);
            _mm512_mask_storeu_ps(y + s, k, relu ? _mm512_max_ps(v, zero) : v);
        }
    }
}

class ConcatNormKernel : public runtime::Kernel {
public:
    ConcatNormKernel(const runtime::KernelInfo& info, std::vector<float> a, Tensor mean,
                     Tensor beta, bool relu)
        : m_a(std::move(a)), m_mean(std::move(mean)), m_beta(std::move(beta)), m_relu(relu),
          m_stays(!info.outputStaysInBackend.empty() && info.outputStaysInBackend[0]) {}

    void run(runtime::KernelContext& ctx) override {
        ThreadScope scope(ctx.threads());
        const size_t count = ctx.inputCount() - kParams;
        const Tensor& first = ctx.in(kParams);
        Shape outShape = first.shape();
        if (outShape.size() < 2)
            fail("input 0 of the concatenation has shape ", shapeToString(outShape),
                 " (expected N x C x ...)");
        outShape[1] = 0;
        bool blocked = first.rank() == 4;
        for (size_t i = 0; i < count; ++i) {
            const Tensor& t = ctx.in(kParams + i);
            bool ok = t.dtype() == DataType::Float32 && t.rank() == first.rank();
            for (int64_t d = 0; ok && d < t.rank(); ++d)
                ok = d == 1 || t.shape()[d] == first.shape()[d];
            if (!ok)
                fail("input ", i, " of shape ", shapeToString(t.shape()),
                     " cannot be concatenated with ", shapeToString(first.shape()),
                     " on axis 1 (float32 inputs only)");
            outShape[1] += t.shape()[1];
            blocked = blocked && t.shape()[1] % 16 == 0;
        }
        if (outShape[1] != static_cast<int64_t>(m_a.size()))
            fail("the concatenation has ", outShape[1], " channels, the normalization ",
                 m_a.size());
        const int block = blocked ? 16 : 1;
        const auto want = [&](const Shape& s) {
            return blocked ? memory::desc(toDims(s), memory::data_type::f32,
                                          memory::format_tag::aBcd16b)
                           : plainDesc(s);
        };
        const int64_t batch = outShape[0];
        int64_t spatial = 1;
        for (size_t d = 2; d < outShape.size(); ++d)
            spatial *= outShape[d];
        m_convert.resize(count);
        const memory dst = m_out.prepare(ctx, 0, outShape, want(outShape), m_stays);
        auto* out = static_cast<float*>(dst.get_data_handle());
        std::vector<Run> runs;
        int64_t offset = 0;
        for (size_t i = 0; i < count; ++i) {
            const Tensor& t = ctx.in(kParams + i);
            const int64_t c = t.shape()[1];
            const auto* x = static_cast<const float*>(
                m_convert[i].convert(t, want(t.shape())).get_data_handle());
            for (int64_t n = 0; n < batch; ++n)
                runs.push_back({x + n * c * spatial, out + (n * outShape[1] + offset) * spatial,
                                m_a.data() + offset, m_mean.data<float>() + offset,
                                m_beta.data<float>() + offset, c});
            offset += c;
        }
        const bool simd = simdAvailable(Simd::Avx512);
        const auto one = [&](const Run& r) {
            if (simd)
                runAvx512(r, spatial, block, m_relu);
            else
                runPortable(r, spatial, block, m_relu);
        };
        const int threads =
            batch * outShape[1] * spatial >= kParallelElements ? std::max(1, ctx.threads()) : 1;
        if (threads <= 1) {
            for (const Run& r : runs)
                one(r);
        } else {
            // Split each run into channel blocks so the parts are even whatever the inputs' sizes.
            std::vector<Run> parts;
            for (const Run& r : runs)
                for (int64_t c = 0; c < r.channels; c += block)
                    parts.push_back({r.x + c * spatial, r.y + c * spatial, r.a + c, r.mean + c,
                                     r.beta + c, std::min<int64_t>(block, r.channels - c)});
            const auto size = static_cast<int64_t>(parts.size());
#pragma omp parallel for num_threads(threads) schedule(static)
            for (int64_t p = 0; p < size; ++p)
                one(parts[static_cast<size_t>(p)]);
        }
        m_out.finish();
        cpuStream().wait();
    }

    size_t outputStorageBytes(size_t) const override {
        return 0;
    } // 16-blocked only unpadded

    std::string implementation() const override {
        return "lb:concat_norm";
    }

private:
    std::vector<float> m_a; // scale / sqrt(var + epsilon)
    Tensor m_mean, m_beta;
    bool m_relu;
    bool m_stays;
    std::vector<InputConverter> m_convert;
    OutputWriter m_out;
};

} // namespace

KernelPtr makeConcatNorm(const KernelInfo& info) {
    const NodeAttrs a(info.graph, info.node);
    if (info.inputCount() < kParams + 1)
        a.fail("expected scale, B, mean, var and at least one input to concatenate, got ",
               info.inputCount(), " inputs");
    std::vector<Tensor> params = batchNormParams(info, 0);
    const float epsilon = a.getFloat("epsilon", 1e-5f);
    std::vector<float> scale(static_cast<size_t>(params[0].numel()));
    for (size_t c = 0; c < scale.size(); ++c)
        scale[c] = params[0].data<float>()[c] / std::sqrt(params[3].data<float>()[c] + epsilon);
    const std::string activation = a.getString("activation", "");
    if (!activation.empty() && activation != "Relu")
        a.fail("activation '", activation, "' is not Relu (the only one this kernel applies)");
    return std::make_unique<ConcatNormKernel>(info, std::move(scale), std::move(params[2]),
                                              std::move(params[1]), activation == "Relu");
}

// Channel concatenation (axis 1) with constant statistics and at most a Relu after.
Claim claimConcatNorm(const KernelInfo& info) {
    const NodeAttrs a(info.graph, info.node);
    if (const std::string act = a.getString("activation", ""); !act.empty() && act != "Relu")
        return Claim::declined(Decline::Attribute, "activation ", act, " is not Relu");
    if (a.getInt("axis", 1) != 1)
        return Claim::declined(Decline::Attribute, "only channel concatenation (axis 1) is fused");
    for (size_t i = 0; i < kParams && i < info.inputCount(); ++i)
        if (!info.constantInput(i))
            return Claim::declined(Decline::Input, "input ", i,
                                   " (scale, B, mean or var) is not a constant initializer");
    return Claim::claimed();
}

} // namespace lb::backends::onednn
