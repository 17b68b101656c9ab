// QMul (ops/int8_ops.h), the squeeze-excitation gate, as a plain loop in the backend: a
// 256-entry table per gate byte value (built the first time the byte is seen, then cached for
// the kernel's life), with the spec's float32 arithmetic, so the bytes
// are the reference's exactly (XNNPACK's multiply_nd_qs8 rounds its own way, and has no fused
// residual). Keeping it here keeps cls's and rec's SE blocks in the NHWC chain.
#include "backends/xnnpack/kernels.h"
#include "backends/xnnpack/xnn_util.h"
#include "core/error.h"
#include "ops/node_attrs.h"

#include <array>
#include <cmath>

namespace lb::backends::xnnpack {

namespace {

struct Byte {
    float scale = 1;
    int64_t offset = 0;
    float real(int q) const { return static_cast<float>(q + offset) * scale; }
    int quantize(float v) const {
        const float r = v / scale;
        if (std::isnan(r))
            return 0;
        return static_cast<int>(std::clamp(std::nearbyint(r) - double(offset), 0.0, 255.0));
    }
};

Byte byteAttr(const ops::NodeAttrs& a, const char* scale, const char* offset) {
    const Byte b{a.getFloat(scale, 0.0f), a.getInt(offset, 0)};
    if (!(b.scale > 0.0f) || !std::isfinite(b.scale))
        a.fail(scale, " should be a finite scale > 0, got ", b.scale);
    return b;
}

class QMulKernel : public runtime::Kernel {
public:
    explicit QMulKernel(const KernelInfo& info) : m_attrs(info.graph, info.node) {
        m_attrs.expectInputs(2, 2);
        const std::vector<float> s = m_attrs.getFloats("x_scales");
        const std::vector<int64_t> o = m_attrs.getInts("x_offsets");
        if (s.size() != 2 || o.size() != 2)
            m_attrs.fail("expected 2 x_scales and 2 x_offsets");
        m_x = {s[0], o[0]};
        m_g = {s[1], o[1]};
        for (const Byte& b : {m_x, m_g})
            if (!(b.scale > 0.0f) || !std::isfinite(b.scale))
                m_attrs.fail("x_scales should be finite scales > 0");
        m_y = byteAttr(m_attrs, "y_scale", "y_offset");
        m_residual = m_attrs.getInt("residual", 0) != 0;
        if (m_residual)
            m_m = byteAttr(m_attrs, "m_scale", "m_offset");
        m_stays = outputStays(info);
    }

    void run(runtime::KernelContext& ctx) override {
        const Tensor* x = &ctx.in(0);
        const Tensor& g = ctx.in(1);
        if (x->dtype() != DataType::UInt8 || g.dtype() != DataType::UInt8 || x->rank() != 4 ||
            g.shape() != Shape{x->shape()[0], x->shape()[1], 1, 1})
            m_attrs.fail("expected uint8 X [N,C,H,W] and gate G [N,C,1,1], got ",
                         shapeToString(x->shape()), " and ", shapeToString(g.shape()));
        const bool nhwc = isNhwc(*x) && m_stays;
        Tensor plain;
        if (isNhwc(*x) && !nhwc) {
            plain = plainTensor(*x);
            x = &plain;
        }
        // The gate's N x C x 1 x 1 bytes have one order in both layouts; NHWC ones are signed.
        const uint8_t gateFlip = isNhwc(g) ? 0x80 : 0, flip = nhwc ? 0x80 : 0;
        const Shape& xs = x->shape();
        const int64_t n = xs[0], c = xs[1], hw = xs[2] * xs[3];
        Tensor& y = outputTensor(ctx, 0, xs, nhwc, DataType::UInt8);
        // One 256-entry table per distinct gate byte, built the first time that byte is seen
        // and kept for the kernel's life (a table depends on the byte and the encodings only);
        // before, all C tables were rebuilt every run (21% of cls's int8 time).
        const int lay = nhwc ? 1 : 0;
        std::vector<uint8_t>& tables = m_tables[lay];
        if (tables.empty())
            tables.resize(256 * 256);
        m_rows.resize(static_cast<size_t>(c));
        const uint8_t* in = x->data<uint8_t>();
        uint8_t* out = y.data<uint8_t>();
        for (int64_t b = 0; b < n; ++b) {
            for (int64_t ch = 0; ch < c; ++ch) {
                const int gate = g.data<uint8_t>()[b * c + ch] ^ gateFlip;
                uint8_t* table = &tables[static_cast<size_t>(gate * 256)];
                if (!m_built[lay][static_cast<size_t>(gate)]) {
                    buildTable(gate, flip, table);
                    m_built[lay][static_cast<size_t>(gate)] = true;
                }
                m_rows[static_cast<size_t>(ch)] = table;
            }
            const uint8_t* src = in + b * c * hw;
            uint8_t* dst = out + b * c * hw;
            if (nhwc) {
                for (int64_t p = 0; p < hw; ++p)
                    for (int64_t ch = 0; ch < c; ++ch)
                        dst[p * c + ch] = m_rows[static_cast<size_t>(ch)][src[p * c + ch]];
            } else {
                for (int64_t ch = 0; ch < c; ++ch) {
                    const uint8_t* table = m_rows[static_cast<size_t>(ch)];
                    for (int64_t p = 0; p < hw; ++p)
                        dst[ch * hw + p] = table[src[ch * hw + p]];
                }
            }
        }
    }

private:
    // The output byte for every input byte q at gate byte `gate`, with the spec's float32
    // arithmetic; `flip` 0x80 indexes and stores signed bytes (the NHWC layout), 0 plain ones.
    void buildTable(int gate, uint8_t flip, uint8_t* table) const {
        const float gateReal = m_g.real(gate);
        for (int q = 0; q < 256; ++q) {
            const float real = m_x.real(q), product = real * gateReal;
            const int v = m_residual ? m_y.quantize(real + m_m.real(m_m.quantize(product)))
                                     : m_y.quantize(product);
            table[q ^ flip] = static_cast<uint8_t>(v ^ flip);
        }
    }

    ops::NodeAttrs m_attrs;
    Byte m_x, m_g, m_y, m_m;
    bool m_residual = false, m_stays = false;
    std::vector<uint8_t> m_tables[2];      // [plain, NHWC]: 256 tables of 256 bytes, by gate byte
    std::array<bool, 256> m_built[2] = {}; // which of them are filled
    std::vector<const uint8_t*> m_rows;    // per channel of the current image: its table
};

} // namespace

KernelPtr makeQMul(const KernelInfo& info) {
    return std::make_unique<QMulKernel>(info);
}

Claim claimQMul(const KernelInfo& info) {
    for (ir::ValueId v : info.node.inputs) {
        if (v == ir::kNoValue)
            continue;
        const ir::Value& value = info.graph.value(v);
        if (value.dtype != DataType::UInt8 && value.dtype != DataType::Undefined)
            return Claim::declined(Decline::Dtype, "input ", quoted(value.name), " is ",
                                   dtypeName(value.dtype), " (expected uint8)");
        if (!value.shape || value.shape->size() != 4)
            return Claim::declined(Decline::Shape, "input ", quoted(value.name),
                                   " is not known to be 4-D");
    }
    return Claim::claimed();
}

} // namespace lb::backends::xnnpack
