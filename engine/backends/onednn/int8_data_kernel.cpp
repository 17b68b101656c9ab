// QAdd, QConcat, QResize, QGlobalAveragePool and QMul (ops/int8_ops.h) on uint8 tensors. Each
// input byte goes through a 256-entry table: its dequantized float (the float32 product
// ops/encoding.h gives), or for QConcat / QResize directly the requantized output byte. QAdd
// adds the two dequantized floats in float32 and quantizes with ops/encoding.h's rule
// (tabulated for all 256 x 256 input pairs); QMul tabulates, per (n, c), the output byte of every
// input byte; so every output byte is the one the simulation (float op between FakeQuants) gives.
// QGlobalAveragePool sums exactly in integers (the simulation sums floats, which can differ in the
// last bit of the mean).
//
// 4-D tensors are worked on in NHWC, the layout oneDNN's int8 convolutions read and write, so a
// chain QConv -> QMul -> QAdd -> QResize -> QConcat -> QConv never reorders; inputs in another
// layout are reordered once (one byte per element), and an output leaving the backend is written
// plain.
#include "backends/onednn/int8_layout.h"
#include "backends/onednn/int8_vector.h"
#include "backends/onednn/kernels.h"
#include "backends/onednn/op_attrs.h"

#include <cstring>

namespace lb::backends::onednn {

namespace {

using tag = memory::format_tag;

struct Table {
    float real[256];
    uint8_t requantized[256];
    bool identity = false; // requantized[v] == v for every v
};

// The layout this file works in: NHWC for 4-D tensors, plain otherwise.
memory::desc workingDesc(const Shape& shape) {
    if (shape.size() == 4)
        return memory::desc(toDims(shape), memory::data_type::u8, tag::nhwc);
    return plainDescOf(shape, DataType::UInt8);
}

class QDataKernel : public runtime::Kernel {
public:
    explicit QDataKernel(const runtime::KernelInfo& info) : m_attrs(info.graph, info.node) {
        const std::string& op = info.node.opType;
        m_kind = op == "QAdd"      ? Kind::Add
                 : op == "QConcat" ? Kind::Concat
                 : op == "QResize" ? Kind::Resize
                 : op == "QMul"    ? Kind::Mul
                                   : Kind::Gap;
        const std::vector<float> scales = m_attrs.getFloats("x_scales");
        const std::vector<int64_t> offsets = m_attrs.getInts("x_offsets");
        m_yScale = m_attrs.getFloat("y_scale", 0.0f);
        m_yLo = static_cast<float>(m_attrs.getInt("y_offset", 0));
        if (scales.size() != info.inputCount() || offsets.size() != scales.size() ||
            !(m_yScale > 0))
            m_attrs.fail("expected one x_scales / x_offsets entry per input and y_scale > 0");
        if ((m_kind == Kind::Add || m_kind == Kind::Mul) && info.inputCount() != 2)
            m_attrs.fail("expected 2 inputs, got ", info.inputCount());
        m_xScale = scales[0];
        m_xOffset = offsets[0];
        m_tables.resize(scales.size());
        m_converters.resize(scales.size());
        for (size_t k = 0; k < scales.size(); ++k) {
            m_tables[k].identity = true;
            for (int v = 0; v < 256; ++v) {
                const float real = static_cast<float>(v + offsets[k]) * scales[k];
                m_tables[k].real[v] = real;
                m_tables[k].requantized[v] = quantize(real);
                m_tables[k].identity &= m_tables[k].requantized[v] == v;
            }
            m_in.push_back({scales[k], static_cast<float>(offsets[k])});
        }
        if (m_kind == Kind::Add) {
            // The output byte is a function of the two input bytes: one 64 KiB table.
            m_sums.resize(256 * 256);
            for (int a = 0; a < 256; ++a)
                for (int b = 0; b < 256; ++b)
                    m_sums[a * 256 + b] = quantize(m_tables[0].real[a] + m_tables[1].real[b]);
        }
        if (m_kind == Kind::Mul && m_attrs.getInt("residual", 0)) {
            m_residual = true;
            m_mScale = m_attrs.getFloat("m_scale", 0.0f);
            m_mLo = static_cast<float>(m_attrs.getInt("m_offset", 0));
            if (!(m_mScale > 0))
                m_attrs.fail("expected m_scale > 0 with residual = 1");
        }
        // Folded QResize inputs (quant/int8_rewrite.h foldResizes): factors and the encoding the
        // bytes arrive in, requantized with the QResize's own table.
        m_up = m_attrs.getInts("x_upsample");
        if (!m_up.empty()) {
            const std::vector<float> preScales = m_attrs.getFloats("x_pre_scales");
            const std::vector<int64_t> preOffsets = m_attrs.getInts("x_pre_offsets");
            if (m_up.size() != 2 * scales.size() || preScales.size() != scales.size() ||
                preOffsets.size() != scales.size())
                m_attrs.fail("expected 2 x_upsample factors and one x_pre_scales / x_pre_offsets "
                             "entry per input");
            m_pre.resize(scales.size());
            for (size_t k = 0; k < scales.size(); ++k) {
                if (m_up[2 * k] < 1 || m_up[2 * k + 1] < 1)
                    m_attrs.fail("x_upsample factors must be >= 1");
                m_pre[k].identity = true;
                for (int v = 0; v < 256; ++v) {
                    const float real = static_cast<float>(v + preOffsets[k]) * preScales[k];
                    const float lo = static_cast<float>(offsets[k]);
                    m_pre[k].requantized[v] = static_cast<uint8_t>(static_cast<int32_t>(
                        quantizeRounded(real, scales[k], lo, lo + 255.0f) - lo));
                    m_pre[k].identity &= m_pre[k].requantized[v] == v;
                }
            }
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
        const bool plainConcat =
            m_kind == Kind::Concat && (ctx.in(0).rank() != 4 || (m_axis != 1 && m_axis != -3));
        std::vector<const uint8_t*> in;
        for (size_t k = 0; k < m_tables.size(); ++k) {
            const Tensor& x = ctx.in(k);
            if (x.dtype() != DataType::UInt8)
                fail("expected uint8 input ", k, ", got ", dtypeName(x.dtype()));
            const memory::desc want = plainConcat || (m_kind == Kind::Mul && k == 1)
                                          ? plainDescOf(x.shape(), DataType::UInt8)
                                          : workingDesc(x.shape());
            in.push_back(
                static_cast<const uint8_t*>(m_converters[k].convert(x, want).get_data_handle()));
        }
        for (size_t k = 0; k < m_pre.size(); ++k)
            if (!m_pre[k].identity) {
                m_preScratch.resize(m_pre.size());
                const int64_t n = ctx.in(k).numel();
                auto* y = static_cast<uint8_t*>(m_preScratch[k].reserve(static_cast<size_t>(n)));
                vec::lookup(m_pre[k].requantized, in[k], y, n);
                in[k] = y;
            }
        switch (m_kind) {
        case Kind::Add:
            add(ctx, in);
            break;
        case Kind::Concat:
            if (plainConcat)
                concatPlain(ctx, in);
            else
                concatChannels(ctx, in);
            break;
        case Kind::Resize:
            resize(ctx, in[0]);
            break;
        case Kind::Gap:
            globalAveragePool(ctx, in[0]);
            break;
        case Kind::Mul:
            mul(ctx, in[0], in[1]);
            break;
        }
    }

private:
    enum class Kind { Add, Concat, Resize, Gap, Mul };

    uint8_t quantize(float real) const {
        return static_cast<uint8_t>(
            static_cast<int32_t>(quantizeRounded(real, m_yScale, m_yLo, m_yLo + 255.0f) - m_yLo));
    }

    uint8_t* output(runtime::KernelContext& ctx, const Shape& shape, const memory::desc& produced) {
        return static_cast<uint8_t*>(
            m_out.prepare(ctx, 0, DataType::UInt8, shape, produced, m_stays).get_data_handle());
    }

    // Input k's shape after its folded upsampling.
    Shape fullShape(runtime::KernelContext& ctx, size_t k) const {
        Shape s = ctx.in(k).shape();
        if (!m_up.empty() && s.size() == 4) {
            s[2] *= m_up[2 * k];
            s[3] *= m_up[2 * k + 1];
        }
        return s;
    }

    bool upsampled(size_t k) const {
        return !m_up.empty() && (m_up[2 * k] != 1 || m_up[2 * k + 1] != 1);
    }

    void add(runtime::KernelContext& ctx, const std::vector<const uint8_t*>& in) {
        const Shape shape = fullShape(ctx, 0);
        if (fullShape(ctx, 1) != shape)
            fail("expected inputs of one shape, got ", shapeToString(shape), " and ",
                 shapeToString(fullShape(ctx, 1)));
        uint8_t* y = output(ctx, shape, workingDesc(shape));
        const vec::Byte ey{m_yScale, m_yLo};
        if (!upsampled(0) && !upsampled(1)) {
            vec::addBytes(in[0], in[1], y, ctx.in(0).numel(), m_in[0], m_in[1], ey, m_sums.data());
            m_out.finish();
            return;
        }
        // Row by row (NHWC), an upsampled input's row rebuilt only when its source row changes.
        const int64_t c = shape[1], h = shape[2], w = shape[3], rowBytes = w * c;
        m_rows.resize(2);
        int64_t built[2] = {-1, -1};
        for (int64_t r = 0; r < shape[0] * h; ++r) {
            const uint8_t* row[2];
            for (size_t k = 0; k < 2; ++k) {
                if (!upsampled(k)) {
                    row[k] = in[k] + r * rowBytes;
                    continue;
                }
                const int64_t fy = m_up[2 * k], fx = m_up[2 * k + 1], sw = w / fx;
                const int64_t source = (r / h) * (h / fy) + (r % h) / fy;
                auto* buf = static_cast<uint8_t*>(m_rows[k].reserve(static_cast<size_t>(rowBytes)));
                if (built[k] != source) {
                    const uint8_t* src = in[k] + source * sw * c;
                    for (int64_t sx = 0; sx < sw; ++sx)
                        vec::copyRows(src + sx * c, 0, buf + sx * fx * c, c, fx, c);
                    built[k] = source;
                }
                row[k] = buf;
            }
            vec::addBytes(row[0], row[1], y + r * rowBytes, rowBytes, m_in[0], m_in[1], ey,
                          m_sums.data());
        }
        m_out.finish();
    }

    // Any axis, plain row-major.
    void concatPlain(runtime::KernelContext& ctx, const std::vector<const uint8_t*>& in) {
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
            shape[axis] += ctx.in(k).shape()[axis];
            chunk.push_back(outer ? ctx.in(k).numel() / outer : 0);
        }
        uint8_t* y = output(ctx, shape, plainDescOf(shape, DataType::UInt8));
        for (int64_t o = 0; o < outer; ++o)
            for (size_t k = 0; k < in.size(); ++k) {
                copyMapped(in[k] + o * chunk[k], y, chunk[k], m_tables[k]);
                y += chunk[k];
            }
        m_out.finish();
    }

