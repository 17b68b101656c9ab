// The element-wise int8 ops (ops/int8_ops.h) as plain loops in the backend, so an int8 chain does
// not leave XNNPACK (and its NHWC layout) at every border: Quantize, Dequantize, QLut, and the
// simulation's per-tensor FakeQuant. XNNPACK's own converters multiply by 1 / scale where the
// spec divides, so they would not give the spec's bytes at ties; these loops do exactly what the
// spec says (float32 division, round half to even, saturate; NaN -> 0).
//
// Layout: the output takes the input's. An NHWC input gives an NHWC output when every reader is
// this backend's (a uint8 one with its bytes signed, xnn_util.h); otherwise both are plain.
#include "backends/xnnpack/kernels.h"
#include "backends/xnnpack/xnn_util.h"
#include "core/error.h"
#include "ops/encoding.h"
#include "ops/fake_quant_op.h"
#include "ops/int8_ops.h"
#include "ops/node_attrs.h"

#include <array>
#include <cmath>

namespace lb::backends::xnnpack {

namespace {

// round(x / scale) clamped to [lo, hi] (NaN -> lo), as a float: q + offset of the spec.
inline float roundedQuotient(float x, float scale, float lo, float hi) {
    const float v = x / scale;
    if (!(v >= lo)) // NaN too
        return lo;
    return std::nearbyint(v < hi ? v : hi);
}

enum class Kind { Quantize, Dequantize, Lut, FakeQuant };

class ConvertKernel : public runtime::Kernel {
public:
    explicit ConvertKernel(const KernelInfo& info) : m_attrs(info.graph, info.node) {
        const std::string& op = info.node.opType;
        m_stays = outputStays(info);
        if (op == ops::kQLutOp) {
            m_kind = Kind::Lut;
            m_attrs.expectInputs(2, 2);
            return;
        }
        m_attrs.expectInputs(1, 1);
        int bits = 8;
        if (op == ops::kFakeQuantOp) {
            m_kind = Kind::FakeQuant;
            const ops::Encoding e = ops::fakeQuantEncoding(info.node);
            if (e.channels.size() != 1)
                m_attrs.fail("expected a per-tensor encoding");
            m_scale = static_cast<float>(e.channels[0].scale);
            m_offset = e.channels[0].offset;
            bits = e.bitwidth;
        } else {
            m_kind = op == ops::kQuantizeOp ? Kind::Quantize : Kind::Dequantize;
            m_scale = m_attrs.getFloat("scale", 0.0f);
            m_offset = m_attrs.getInt("offset", 0);
        }
        if (!(m_scale > 0.0f) || !std::isfinite(m_scale))
            m_attrs.fail("scale should be a finite scale > 0, got ", m_scale);
        m_lo = static_cast<float>(m_offset);
        m_hi = static_cast<float>(ops::quantMax(bits) + m_offset);
        for (int q = 0; q < 256; ++q)
            m_real[size_t(q)] = static_cast<float>(q + m_offset) * m_scale;
    }

