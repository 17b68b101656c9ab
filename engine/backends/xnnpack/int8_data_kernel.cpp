// QMaxPool, QGlobalAveragePool and QAdd (ops/int8_ops.h) through XNNPACK's signed NHWC operators
// (the private layout's bytes, xnn_util.h).
//
//  QMaxPool            max_pooling2d_nhwc_s8, then the 256-entry requantization table from X's
//                      encoding to Y's (skipped when they are equal): the spec's bytes exactly
//                      (the max of the bytes, and both steps are increasing).
//  QGlobalAveragePool  global_average_pooling_nwc_qs8: XNNPACK sums exactly in int32 and
//                      requantizes in float32 with the scale x_scale / (y_scale * H * W), where
//                      the spec divides the exact mean in double; a byte can differ by one step
//                      near a rounding tie (measured in tests/engine/xnnpack_int8_test.cpp).
//  QAdd                add_nd_qs8, same shapes, no folded upsample: XNNPACK scales each input
//                      with its own fixed-point multiplier and rounds once, where the spec sums
//                      two float32 reals and divides; a byte can differ by one step near a tie.
#include "backends/xnnpack/kernels.h"
#include "backends/xnnpack/xnn_util.h"
#include "core/error.h"
#include "ops/int8_ops.h"
#include "ops/node_attrs.h"
#include "ops/window.h"

#include <algorithm>
#include <cmath>

namespace lb::backends::xnnpack {

namespace {

struct Byte {
    float scale = 1;
    int64_t offset = 0;
    int8_t zeroPoint() const { return static_cast<int8_t>(-offset - 128); }
};

// The encodings of a node's inputs (x_scales / x_offsets, `count` of them) and output, or the
// reason XNNPACK cannot take them.
struct Encodings {
    std::vector<Byte> x;
    Byte y;
    std::string error;
};

Encodings encodingsOf(const ir::Node& node, size_t count) {
    const ops::NodeAttrs a(node);
    Encodings e;
    const std::vector<float> s = a.getFloats("x_scales");
    const std::vector<int64_t> o = a.getInts("x_offsets");
    e.y = {a.getFloat("y_scale", 0.0f), a.getInt("y_offset", 0)};
    if (s.size() != count || o.size() != count) {
        e.error = detail::concat("expected ", count, " x_scales and x_offsets");
        return e;
    }
    for (size_t k = 0; k < count; ++k)
        e.x.push_back({s[k], o[k]});
    for (const Byte& b : e.x) {
        if (!std::isnormal(b.scale) || b.scale < 0 || b.offset < -255 || b.offset > 0)
            e.error = detail::concat("an input encoding (scale ", b.scale, ", offset ", b.offset,
                                     ") XNNPACK cannot take");
    }
    if (!std::isnormal(e.y.scale) || e.y.scale < 0 || e.y.offset < -255 || e.y.offset > 0)
        e.error = detail::concat("the output encoding (scale ", e.y.scale, ", offset ", e.y.offset,
                                 ") XNNPACK cannot take");
    return e;
}

// quantize_y(real_x(q)) for every byte, indexed and valued in the signed storage.
std::vector<int8_t> signedTable(const Byte& from, const Byte& to) {
    std::vector<int8_t> table(256);
    for (int s = -128; s < 128; ++s) {
        const float real = static_cast<float>(s + 128 + from.offset) * from.scale;
        const float r = real / to.scale;
        const double q =
            std::isnan(r) ? 0.0 : std::clamp(std::nearbyint(r) - double(to.offset), 0.0, 255.0);
        table[size_t(s + 128)] = static_cast<int8_t>(int(q) - 128);
    }
    return table;
}

class QDataKernel : public runtime::Kernel {
public:
    explicit QDataKernel(const KernelInfo& info) : m_attrs(info.graph, info.node) {
        const std::string& op = info.node.opType;
        m_stays = outputStays(info);
        ensureInitialized();
        xnn_operator_t xop = nullptr;
        if (op == ops::kQAddOp) {
            m_kind = Kind::Add;
            m_attrs.expectInputs(2, 2);
            m_enc = encodingsOf(info.node, 2);
            if (!m_enc.error.empty())
                m_attrs.fail(m_enc.error);
            check(xnn_create_add_nd_qs8(m_enc.x[0].zeroPoint(), m_enc.x[0].scale,
                                        m_enc.x[1].zeroPoint(), m_enc.x[1].scale,
                                        m_enc.y.zeroPoint(), m_enc.y.scale, -128, 127, 0, &xop),
                  "xnn_create_add_nd_qs8");
            m_op.reset(xop);
            return;
        }
        m_attrs.expectInputs(1, 1);
        m_enc = encodingsOf(info.node, 1);
        if (!m_enc.error.empty())
            m_attrs.fail(m_enc.error);
        if (op == ops::kQGlobalAveragePoolOp) {
            m_kind = Kind::GlobalAverage;
            return; // created per channel count
        }
        m_kind = Kind::Max;
        m_window = ops::parseWindowAttrs(info.node);
        if (m_window.kernel.size() != 2)
            m_attrs.fail("expected a 2-D kernel_shape");
        if (m_enc.x[0].scale != m_enc.y.scale || m_enc.x[0].offset != m_enc.y.offset)
            m_table = signedTable(m_enc.x[0], m_enc.y);
    }

