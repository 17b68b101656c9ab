// QAdd, QConcat, QResize, QGlobalAveragePool and QMul (ops/int8_ops.h) on plain row-major uint8
// tensors: every output byte computed from the spec's formula, the dequantized inputs as float32
// products and the quantization of ops/encoding.h (ByteEncoding, int8_util.h).
#include "backends/reference/int8_util.h"
#include "backends/reference/kernels.h"

#include <optional>

namespace lb::backends::reference {

namespace {

// A folded nearest QResize in front of input k (x_upsample, x_pre_scales, x_pre_offsets): the
// bytes arrive in the x_pre encoding, are requantized to x_k's and upsampled by whole factors.
struct Fold {
    int64_t fy = 1, fx = 1;
    std::vector<uint8_t> requantize; // x_pre byte -> x_k byte
};

std::vector<Fold> parseFolds(const NodeAttrs& a, const std::vector<ByteEncoding>& x) {
    if (!a.has("x_upsample"))
        return {};
    const std::vector<int64_t> up = a.getInts("x_upsample");
    const std::vector<ByteEncoding> pre =
        byteEncodings(a, "x_pre_scales", "x_pre_offsets", x.size());
    if (up.size() != 2 * x.size())
        a.fail("x_upsample should hold [fy, fx] per input (", 2 * x.size(), " values), got ",
               up.size());
    std::vector<Fold> folds;
    for (size_t k = 0; k < x.size(); ++k) {
        if (up[2 * k] < 1 || up[2 * k + 1] < 1)
            a.fail("x_upsample factors should be >= 1, got ", up[2 * k], " and ", up[2 * k + 1]);
        folds.push_back({up[2 * k], up[2 * k + 1], x[k].tableFrom(pre[k])});
    }
    return folds;
}

// A uint8 tensor as plain bytes.
struct Bytes {
    Shape shape;
    std::vector<uint8_t> data;
};

// Nearest upsampling of a 4-D [N, C, H, W] byte tensor by whole factors: output (y, x) reads
// input (y / fy, x / fx).
Bytes upsample(const Bytes& in, int64_t fy, int64_t fx) {
    if (in.shape.size() != 4)
        fail("x_upsample needs 4-D inputs, got ", shapeToString(in.shape));
    const int64_t h = in.shape[2], w = in.shape[3];
    Bytes out{{in.shape[0], in.shape[1], h * fy, w * fx}, {}};
    out.data.resize(static_cast<size_t>(product(out.shape)));
    const int64_t planes = in.shape[0] * in.shape[1];
    for (int64_t p = 0; p < planes; ++p)
        for (int64_t oy = 0; oy < h * fy; ++oy)
            for (int64_t ox = 0; ox < w * fx; ++ox)
                out.data[(p * h * fy + oy) * w * fx + ox] =
                    in.data[(p * h + oy / fy) * w + ox / fx];
    return out;
}

// Input k as the op reads it: its bytes in x_k's encoding, at full size.
Bytes inputBytes(const Tensor& t, const std::vector<Fold>& folds, size_t k, const char* what) {
    expectType(t, DataType::UInt8, what);
    Bytes b{t.shape(), std::vector<uint8_t>(t.data<uint8_t>(), t.data<uint8_t>() + t.numel())};
    if (folds.empty())
        return b;
    const Fold& f = folds[k];
    for (uint8_t& q : b.data)
        q = f.requantize[q];
    return f.fy == 1 && f.fx == 1 ? b : upsample(b, f.fy, f.fx);
}

} // namespace

std::unique_ptr<Kernel> makeQAdd(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 2);
    const std::vector<ByteEncoding> x = byteEncodings(a, "x_scales", "x_offsets", 2);
    const ByteEncoding y = byteEncoding(a, "y_scale", "y_offset");
    const std::vector<Fold> folds = parseFolds(a, x);
    return makeKernel([=](KernelContext& ctx) {
        const Bytes in0 = inputBytes(ctx.in(0), folds, 0, "input A");
        const Bytes in1 = inputBytes(ctx.in(1), folds, 1, "input B");
        if (in0.shape != in1.shape)
            fail("inputs should have one shape (no broadcasting), got ", shapeToString(in0.shape),
                 " and ", shapeToString(in1.shape));
        uint8_t* out = ctx.output(0, DataType::UInt8, in0.shape).data<uint8_t>();
        // The float32 sum of the two dequantized values, quantized.
        for (size_t i = 0; i < in0.data.size(); ++i)
            out[i] = y.quantize(x[0].real(in0.data[i]) + x[1].real(in1.data[i]));
    });
}