    void run(runtime::KernelContext& ctx) override {
        const Tensor* x = &ctx.in(0);
        const DataType in = m_kind == Kind::Quantize || m_kind == Kind::FakeQuant
                                ? DataType::Float32
                                : DataType::UInt8;
        if (x->dtype() != in)
            m_attrs.fail("expected a ", dtypeName(in), " input X, got ", dtypeName(x->dtype()));
        const bool nhwcOut = isNhwc(*x) && m_stays;
        Tensor plain;
        if (isNhwc(*x) && !nhwcOut) {
            plain = plainTensor(*x);
            x = &plain;
        }
        const DataType out = m_kind == Kind::Dequantize || m_kind == Kind::FakeQuant
                                 ? DataType::Float32
                                 : DataType::UInt8;
        Tensor& y = outputTensor(ctx, 0, x->shape(), nhwcOut, out);
        // In the private layout a byte is stored as q ^ 0x80.
        const uint8_t flip = nhwcOut ? 0x80 : 0;
        const auto n = static_cast<size_t>(x->numel());
        pthreadpool_t pool = threadPool(ctx.threads());
        constexpr size_t kTile = 16384;
        switch (m_kind) {
        case Kind::Quantize: {
            const float* src = x->data<float>();
            uint8_t* dst = y.data<uint8_t>();
            pthreadpool_parallelize_1d_tile_1d(
                pool,
                [&](size_t start, size_t count) {
                    for (size_t i = start; i < start + count; ++i)
                        dst[i] =
                            static_cast<uint8_t>(
                                static_cast<int>(roundedQuotient(src[i], m_scale, m_lo, m_hi)) -
                                m_offset) ^
                            flip;
                },
                n, kTile);
            break;
        }
        case Kind::Dequantize: {
            const uint8_t* src = x->data<uint8_t>();
            float* dst = y.data<float>();
            pthreadpool_parallelize_1d_tile_1d(
                pool,
                [&](size_t start, size_t count) {
                    for (size_t i = start; i < start + count; ++i)
                        dst[i] = m_real[src[i] ^ flip];
                },
                n, kTile);
            break;
        }
        case Kind::FakeQuant: {
            const float* src = x->data<float>();
            float* dst = y.data<float>();
            pthreadpool_parallelize_1d_tile_1d(
                pool,
                [&](size_t start, size_t count) {
                    for (size_t i = start; i < start + count; ++i)
                        dst[i] = roundedQuotient(src[i], m_scale, m_lo, m_hi) * m_scale;
                },
                n, kTile);
            break;
        }
        case Kind::Lut: {
            const Tensor& t = ctx.in(1);
            if (t.dtype() != DataType::UInt8 || t.numel() != 256)
                m_attrs.fail("table T should be 256 uint8 entries, got ", dtypeName(t.dtype()), " ",
                             shapeToString(t.shape()));
            std::array<uint8_t, 256> table;
            for (int q = 0; q < 256; ++q)
                table[size_t(q)] = t.data<uint8_t>()[q ^ flip] ^ flip;
            const uint8_t* src = x->data<uint8_t>();
            uint8_t* dst = y.data<uint8_t>();
            for (size_t i = 0; i < n; ++i)
                dst[i] = table[src[i]];
            break;
        }
        }
    }

private:
    ops::NodeAttrs m_attrs;
    Kind m_kind = Kind::Quantize;
    float m_scale = 1.0f, m_lo = 0.0f, m_hi = 255.0f;
    int64_t m_offset = 0;
    std::array<float, 256> m_real{};
    bool m_stays = false;
};

} // namespace

KernelPtr makeConvert(const KernelInfo& info) {
    return std::make_unique<ConvertKernel>(info);
}

Claim claimConvert(const KernelInfo& info) {
    const std::string& op = info.node.opType;
    const auto typeOf = [&](ir::ValueId v) { return info.graph.value(v).dtype; };
    const auto expect = [&](ir::ValueId v, DataType t, const char* what) {
        const DataType d = typeOf(v);
        return d == t || d == DataType::Undefined
                   ? Claim::claimed()
                   : Claim::declined(Decline::Dtype, what, " ", quoted(info.graph.value(v).name),
                                     " is ", dtypeName(d), " (expected ", dtypeName(t), ")");
    };
    if (info.node.inputs.empty() || info.node.inputs[0] == ir::kNoValue ||
        info.node.outputs.empty())
        return Claim::claimed(); // invalid: the factory says what is missing
    const ir::ValueId x = info.node.inputs[0], y = info.node.outputs[0];
    if (op == ops::kFakeQuantOp) {
        const ops::Encoding e = ops::fakeQuantEncoding(info.node);
        if (e.channels.size() != 1)
            return Claim::declined(Decline::Attribute, "a per-channel encoding (per-tensor only)");
        if (e.bitwidth > 16)
            return Claim::declined(Decline::Attribute, "a ", e.bitwidth,
                                   "-bit encoding (16 bits at most)");
        if (Claim c = expect(x, DataType::Float32, "input"); !c)
            return c;
        return expect(y, DataType::Float32, "output");
    }
    const bool toBytes = op == ops::kQuantizeOp;
    if (Claim c = expect(x, toBytes ? DataType::Float32 : DataType::UInt8, "input"); !c)
        return c;
    if (Claim c =
            expect(y, op == ops::kDequantizeOp ? DataType::Float32 : DataType::UInt8, "output");
        !c)
        return c;
    if (op == ops::kQLutOp && info.node.inputs.size() > 1 && info.node.inputs[1] != ir::kNoValue)
        return expect(info.node.inputs[1], DataType::UInt8, "table");
    return Claim::claimed();
}

} // namespace lb::backends::xnnpack
