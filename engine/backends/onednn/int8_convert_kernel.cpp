// Quantize (f32 -> u8) and Dequantize (u8 -> f32) at the borders of the int8 graph
// (ops/int8_ops.h). The arithmetic is ops/encoding.h's (float32 division, round half to even,
// the dequantized value a float32 product), so the floats the simulated nodes see are bit for bit
// the ones the FakeQuant simulation gives them; oneDNN reorders only change the layout (a
// reorder with a zero point gave wrong values for 64 channels in oneDNN 2.6). A Quantize output
// that stays in the backend is written NHWC, the layout oneDNN's int8 convolutions take.
#include "backends/onednn/int8_layout.h"
#include "backends/onednn/int8_vector.h"
#include "backends/onednn/kernels.h"
#include "backends/onednn/op_attrs.h"
#include "ops/encoding.h"

#include <algorithm>
#include <cmath>

namespace lb::backends::onednn {

namespace {

using tag = memory::format_tag;
using dt = memory::data_type;

class ConvertKernel : public runtime::Kernel {
public:
    explicit ConvertKernel(const runtime::KernelInfo& info) : m_attrs(info.graph, info.node) {
        m_quantize = info.node.opType == "Quantize";
        const float scale = m_attrs.getFloat("scale", 0.0f);
        if (!(scale > 0))
            m_attrs.fail("expected a scale > 0");
        m_params = ops::paramsFromScaleOffset(scale, m_attrs.getInt("offset", 0), 8);
        m_stays = !info.outputStaysInBackend.empty() && info.outputStaysInBackend[0];
    }

    void run(runtime::KernelContext& ctx) override {
        ThreadScope scope(ctx.threads());
        const Tensor& x = ctx.in(0);
        const DataType want = m_quantize ? DataType::Float32 : DataType::UInt8;
        if (x.dtype() != want)
            fail("expected a ", dtypeName(want), " input, got ", dtypeName(x.dtype()));
        const int64_t n = x.numel();
        if (!m_quantize) {
            float table[256];
            for (int v = 0; v < 256; ++v)
                table[v] = static_cast<float>(ops::dequantizeValue(v, m_params));
            float* y = ctx.output(0, DataType::Float32, x.shape()).data<float>();
            const Shape& s = x.shape();
            if (s.size() == 4 && !x.isPlain() &&
                descOf(x) == memory::desc(toDims(s), dt::u8, tag::nhwc)) {
                // NHWC bytes to plain NCHW floats in one pass.
                const uint8_t* q = x.data<uint8_t>();
                const int64_t c = s[1], pixels = s[2] * s[3];
#pragma omp parallel for collapse(2) schedule(static)
                for (int64_t b = 0; b < s[0]; ++b)
                    for (int64_t k = 0; k < c; ++k) {
                        const uint8_t* src = q + b * pixels * c + k;
                        float* dst = y + (b * c + k) * pixels;
                        for (int64_t p = 0; p < pixels; ++p)
                            dst[p] = table[src[p * c]];
                    }
                return;
            }
            const uint8_t* q = static_cast<const uint8_t*>(
                m_plain.convert(x, plainDescOf(s, DataType::UInt8)).get_data_handle());
#pragma omp parallel for schedule(static)
            for (int64_t i = 0; i < n; ++i)
                y[i] = table[q[i]];
            return;
        }
        const float* in =
            static_cast<const float*>(m_plain.convert(x, plainDesc(x.shape())).get_data_handle());
        const memory::desc plain = plainDescOf(x.shape(), DataType::UInt8);
        const vec::Byte e{static_cast<float>(m_params.scale), static_cast<float>(m_params.offset)};
        if (!m_stays || x.rank() != 4) {
            vec::quantizeFloats(in, ctx.output(0, DataType::UInt8, x.shape()).data<uint8_t>(), n,
                                e);
            return;
        }
        // Staying in the backend: NHWC, the layout the int8 convolutions read.
        const Shape& s = x.shape();
        const memory::desc nhwc(toDims(s), dt::u8, tag::nhwc);
        uint8_t* y =
            ctx.output(0, DataType::UInt8, s, makeLayout(nhwc), plain.get_size()).data<uint8_t>();
        const int64_t pixels = s[2] * s[3];
        for (int64_t b = 0; b < s[0]; ++b)
            vec::quantizePlanes(in + b * s[1] * pixels, s[1], pixels, y + b * s[1] * pixels, e);
    }

private:
    NodeAttrs m_attrs;
    bool m_quantize = true, m_stays = false;
    ops::ChannelParams m_params;
    InputConverter m_plain;
};

} // namespace

KernelPtr makeQuantizeConvert(const KernelInfo& info) {
    return std::make_unique<ConvertKernel>(info);
}

} // namespace lb::backends::onednn