std::unique_ptr<Kernel> makeQConcat(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, info.inputCount());
    if (!a.has("axis"))
        a.fail("attribute axis is required");
    const int64_t axisAttr = a.getInt("axis", 1);
    const std::vector<ByteEncoding> x =
        byteEncodings(a, "x_scales", "x_offsets", info.inputCount());
    const ByteEncoding y = byteEncoding(a, "y_scale", "y_offset");
    const std::vector<Fold> folds = parseFolds(a, x);
    if (!folds.empty() && axisAttr != 1)
        a.fail("x_upsample is only defined along axis 1, got axis ", axisAttr);
    std::vector<std::vector<uint8_t>> tables; // x_k byte -> y byte
    for (const ByteEncoding& e : x)
        tables.push_back(y.tableFrom(e));
    return makeKernel([=](KernelContext& ctx) {
        std::vector<Bytes> in;
        for (size_t k = 0; k < ctx.inputCount(); ++k)
            in.push_back(inputBytes(ctx.in(k), folds, k, "input"));
        const int64_t rank = static_cast<int64_t>(in[0].shape.size());
        const int64_t axis = normalizeAxis(axisAttr, rank);
        Shape shape = in[0].shape;
        shape[axis] = 0;
        for (const Bytes& b : in) {
            Shape s = b.shape;
            if (static_cast<int64_t>(s.size()) != rank)
                fail("inputs should have one rank, got ", shapeToString(in[0].shape), " and ",
                     shapeToString(s));
            shape[axis] += s[axis];
            s[axis] = shape[axis];
            if (s != shape)
                fail("inputs should differ only along axis ", axis, ", got ",
                     shapeToString(in[0].shape), " and ", shapeToString(b.shape));
        }
        uint8_t* out = ctx.output(0, DataType::UInt8, shape).data<uint8_t>();
        // Each outer index: input 0's run along the axis and everything after, then input 1's...
        const int64_t outer = product(shape, 0, static_cast<size_t>(axis));
        for (int64_t o = 0; o < outer; ++o)
            for (size_t k = 0; k < in.size(); ++k) {
                const int64_t run = static_cast<int64_t>(in[k].data.size()) / outer;
                for (int64_t j = 0; j < run; ++j)
                    *out++ = tables[k][in[k].data[o * run + j]];
            }
    });
}

std::unique_ptr<Kernel> makeQResize(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    const ByteEncoding x = byteEncodings(a, "x_scales", "x_offsets", 1)[0];
    const std::vector<uint8_t> table = byteEncoding(a, "y_scale", "y_offset").tableFrom(x);
    const auto& declared = info.outputValue(0).shape;
    const std::optional<Shape> outShape = declared ? concreteShape(*declared) : std::nullopt;
    if (!outShape || outShape->size() != 4) // claimQResize declined it
        a.fail("the output shape should be a known 4-D shape");
    return makeKernel([=](KernelContext& ctx) {
        const Tensor& t = ctx.in(0);
        expectType(t, DataType::UInt8, "input X");
        const Shape& in = t.shape();
        const Shape& out = *outShape;
        if (in.size() != 4 || in[0] != out[0] || in[1] != out[1] || in[2] < 1 || in[3] < 1 ||
            out[2] % in[2] || out[3] % in[3])
            fail("the output ", shapeToString(out), " should be the input ", shapeToString(in),
                 " resized in H and W by whole factors");
        const int64_t fy = out[2] / in[2], fx = out[3] / in[3];
        const Bytes up = upsample({in, {t.data<uint8_t>(), t.data<uint8_t>() + t.numel()}}, fy, fx);
        uint8_t* y = ctx.output(0, DataType::UInt8, out).data<uint8_t>();
        for (size_t i = 0; i < up.data.size(); ++i)
            y[i] = table[up.data[i]];
    });
}