    void run(runtime::KernelContext& ctx) override {
        const Tensor& x = ctx.in(0);
        if (x.dtype() != DataType::UInt8 || x.rank() != 4)
            m_attrs.fail("expected a 4-D uint8 input, got ", dtypeName(x.dtype()), " ",
                         shapeToString(x.shape()));
        pthreadpool_t pool = threadPool(ctx.threads());
        const Shape& xs = x.shape();
        const auto n = static_cast<size_t>(xs[0]), c = static_cast<size_t>(xs[1]),
                   h = static_cast<size_t>(xs[2]), w = static_cast<size_t>(xs[3]);
        const int8_t* in = signedNhwc(x, m_in);
        if (m_kind == Kind::Add) {
            const Tensor& b = ctx.in(1);
            if (b.dtype() != DataType::UInt8 || b.shape() != xs)
                m_attrs.fail("expected uint8 inputs of one shape, got ", shapeToString(xs), " and ",
                             dtypeName(b.dtype()), " ", shapeToString(b.shape()));
            const int8_t* in2 = signedNhwc(b, m_in2);
            Tensor& y = outputTensor(ctx, 0, xs, m_stays, DataType::UInt8);
            int8_t* out = signedNhwcTarget(y, m_out);
            const size_t dims[1] = {n * c * h * w};
            check(xnn_setup_add_nd_qs8(m_op.get(), 1, dims, 1, dims, in, in2, out, pool),
                  "xnn_setup_add_nd_qs8");
            check(xnn_run_operator(m_op.get(), pool), "xnn_run_operator (int8 add)");
            finishSignedNhwc(y, m_out);
            return;
        }
        if (xs != m_builtFor)
            prepare(xs);
        // The global pool's N x C x 1 x 1 output has the same order in both layouts, but a plain
        // one holds the unsigned bytes.
        Tensor& y = outputTensor(ctx, 0, m_outShape, m_stays, DataType::UInt8);
        int8_t* out = signedNhwcTarget(y, m_out);
        if (m_kind == Kind::GlobalAverage)
            check(xnn_setup_global_average_pooling_nwc_qs8(m_op.get(), n, h * w, in, out, pool),
                  "xnn_setup_global_average_pooling_nwc_qs8");
        else
            check(xnn_setup_max_pooling2d_nhwc_s8(m_op.get(), n, h, w, in, out, pool),
                  "xnn_setup_max_pooling2d_nhwc_s8");
        check(xnn_run_operator(m_op.get(), pool), "xnn_run_operator (int8 pooling)");
        if (!m_table.empty())
            for (int64_t i = 0; i < y.numel(); ++i)
                out[i] = m_table[size_t(out[i] + 128)];
        finishSignedNhwc(y, m_out);
    }

private:
    void prepare(const Shape& x) {
        const auto c = static_cast<size_t>(x[1]);
        xnn_operator_t op = nullptr;
        if (m_kind == Kind::GlobalAverage) {
            m_outShape = {x[0], x[1], 1, 1};
            const Byte &in = m_enc.x[0], &out = m_enc.y;
            check(xnn_create_global_average_pooling_nwc_qs8(c, c, c, in.zeroPoint(), in.scale,
                                                            out.zeroPoint(), out.scale, -128, 127,
                                                            0, &op),
                  "xnn_create_global_average_pooling_nwc_qs8");
        } else {
            uint32_t padBegin[2], padEnd[2], stride[2], dilation[2];
            int64_t outHw[2];
            for (size_t i = 0; i < 2; ++i) {
                const int64_t k = m_window.kernel[i];
                const ops::WindowAxis a = ops::windowAxis(m_window, i, 2, x[2 + i], k);
                const int64_t effective = (k - 1) * a.dilation + 1;
                // The end padding XNNPACK's floor division needs to give ONNX's output size.
                const int64_t needed = (a.out - 1) * a.stride + effective - x[2 + i] - a.padBegin;
                padBegin[i] = static_cast<uint32_t>(a.padBegin);
                padEnd[i] = static_cast<uint32_t>(std::max(a.padEnd, needed));
                stride[i] = static_cast<uint32_t>(a.stride);
                dilation[i] = static_cast<uint32_t>(a.dilation);
                outHw[i] = a.out;
            }
            // Padding taps never win: XNNPACK's max pooling skips them.
            check(xnn_create_max_pooling2d_nhwc_s8(padBegin[0], padEnd[1], padEnd[0], padBegin[1],
                                                   static_cast<uint32_t>(m_window.kernel[0]),
                                                   static_cast<uint32_t>(m_window.kernel[1]),
                                                   stride[0], stride[1], dilation[0], dilation[1],
                                                   c, c, c, -128, 127, 0, &op),
                  "xnn_create_max_pooling2d_nhwc_s8");
            m_outShape = {x[0], x[1], outHw[0], outHw[1]};
        }
        m_op.reset(op);
        m_builtFor = x;
    }