    static void copyMapped(const uint8_t* x, uint8_t* y, int64_t n, const Table& t) {
        if (t.identity)
            std::memcpy(y, x, static_cast<size_t>(n));
        else
            vec::lookup(t.requantized, x, y, n);
    }

    // Input k's bytes requantized to the output's encoding (its own bytes when that is a no-op).
    const uint8_t* mapped(size_t k, const uint8_t* x, int64_t n) {
        if (m_tables[k].identity)
            return x;
        m_scratch.resize(std::max(m_scratch.size(), k + 1));
        uint8_t* y = static_cast<uint8_t*>(m_scratch[k].reserve(static_cast<size_t>(n)));
        vec::lookup(m_tables[k].requantized, x, y, n);
        return y;
    }

    // 4-D along channels in NHWC: each pixel's output bytes are the inputs' channel runs in turn.
    void concatChannels(runtime::KernelContext& ctx, const std::vector<const uint8_t*>& in) {
        Shape shape = fullShape(ctx, 0);
        std::vector<int64_t> channels;
        shape[1] = 0;
        for (size_t k = 0; k < in.size(); ++k) {
            const Shape s = fullShape(ctx, k);
            if (s.size() != 4 || s[0] != shape[0] || s[2] != shape[2] || s[3] != shape[3])
                fail("expected 4-D inputs that differ only in channels, got ",
                     shapeToString(ctx.in(0).shape()), " and ", shapeToString(s));
            channels.push_back(s[1]);
            shape[1] += s[1];
        }
        uint8_t* y = output(ctx, shape, workingDesc(shape));
        const int64_t pixels = shape[0] * shape[2] * shape[3], total = shape[1];
        int64_t first = 0;
        for (size_t k = 0; k < in.size(); ++k) {
            const int64_t ck = channels[k];
            const uint8_t* x = mapped(k, in[k], ctx.in(k).numel());
            if (!upsampled(k)) {
                vec::copyRows(x, ck, y + first, total, pixels, ck);
            } else {
                // Each source pixel's run copied fx times into every one of its fy rows.
                const int64_t fy = m_up[2 * k], fx = m_up[2 * k + 1], h = shape[2], w = shape[3];
                const int64_t sw = w / fx, sh = h / fy;
#pragma omp parallel for schedule(static)
                for (int64_t r = 0; r < shape[0] * h; ++r) {
                    const uint8_t* src = x + ((r / h) * sh + (r % h) / fy) * sw * ck;
                    uint8_t* dst = y + r * w * total + first;
                    for (int64_t sx = 0; sx < sw; ++sx)
                        vec::copyRows(src + sx * ck, 0, dst + sx * fx * total, total, fx, ck);
                }
            }
            first += ck;
        }
        m_out.finish();
    }

