// ONNX's integer and QLinear ops: DynamicQuantizeLinear, MatMulInteger, QLinearMatMul,
// ConvInteger, QLinearConv. Products are summed exactly in int32 over (q - zero_point); the QLinear
// ops then requantize as ONNX's reference does: acc * (a_scale * b_scale / y_scale) in float,
// rounded half to even, plus y_zero_point, saturated to the output type.
#include "backends/reference/kernel_util.h"
#include "backends/reference/kernels.h"
#include "backends/reference/spatial.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lb::backends::reference {

namespace {

bool isByteType(DataType t) {
    return t == DataType::UInt8 || t == DataType::Int8;
}

// Element i of an 8-bit (or int32 bias) tensor as an integer.
int32_t intAt(const Tensor& t, int64_t i) {
    switch (t.dtype()) {
    case DataType::UInt8:
        return t.data<uint8_t>()[i];
    case DataType::Int8:
        return t.data<int8_t>()[i];
    case DataType::Int32:
        return t.data<int32_t>()[i];
    default:
        fail("expected a uint8, int8 or int32 tensor, got ", dtypeName(t.dtype()));
    }
}

void expectBytes(const Tensor& t, const char* what) {
    if (!isByteType(t.dtype()))
        fail(what, " should be uint8 or int8, got ", dtypeName(t.dtype()));
}

// A zero point (or scale) given per tensor (one value) or per row/column/channel (`count`).
std::vector<int32_t> zeroPoints(const Tensor* t, int64_t count, const char* what) {
    if (!t || t->numel() == 0)
        return {0};
    if (t->numel() != 1 && t->numel() != count)
        fail(what, " has ", t->numel(), " values, expected 1 or ", count);
    std::vector<int32_t> out;
    for (int64_t i = 0; i < t->numel(); ++i)
        out.push_back(intAt(*t, i));
    return out;
}

std::vector<float> scales(const Tensor& t, int64_t count, const char* what) {
    if (t.dtype() != DataType::Float32)
        fail(what, " should be float32, got ", dtypeName(t.dtype()));
    if (t.numel() != 1 && t.numel() != count)
        fail(what, " has ", t.numel(), " values, expected 1 or ", count);
    return {t.data<float>(), t.data<float>() + t.numel()};
}

template <typename V> V at(const std::vector<V>& v, int64_t i) {
    return v[v.size() == 1 ? 0 : static_cast<size_t>(i)];
}

int64_t saturate(double v, DataType type) {
    const double lo = type == DataType::UInt8 ? 0.0 : -128.0;
    const double hi = type == DataType::UInt8 ? 255.0 : 127.0;
    return static_cast<int64_t>(std::clamp(v, lo, hi));
}

void storeByte(Tensor& y, int64_t i, int64_t v) {
    if (y.dtype() == DataType::UInt8)
        y.data<uint8_t>()[i] = static_cast<uint8_t>(v);
    else
        y.data<int8_t>()[i] = static_cast<int8_t>(v);
}

// The int32 products of a batched matmul of A (..., M, K) and B (..., K, N), numpy batch
// broadcasting, zero points per tensor, per row of A (M) or per column of B (N).
struct IntMatMul {
    Shape shape; // output
    std::vector<int32_t> acc;
    int64_t m = 0, n = 0;
};

IntMatMul intMatMul(const Tensor& a, const Tensor& b, const std::vector<int32_t>& aZero,
                    const std::vector<int32_t>& bZero) {
    if (a.rank() < 1 || b.rank() < 1)
        fail("MatMul inputs must have rank >= 1");
    // 1-D operands as numpy: A (K) is 1xK, B (K) is Kx1, and the added axis is dropped.
    const Shape as = a.rank() == 1 ? Shape{1, a.shape()[0]} : a.shape();
    const Shape bs = b.rank() == 1 ? Shape{b.shape()[0], 1} : b.shape();
    const int64_t m = as[as.size() - 2], k = as.back(), n = bs.back();
    if (bs[bs.size() - 2] != k)
        fail("A ", shapeToString(a.shape()), " and B ", shapeToString(b.shape()),
             " do not multiply");
    const Shape aBatch(as.begin(), as.end() - 2), bBatch(bs.begin(), bs.end() - 2);
    const Shape batch = broadcastShapes(aBatch, bBatch);
    const auto aStrides = broadcastStrides(aBatch, batch),
               bStrides = broadcastStrides(bBatch, batch);
    IntMatMul r;
    r.m = m;
    r.n = n;
    const int64_t batches = product(batch);
    r.acc.assign(static_cast<size_t>(batches * m * n), 0);
    for (int64_t bi = 0; bi < batches; ++bi) {
        int64_t aOff = 0, bOff = 0, rem = bi;
        for (size_t d = batch.size(); d-- > 0;) {
            const int64_t idx = rem % batch[d];
            rem /= batch[d];
            aOff += idx * aStrides[d];
            bOff += idx * bStrides[d];
        }
        aOff *= m * k;
        bOff *= k * n;
        for (int64_t i = 0; i < m; ++i)
            for (int64_t j = 0; j < n; ++j) {
                int32_t sum = 0;
                for (int64_t p = 0; p < k; ++p)
                    sum += (intAt(a, aOff + i * k + p) - at(aZero, i)) *
                           (intAt(b, bOff + p * n + j) - at(bZero, j));
                r.acc[static_cast<size_t>((bi * m + i) * n + j)] = sum;
            }
    }
    r.shape = batch;
    if (a.rank() > 1)
        r.shape.push_back(m);
    if (b.rank() > 1)
        r.shape.push_back(n);
    return r;
}

// The int32 sums of an integer convolution of X (N, C, D...) with W (M, C/group, k...), padding
// taps adding nothing, zero points per tensor (X) and per tensor or output channel (W).
struct IntConv {
    Shape shape;
    std::vector<int32_t> acc;
};

IntConv intConv(const WindowAttrs& window, int64_t group, const Tensor& x, const Tensor& w,
                int32_t xZero, const std::vector<int32_t>& wZero) {
    if (x.rank() < 3 || w.rank() != x.rank())
        fail("X ", shapeToString(x.shape()), " and W ", shapeToString(w.shape()),
             " should both be NxCxD1... tensors of one rank");
    const int64_t n = x.shape()[0], c = x.shape()[1], m = w.shape()[0], cg = w.shape()[1];
    if (c != cg * group || m % group != 0)
        fail("X has ", c, " channels and W is ", shapeToString(w.shape()), " with group ", group);
    if (wZero.size() != 1 && static_cast<int64_t>(wZero.size()) != m)
        fail("w_zero_point has ", wZero.size(), " values for ", m, " output channels");
    const Shape kernel(w.shape().begin() + 2, w.shape().end());
    if (!window.kernel.empty() && window.kernel != kernel)
        fail("kernel_shape does not match W ", shapeToString(w.shape()));
    const Geometry g =
        windowGeometry(window, Shape(x.shape().begin() + 2, x.shape().end()), kernel);
    IntConv r;
    r.shape = {n, m};
    for (int64_t d : g.outDims())
        r.shape.push_back(d);
    const int64_t mg = m / group;
    r.acc.assign(static_cast<size_t>(n * m * g.outSize()), 0);
    for (int64_t b = 0; b < n; ++b)
        for (int64_t oc = 0; oc < m; ++oc) {
            const int64_t gi = oc / mg;
            const int32_t wz = at(wZero, oc);
            for (int64_t o0 = 0; o0 < g.out[0]; ++o0)
                for (int64_t o1 = 0; o1 < g.out[1]; ++o1)
                    for (int64_t o2 = 0; o2 < g.out[2]; ++o2) {
                        int32_t sum = 0;
                        for (int64_t ic = 0; ic < cg; ++ic) {
                            const int64_t xBase = (b * c + gi * cg + ic) * g.inSize();
                            const int64_t wBase = (oc * cg + ic) * g.kernelSize();
                            for (int64_t k0 = 0; k0 < g.kernel[0]; ++k0) {
                                const int64_t i0 =
                                    o0 * g.stride[0] - g.padBegin[0] + k0 * g.dilation[0];
                                if (i0 < 0 || i0 >= g.in[0])
                                    continue;
                                for (int64_t k1 = 0; k1 < g.kernel[1]; ++k1) {
                                    const int64_t i1 =
                                        o1 * g.stride[1] - g.padBegin[1] + k1 * g.dilation[1];
                                    if (i1 < 0 || i1 >= g.in[1])
                                        continue;
                                    for (int64_t k2 = 0; k2 < g.kernel[2]; ++k2) {
                                        const int64_t i2 =
                                            o2 * g.stride[2] - g.padBegin[2] + k2 * g.dilation[2];
                                        if (i2 < 0 || i2 >= g.in[2])
                                            continue;
                                        const int32_t xv =
                                            intAt(x, xBase + (i0 * g.in[1] + i1) * g.in[2] + i2);
                                        const int32_t wv = intAt(
                                            w, wBase + (k0 * g.kernel[1] + k1) * g.kernel[2] + k2);
                                        sum += (xv - xZero) * (wv - wz);
                                    }
                                }
                            }
                        }
                        r.acc[static_cast<size_t>(((b * m + oc) * g.out[0] + o0) * g.out[1] *
                                                      g.out[2] +
                                                  o1 * g.out[2] + o2)] = sum;
                    }
        }
    return r;
}

int64_t convGroup(const NodeAttrs& a) {
    const int64_t group = a.getInt("group", 1);
    if (group < 1)
        a.fail("group should be >= 1, got ", group);
    return group;
}

} // namespace