    enum class Kind { Add, GlobalAverage, Max };
    ops::NodeAttrs m_attrs;
    Kind m_kind = Kind::Add;
    Encodings m_enc;
    ops::WindowAttrs m_window;
    std::vector<int8_t> m_table, m_in, m_in2, m_out;
    Operator m_op;
    Shape m_builtFor, m_outShape;
    bool m_stays = false;
};

bool isUInt8(const KernelInfo& info, ir::ValueId v) {
    const DataType d = info.graph.value(v).dtype;
    return d == DataType::UInt8 || d == DataType::Undefined;
}

} // namespace

KernelPtr makeQData(const KernelInfo& info) {
    return std::make_unique<QDataKernel>(info);
}

Claim claimQData(const KernelInfo& info) {
    const ir::Node& node = info.node;
    if (node.inputs.empty() || node.outputs.empty())
        return Claim::claimed(); // invalid: the factory says what is missing
    for (ir::ValueId v : node.inputs)
        if (v != ir::kNoValue && !isUInt8(info, v))
            return Claim::declined(Decline::Dtype, "input ", quoted(info.graph.value(v).name),
                                   " is not uint8");
    const bool add = node.opType == ops::kQAddOp;
    const Encodings e = encodingsOf(node, add ? 2 : 1);
    if (!e.error.empty())
        return Claim::declined(Decline::Attribute, e.error);
    for (ir::ValueId v : node.inputs) {
        const auto& s = v == ir::kNoValue ? std::nullopt : info.graph.value(v).shape;
        if (!s || s->size() != 4)
            return Claim::declined(Decline::Shape,
                                   "an input of unknown rank or not 4-D (XNNPACK's int8 "
                                   "operators here are NHWC)");
    }
    // XNNPACK's own limits on the scale ratios (its create functions refuse the rest).
    const auto ratioIn = [](float r, float lo, float hi) { return r >= lo && r < hi; };
    if (add) {
        if (node.attribute("x_upsample"))
            return Claim::declined(Decline::Attribute,
                                   "a folded upsample (x_upsample): XNNPACK's add has none");
        for (const Byte& x : e.x)
            if (!ratioIn(x.scale / e.y.scale, 0x1.0p-10f, 0x1.0p+8f))
                return Claim::declined(Decline::Attribute, "input-to-output scale ratio ",
                                       x.scale / e.y.scale,
                                       " (XNNPACK's int8 add takes [2^-10, 2^8))");
        return Claim::claimed();
    }
    if (node.opType == ops::kQGlobalAveragePoolOp) {
        if (!ratioIn(e.x[0].scale / e.y.scale, 0x1.0p-8f, 0x1.0p+8f))
            return Claim::declined(Decline::Attribute, "input-to-output scale ratio ",
                                   e.x[0].scale / e.y.scale,
                                   " (XNNPACK's int8 average pooling takes [2^-8, 2^8))");
        return Claim::claimed();
    }
    return claimPool(info); // QMaxPool: MaxPool's window checks
}

} // namespace lb::backends::xnnpack