    // Nearest with whole factors in NHWC: source pixel (floor(y / fy), floor(x / fx)) (quant/
    // int8_transform.cpp checks the modes for which ONNX's rule is this one).
    void resize(runtime::KernelContext& ctx, const uint8_t* x) {
        const Shape& in = ctx.in(0).shape();
        const Shape& out = m_outShape;
        if (in.size() != 4 || out[0] != in[0] || out[1] != in[1] || out[2] % in[2] ||
            out[3] % in[3])
            fail("expected a 4-D input that ", shapeToString(out),
                 " resizes in H and W by whole factors, got ", shapeToString(in));
        const int64_t c = in[1], fy = out[2] / in[2], fx = out[3] / in[3], ow = out[3];
        uint8_t* y = output(ctx, out, workingDesc(out));
        const int64_t rows = in[0] * in[2], rowBytes = ow * c;
        x = mapped(0, x, ctx.in(0).numel());
#pragma omp parallel for schedule(static)
        for (int64_t r = 0; r < rows; ++r) {
            // One output row from the input row (each pixel fx times), then fy - 1 copies of it.
            const uint8_t* src = x + r * in[3] * c;
            uint8_t* dst = y + r * fy * rowBytes;
            for (int64_t ix = 0; ix < in[3]; ++ix)
                vec::copyRows(src + ix * c, 0, dst + ix * fx * c, c, fx, c);
            for (int64_t k = 1; k < fy; ++k)
                std::memcpy(dst + k * rowBytes, dst, static_cast<size_t>(rowBytes));
        }
        m_out.finish();
    }