std::unique_ptr<Kernel> makeDynamicQuantizeLinear(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    return makeKernel([](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        if (x.dtype() != DataType::Float32)
            fail("x should be float32, got ", dtypeName(x.dtype()));
        // The range always includes 0 so that 0 is exact.
        float lo = 0.0f, hi = 0.0f;
        for (float v : x.span<float>()) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
        const float scale = (hi - lo) / 255.0f;
        const float zero =
            scale == 0.0f ? 0.0f : std::clamp(std::nearbyint(-lo / scale), 0.0f, 255.0f);
        Tensor& y = ctx.output(0, DataType::UInt8, x.shape());
        for (int64_t i = 0; i < x.numel(); ++i)
            y.data<uint8_t>()[i] =
                scale == 0.0f
                    ? static_cast<uint8_t>(zero)
                    : static_cast<uint8_t>(std::clamp(
                          std::nearbyint(x.data<float>()[i] / scale) + zero, 0.0f, 255.0f));
        ctx.output(1, DataType::Float32, {}).data<float>()[0] = scale;
        ctx.output(2, DataType::UInt8, {}).data<uint8_t>()[0] = static_cast<uint8_t>(zero);
    });
}

std::unique_ptr<Kernel> makeMatMulInteger(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 4);
    return makeKernel([](KernelContext& ctx) {
        const Tensor &x = ctx.in(0), &w = ctx.in(1);
        expectBytes(x, "A");
        expectBytes(w, "B");
        const int64_t m = x.rank() > 1 ? x.shape()[x.rank() - 2] : 1;
        const int64_t n = w.shape().back();
        const IntMatMul r = intMatMul(x, w, zeroPoints(ctx.input(2), m, "a_zero_point"),
                                      zeroPoints(ctx.input(3), n, "b_zero_point"));
        Tensor& y = ctx.output(0, DataType::Int32, r.shape);
        std::copy(r.acc.begin(), r.acc.end(), y.data<int32_t>());
    });
}