std::unique_ptr<Kernel> makeQGlobalAveragePool(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    const ByteEncoding x = byteEncodings(a, "x_scales", "x_offsets", 1)[0];
    const ByteEncoding y = byteEncoding(a, "y_scale", "y_offset");
    return makeKernel([=](KernelContext& ctx) {
        const Tensor& t = ctx.in(0);
        expectType(t, DataType::UInt8, "input X");
        if (t.rank() < 3)
            fail("expected an NxCxD1... input, got ", shapeToString(t.shape()));
        Shape outShape = t.shape();
        for (size_t d = 2; d < outShape.size(); ++d)
            outShape[d] = 1;
        uint8_t* out = ctx.output(0, DataType::UInt8, outShape).data<uint8_t>();
        const int64_t planes = t.shape()[0] * t.shape()[1], size = product(t.shape(), 2, t.rank());
        for (int64_t p = 0; p < planes; ++p) {
            int64_t sum = 0; // exact
            for (int64_t i = 0; i < size; ++i)
                sum += t.data<uint8_t>()[p * size + i];
            const double mean = double(sum) / double(size);
            out[p] = y.quantize(static_cast<float>((mean + double(x.offset)) * double(x.scale)));
        }
    });
}

std::unique_ptr<Kernel> makeQMul(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 2);
    const std::vector<ByteEncoding> e = byteEncodings(a, "x_scales", "x_offsets", 2);
    const ByteEncoding y = byteEncoding(a, "y_scale", "y_offset");
    const bool residual = a.getInt("residual", 0) != 0;
    const std::optional<ByteEncoding> m =
        residual ? std::optional(byteEncoding(a, "m_scale", "m_offset")) : std::nullopt;
    return makeKernel([=](KernelContext& ctx) {
        const Tensor &x = ctx.in(0), &g = ctx.in(1);
        expectType(x, DataType::UInt8, "input X");
        expectType(g, DataType::UInt8, "gate G");
        Shape gateShape = x.shape();
        for (size_t d = 2; d < gateShape.size(); ++d)
            gateShape[d] = 1;
        if (x.rank() < 2 || g.shape() != gateShape)
            fail("expected X [N,C,...] and a gate G ", shapeToString(gateShape), ", got ",
                 shapeToString(x.shape()), " and ", shapeToString(g.shape()));
        uint8_t* out = ctx.output(0, DataType::UInt8, x.shape()).data<uint8_t>();
        const int64_t planes = g.numel(), size = product(x.shape(), 2, x.rank());
        for (int64_t p = 0; p < planes; ++p) {
            // This (n, c)'s output byte of every input byte.
            const float gate = e[1].real(g.data<uint8_t>()[p]);
            uint8_t table[256];
            for (int q = 0; q < 256; ++q) {
                const float real = e[0].real(q), product = real * gate;
                table[q] =
                    m ? y.quantize(real + m->real(m->quantize(product))) : y.quantize(product);
            }
            for (int64_t i = 0; i < size; ++i)
                out[p * size + i] = table[x.data<uint8_t>()[p * size + i]];
        }
    });
}

runtime::Claim claimQAdd(const KernelInfo& info) {
    return claimTypes(info, {DataType::UInt8, DataType::UInt8});
}

runtime::Claim claimQConcat(const KernelInfo& info) {
    return claimTypes(info, {}, DataType::UInt8);
}

// The output's shape fixes the factors: the kernel needs to know it.
runtime::Claim claimQResize(const KernelInfo& info) {
    if (runtime::Claim types = claimTypes(info, {DataType::UInt8}); !types)
        return types;
    if (info.node.outputs.empty())
        return runtime::Claim::claimed(); // invalid: the factory says so
    const auto& out = info.outputValue(0).shape;
    const auto shape = out ? concreteShape(*out) : std::nullopt;
    if (!shape || shape->size() != 4)
        return runtime::Claim::declined(runtime::Decline::Shape, "output ",
                                        quoted(info.outputValue(0).name),
                                        " has no known 4-D shape (QResize takes its factors "
                                        "from it)");
    return runtime::Claim::claimed();
}

runtime::Claim claimQGlobalAveragePool(const KernelInfo& info) {
    return claimTypes(info, {DataType::UInt8});
}

runtime::Claim claimQMul(const KernelInfo& info) {
    return claimTypes(info, {DataType::UInt8, DataType::UInt8});
}

} // namespace lb::backends::reference
