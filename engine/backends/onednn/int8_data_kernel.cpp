// QAdd, QConcat and QResize (quant/int8_ops.h) on uint8 tensors. Each input's values go through
// a 256-entry table: its dequantized float (the float32 product quant/encoding.h gives), or for
// QConcat / QResize directly the requantized output byte. QAdd adds the two dequantized floats in
// float32 and quantizes with quant/encoding.h's rule (tabulated for all 256 x 256 input pairs),
// so every output byte is the one the simulation (float op between FakeQuants) gives. Inputs in a
// private layout are brought to plain row-major uint8 (a one-byte-per-element reorder); outputs are
// plain, but for QAdd on two inputs in one dense private layout (QConv's NHWC), which keeps it.
#include "backends/onednn/int8_layout.h"
#include "backends/onednn/kernels.h"
#include "backends/onednn/op_attrs.h"

#include <cstring>

namespace lb::backends::onednn {

namespace {

struct Table {
    float real[256];
    uint8_t requantized[256];
};

class QDataKernel : public runtime::Kernel {
public:
    explicit QDataKernel(const runtime::KernelInfo& info) : m_attrs(info.graph, info.node) {
        const std::string& op = info.node.opType;
        m_kind = op == "QAdd" ? Kind::Add : op == "QConcat" ? Kind::Concat : Kind::Resize;
        const std::vector<float> scales = m_attrs.getFloats("x_scales");
        const std::vector<int64_t> offsets = m_attrs.getInts("x_offsets");
        m_yScale = m_attrs.getFloat("y_scale", 0.0f);
        m_yLo = static_cast<float>(m_attrs.getInt("y_offset", 0));
        if (scales.size() != info.inputCount() || offsets.size() != scales.size() ||
            !(m_yScale > 0))
            m_attrs.fail("expected one x_scales / x_offsets entry per input and y_scale > 0");
        if (m_kind == Kind::Add && info.inputCount() != 2)
            m_attrs.fail("expected 2 inputs, got ", info.inputCount());
        m_tables.resize(scales.size());
        m_converters.resize(scales.size());
        for (size_t k = 0; k < scales.size(); ++k)
            for (int v = 0; v < 256; ++v) {
                const float real = static_cast<float>(v + offsets[k]) * scales[k];
                m_tables[k].real[v] = real;
                m_tables[k].requantized[v] = quantize(real);
            }
        if (m_kind == Kind::Add) {
            // The output byte is a function of the two input bytes: one 64 KiB table.
            m_sums.resize(256 * 256);
            for (int a = 0; a < 256; ++a)
                for (int b = 0; b < 256; ++b)
                    m_sums[a * 256 + b] = quantize(m_tables[0].real[a] + m_tables[1].real[b]);
        }
        m_axis = m_attrs.getInt("axis", 1);
        m_stays = !info.outputStaysInBackend.empty() && info.outputStaysInBackend[0];
        if (m_kind == Kind::Resize) {
            const auto out = staticShape(info.graph, info.node.outputs[0]);
            if (!out || out->size() != 4)
                m_attrs.fail("expected a static 4-D output shape");
            m_outShape = *out;
        }
    }

    void run(runtime::KernelContext& ctx) override {
        ThreadScope scope(ctx.threads());
        if (m_kind == Kind::Add && sameDenseLayout(ctx))
            return;
        std::vector<const uint8_t*> in;
        for (size_t k = 0; k < m_tables.size(); ++k) {
            const Tensor& x = ctx.in(k);
            if (x.dtype() != DataType::UInt8)
                fail("expected uint8 input ", k, ", got ", dtypeName(x.dtype()));
            in.push_back(
                static_cast<const uint8_t*>(m_converters[k]
                                                .convert(x, plainDescOf(x.shape(), DataType::UInt8))
                                                .get_data_handle()));
        }
        if (m_kind == Kind::Add)
            add(ctx, in);
        else if (m_kind == Kind::Concat)
            concat(ctx, in);
        else
            resize(ctx, in[0]);
    }

private:
    enum class Kind { Add, Concat, Resize };

    uint8_t quantize(float real) const {
        return static_cast<uint8_t>(
            static_cast<int32_t>(quantizeRounded(real, m_yScale, m_yLo, m_yLo + 255.0f) - m_yLo));
    }

    // Both inputs in one private layout without padding (QConv's NHWC): element-wise on their
    // bytes, the output in that layout too, no reorder.
    bool sameDenseLayout(runtime::KernelContext& ctx) {
        const Tensor &a = ctx.in(0), &b = ctx.in(1);
        if (!m_stays || a.isPlain() || b.isPlain() || a.shape() != b.shape() ||
            a.dtype() != DataType::UInt8 || b.dtype() != DataType::UInt8)
            return false;
        const memory::desc d = descOf(a);
        if (!(d == descOf(b)) || d.get_size() != static_cast<size_t>(a.numel()))
            return false;
        Tensor& y = ctx.output(0, DataType::UInt8, a.shape(), makeLayout(d), d.get_size());
        addBytes(a.data<uint8_t>(), b.data<uint8_t>(), y.data<uint8_t>(), a.numel());
        return true;
    }