std::unique_ptr<Kernel> makeQLinearMatMul(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(8, 8);
    return makeKernel([](KernelContext& ctx) {
        const Tensor &x = ctx.in(0), &w = ctx.in(3), &yZero = ctx.in(7);
        expectBytes(x, "a");
        expectBytes(w, "b");
        expectBytes(yZero, "y_zero_point");
        const int64_t m = x.rank() > 1 ? x.shape()[x.rank() - 2] : 1;
        const int64_t n = w.shape().back();
        const IntMatMul r = intMatMul(x, w, zeroPoints(&ctx.in(2), m, "a_zero_point"),
                                      zeroPoints(&ctx.in(5), n, "b_zero_point"));
        const std::vector<float> aScale = scales(ctx.in(1), m, "a_scale");
        const std::vector<float> bScale = scales(ctx.in(4), n, "b_scale");
        const std::vector<float> yScale = scales(ctx.in(6), 1, "y_scale");
        const int32_t yz = intAt(yZero, 0);
        Tensor& y = ctx.output(0, yZero.dtype(), r.shape);
        for (size_t i = 0; i < r.acc.size(); ++i) {
            const int64_t row = static_cast<int64_t>(i) / r.n % r.m;
            const int64_t col = static_cast<int64_t>(i) % r.n;
            const float multiplier = at(aScale, row) * at(bScale, col) / yScale[0];
            const double v = std::nearbyint(static_cast<float>(r.acc[i]) * multiplier) + yz;
            storeByte(y, static_cast<int64_t>(i), saturate(v, yZero.dtype()));
        }
    });
}