    // Integer sums per channel, then the exact mean's real value quantized.
    void globalAveragePool(runtime::KernelContext& ctx, const uint8_t* x) {
        const Shape& in = ctx.in(0).shape();
        if (in.size() != 4)
            fail("expected a 4-D input, got ", shapeToString(in));
        const Shape out{in[0], in[1], 1, 1};
        uint8_t* y = output(ctx, out, plainDescOf(out, DataType::UInt8));
        const int64_t c = in[1], pixels = in[2] * in[3];
        std::vector<int32_t> sums(static_cast<size_t>(c));
        for (int64_t n = 0; n < in[0]; ++n) {
            std::fill(sums.begin(), sums.end(), 0);
            vec::channelSums(x + n * pixels * c, pixels, c, sums.data());
            for (int64_t k = 0; k < c; ++k) {
                const double mean = double(sums[k]) / double(pixels);
                y[n * c + k] = quantize(static_cast<float>((mean + double(m_xOffset)) * m_xScale));
            }
        }
        m_out.finish();
    }

    // X [N,C,H,W] (NHWC) times the gate G [N,C,1,1]: per (n, c) a table of X's 256 bytes.
    void mul(runtime::KernelContext& ctx, const uint8_t* x, const uint8_t* gate) {
        const Shape& in = ctx.in(0).shape();
        const Shape& g = ctx.in(1).shape();
        if (in.size() != 4 || g != Shape{in[0], in[1], 1, 1})
            fail("expected X [N,C,H,W] and a gate [N,C,1,1], got ", shapeToString(in), " and ",
                 shapeToString(g));
        uint8_t* y = output(ctx, in, workingDesc(in));
        const int64_t c = in[1], pixels = in[2] * in[3];
        std::vector<float> gates(static_cast<size_t>(c));
        for (int64_t n = 0; n < in[0]; ++n) {
            for (int64_t k = 0; k < c; ++k)
                gates[k] = m_tables[1].real[gate[n * c + k]];
            vec::gateRows(x + n * pixels * c, y + n * pixels * c, pixels, c, gates.data(), m_in[0],
                          {m_mScale, m_mLo}, {m_yScale, m_yLo}, m_residual);
        }
        m_out.finish();
    }

    NodeAttrs m_attrs;
    Kind m_kind = Kind::Add;
    std::vector<Table> m_tables;
    std::vector<InputConverter> m_converters;
    OutputWriter m_out;
    float m_xScale = 0, m_yScale = 0, m_yLo = 0, m_mScale = 0, m_mLo = 0;
    int64_t m_xOffset = 0, m_axis = 1;
    bool m_stays = false, m_residual = false;
    std::vector<uint8_t> m_sums;   // QAdd: [a * 256 + b] -> output byte
    std::vector<vec::Byte> m_in;   // the inputs' encodings
    std::vector<Buffer> m_scratch; // requantized inputs
    std::vector<int64_t> m_up;     // [fy, fx] per input (folded QResize), or empty
    std::vector<Table> m_pre;      // folded QResize requantization per input
    std::vector<Buffer> m_preScratch, m_rows;
    Shape m_outShape;
};

} // namespace

KernelPtr makeQData(const KernelInfo& info) {
    return std::make_unique<QDataKernel>(info);
}

} // namespace lb::backends::onednn