    void add(runtime::KernelContext& ctx, const std::vector<const uint8_t*>& in) {
        const Shape& shape = ctx.in(0).shape();
        if (ctx.in(1).shape() != shape)
            fail("expected inputs of one shape, got ", shapeToString(shape), " and ",
                 shapeToString(ctx.in(1).shape()));
        uint8_t* y = ctx.output(0, DataType::UInt8, shape).data<uint8_t>();
        addBytes(in[0], in[1], y, ctx.in(0).numel());
    }

    void addBytes(const uint8_t* a, const uint8_t* b, uint8_t* y, int64_t n) const {
        const uint8_t* sums = m_sums.data();
#pragma omp parallel for schedule(static)
        for (int64_t i = 0; i < n; ++i)
            y[i] = sums[a[i] * 256 + b[i]];
    }

    void concat(runtime::KernelContext& ctx, const std::vector<const uint8_t*>& in) {
        Shape shape = ctx.in(0).shape();
        const int64_t rank = static_cast<int64_t>(shape.size());
        const int64_t axis = m_axis < 0 ? m_axis + rank : m_axis;
        if (axis < 0 || axis >= rank)
            fail("axis ", m_axis, " out of range for rank ", rank);
        int64_t outer = 1;
        for (int64_t d = 0; d < axis; ++d)
            outer *= shape[d];
        std::vector<int64_t> chunk;
        shape[axis] = 0;
        for (size_t k = 0; k < in.size(); ++k) {
            const Shape& s = ctx.in(k).shape();
            shape[axis] += s[axis];
            chunk.push_back(outer ? ctx.in(k).numel() / outer : 0);
        }
        uint8_t* y = ctx.output(0, DataType::UInt8, shape).data<uint8_t>();
        for (int64_t o = 0; o < outer; ++o)
            for (size_t k = 0; k < in.size(); ++k) {
                const uint8_t* t = m_tables[k].requantized;
                const uint8_t* x = in[k] + o * chunk[k];
                for (int64_t i = 0; i < chunk[k]; ++i)
                    y[i] = t[x[i]];
                y += chunk[k];
            }
    }

    // Nearest with whole factors: source index floor(dst / f) (quant/int8_transform.cpp checks
    // the modes for which ONNX's rule is this one).
    void resize(runtime::KernelContext& ctx, const uint8_t* x) {
        const Shape& in = ctx.in(0).shape();
        const Shape& out = m_outShape;
        if (in.size() != 4 || out[0] != in[0] || out[1] != in[1] || out[2] % in[2] ||
            out[3] % in[3])
            fail("expected a 4-D input that ", shapeToString(out),
                 " resizes in H and W by whole factors, got ", shapeToString(in));
        const int64_t fy = out[2] / in[2], fx = out[3] / in[3], oh = out[2], ow = out[3];
        uint8_t* y = ctx.output(0, DataType::UInt8, out).data<uint8_t>();
        const uint8_t* t = m_tables[0].requantized;
        const int64_t planes = in[0] * in[1];
#pragma omp parallel for schedule(static)
        for (int64_t p = 0; p < planes; ++p)
            for (int64_t iy = 0; iy < in[2]; ++iy) {
                // One output row from the input row, then fy - 1 copies of it.
                const uint8_t* row = x + (p * in[2] + iy) * in[3];
                uint8_t* dst = y + (p * oh + iy * fy) * ow;
                for (int64_t ix = 0; ix < in[3]; ++ix)
                    std::memset(dst + ix * fx, t[row[ix]], static_cast<size_t>(fx));
                for (int64_t r = 1; r < fy; ++r)
                    std::memcpy(dst + r * ow, dst, static_cast<size_t>(ow));
            }
    }

    Attrs m_attrs;
    Kind m_kind = Kind::Add;
    std::vector<Table> m_tables;
    std::vector<InputConverter> m_converters;
    float m_yScale = 0, m_yLo = 0;
    int64_t m_axis = 1;
    bool m_stays = false;
    std::vector<uint8_t> m_sums; // QAdd: [a * 256 + b] -> output byte
    Shape m_outShape;
};

} // namespace

std::unique_ptr<runtime::Kernel> makeQData(const runtime::KernelInfo& info, bool check) {
    auto kernel = std::make_unique<QDataKernel>(info);
    return check ? nullptr : std::move(kernel);
}

} // namespace lb::backends::onednn