std::unique_ptr<Kernel> makeConvInteger(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 4);
    const WindowAttrs window = parseWindow(a);
    const int64_t group = convGroup(a);
    return makeKernel([=](KernelContext& ctx) {
        const Tensor &x = ctx.in(0), &w = ctx.in(1);
        expectBytes(x, "x");
        expectBytes(w, "w");
        const std::vector<int32_t> xZero = zeroPoints(ctx.input(2), 1, "x_zero_point");
        const IntConv r = intConv(window, group, x, w, xZero[0],
                                  zeroPoints(ctx.input(3), w.shape()[0], "w_zero_point"));
        Tensor& y = ctx.output(0, DataType::Int32, r.shape);
        std::copy(r.acc.begin(), r.acc.end(), y.data<int32_t>());
    });
}

std::unique_ptr<Kernel> makeQLinearConv(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(8, 9);
    const WindowAttrs window = parseWindow(a);
    const int64_t group = convGroup(a);
    return makeKernel([=](KernelContext& ctx) {
        const Tensor &x = ctx.in(0), &w = ctx.in(3), &yZero = ctx.in(7);
        expectBytes(x, "x");
        expectBytes(w, "w");
        expectBytes(yZero, "y_zero_point");
        const int64_t m = w.rank() > 0 ? w.shape()[0] : 0;
        const std::vector<int32_t> xZero = zeroPoints(&ctx.in(2), 1, "x_zero_point");
        const IntConv r =
            intConv(window, group, x, w, xZero[0], zeroPoints(&ctx.in(5), m, "w_zero_point"));
        const float xScale = scales(ctx.in(1), 1, "x_scale")[0];
        const std::vector<float> wScale = scales(ctx.in(4), m, "w_scale");
        const float yScale = scales(ctx.in(6), 1, "y_scale")[0];
        const Tensor* bias = ctx.input(8);
        if (bias && (bias->dtype() != DataType::Int32 || bias->numel() != m))
            fail("B should be int32 with ", m, " values");
        const int32_t yz = intAt(yZero, 0);
        const int64_t spatial = product(r.shape, 2, r.shape.size());
        Tensor& y = ctx.output(0, yZero.dtype(), r.shape);
        for (size_t i = 0; i < r.acc.size(); ++i) {
            const int64_t oc = static_cast<int64_t>(i) / spatial % m;
            const int32_t acc = r.acc[i] + (bias ? bias->data<int32_t>()[oc] : 0);
            const float multiplier = xScale * at(wScale, oc) / yScale;
            const double v = std::nearbyint(static_cast<float>(acc) * multiplier) + yz;
            storeByte(y, static_cast<int64_t>(i), saturate(v, yZero.dtype()));
        }
    });
}

// Inputs of the 8-bit types the ops take (ONNX allows uint8 and int8 for every quantized input).
runtime::Claim claimIntegerOp(const KernelInfo& info) {
    static const std::map<std::string, std::vector<size_t>> kByteInputs = {
        {"MatMulInteger", {0, 1}},  {"ConvInteger", {0, 1}},       {"QLinearMatMul", {0, 3, 7}},
        {"QLinearConv", {0, 3, 7}}, {"DynamicQuantizeLinear", {}},
    };
    for (size_t i : kByteInputs.at(info.node.opType)) {
        if (!info.hasInput(i))
            continue;
        const DataType t = info.inputValue(i).dtype;
        if (t != DataType::Undefined && !isByteType(t))
            return runtime::Claim::declined(runtime::Decline::Dtype, "dtype ", dtypeName(t),
                                            " of input '", info.inputValue(i).name,
                                            "' is not implemented (uint8 or int8)");
    }
    if (info.node.opType == "ConvInteger" || info.node.opType == "QLinearConv") {
        const size_t rank =
            info.hasInput(0) && info.inputValue(0).shape ? info.inputValue(0).shape->size() : 0;
        if (rank > 5)
            return runtime::Claim::declined(runtime::Decline::Shape,
                                            "spatial ranks above 3 are not implemented");
    }
    return runtime::Claim::claimed();
}

} // namespace lb::backends::reference
