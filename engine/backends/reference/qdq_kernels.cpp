// QuantizeLinear / DequantizeLinear (opsets 10-19 forms: per-tensor or per-axis, no block size),
// computed as the ONNX spec states and ONNX Runtime's CPU kernels do: x / scale in float32,
// rounded half to even, plus zero_point, saturated to the output type; and
// (q - zero_point) * scale in float32. LayerBench's own FakeQuant uses the same rule
// (ops/encoding.h), so a QDQ export runs as the simulation does.
#include "backends/reference/kernel_util.h"
#include "backends/reference/kernels.h"

#include <cmath>
#include <limits>

namespace lb::backends::reference {

namespace {

// Per-tensor or per-axis parameters of one node, read from its scale and zero-point inputs.
struct QdqParams {
    std::vector<float> scales;
    std::vector<int64_t> zeroPoints;
    int64_t channels = 1;
    int64_t inner = 1; // elements per step along the axis
};

QdqParams readParams(const std::string& where, const KernelContext& ctx, const Shape& shape,
                     int64_t axisAttr) {
    const Tensor& scale = ctx.in(1);
    if (scale.dtype() != DataType::Float32)
        fail(where, "scale must be float32, got ", dtypeName(scale.dtype()));
    if (scale.rank() > 1)
        fail(where, "scale must be a scalar or 1-D (blocked quantization is not supported)");
    QdqParams p;
    p.scales = toFloats(scale);
    const Tensor* zp = ctx.input(2);
    if (zp && zp->numel() != scale.numel())
        fail(where, "zero_point has ", zp->numel(), " elements, scale ", scale.numel());
    p.zeroPoints.assign(p.scales.size(), 0);
    if (zp)
        for (int64_t i = 0; i < zp->numel(); ++i)
            p.zeroPoints[static_cast<size_t>(i)] = static_cast<int64_t>(zp->valueAsDouble(i));
    if (scale.rank() == 1 && scale.numel() > 1) {
        const int64_t axis = normalizeAxis(axisAttr, static_cast<int64_t>(shape.size()));
        if (shape[axis] != scale.numel())
            fail(where, "scale has ", scale.numel(), " elements but axis ", axis,
                 " of the input has ", shape[axis]);
        p.channels = scale.numel();
        p.inner = product(shape, axis + 1, shape.size());
    }
    for (float s : p.scales)
        if (!(s > 0.0f) || !std::isfinite(s))
            fail(where, "scale must be finite and > 0, got ", s);
    return p;
}

template <typename F> void dispatchQuantType(const std::string& where, DataType type, F&& f) {
    switch (type) {
    case DataType::UInt8:
        f(uint8_t{});
        break;
    case DataType::Int8:
        f(int8_t{});
        break;
    case DataType::UInt16:
        f(uint16_t{});
        break;
    case DataType::Int16:
        f(int16_t{});
        break;
    case DataType::Int32:
        f(int32_t{});
        break;
    default:
        fail(where, "quantized type ", dtypeName(type),
             " is not supported (uint8, int8, uint16, int16, int32)");
    }
}

} // namespace

std::unique_ptr<Kernel> makeQuantizeLinear(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 3);
    const int64_t axis = a.getInt("axis", 1);
    // Only plain values are captured: the KernelInfo `a` reads does not outlive creation.
    return makeKernel([where = a.where(), axis](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        if (x.dtype() != DataType::Float32)
            fail(where, "x must be float32, got ", dtypeName(x.dtype()));
        const QdqParams p = readParams(where, ctx, x.shape(), axis);
        const Tensor* zp = ctx.input(2);
        const DataType outType = zp ? zp->dtype() : DataType::UInt8;
        if (outType == DataType::Int32)
            fail(where, "QuantizeLinear cannot produce int32");
        Tensor& y = ctx.output(0, outType, x.shape());
        dispatchQuantType(where, outType, [&](auto tag) {
            using T = decltype(tag);
            const auto lo = static_cast<float>(std::numeric_limits<T>::min());
            const auto hi = static_cast<float>(std::numeric_limits<T>::max());
            const float* in = x.data<float>();
            T* out = y.data<T>();
            const int64_t n = x.numel();
#pragma omp parallel for num_threads(ctx.threads()) if (n > 16384)
            for (int64_t i = 0; i < n; ++i) {
                const size_t c =
                    p.channels == 1 ? 0 : static_cast<size_t>((i / p.inner) % p.channels);
                // nearbyint rounds half to even in the default rounding mode.
                const float q =
                    std::nearbyint(in[i] / p.scales[c]) + static_cast<float>(p.zeroPoints[c]);
                out[i] = static_cast<T>(std::min(std::max(q, lo), hi));
            }
        });
    });
}

std::unique_ptr<Kernel> makeDequantizeLinear(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 3);
    const int64_t axis = a.getInt("axis", 1);
    // Only plain values are captured: the KernelInfo `a` reads does not outlive creation.
    return makeKernel([where = a.where(), axis](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        const QdqParams p = readParams(where, ctx, x.shape(), axis);
        if (const Tensor* zp = ctx.input(2); zp && zp->dtype() != x.dtype())
            fail(where, "zero_point is ", dtypeName(zp->dtype()), ", x is ", dtypeName(x.dtype()));
        Tensor& y = ctx.output(0, DataType::Float32, x.shape());
        dispatchQuantType(where, x.dtype(), [&](auto tag) {
            using T = decltype(tag);
            const T* in = x.data<T>();
            float* out = y.data<float>();
            const int64_t n = x.numel();
#pragma omp parallel for num_threads(ctx.threads()) if (n > 16384)
            for (int64_t i = 0; i < n; ++i) {
                const size_t c =
                    p.channels == 1 ? 0 : static_cast<size_t>((i / p.inner) % p.channels);
                out[i] =
                    static_cast<float>(static_cast<int64_t>(in[i]) - p.zeroPoints[c]) * p.scales[c];
            }
        });
    });
}

runtime::Claim claimQdq(const KernelInfo& info) {
    using runtime::Claim;
    using runtime::Decline;
    if (NodeAttrs(info.graph, info.node).getInt("block_size", 0) != 0)
        return Claim::declined(Decline::Attribute, "blocked quantization is not implemented");
    // The quantized side: DequantizeLinear's x, QuantizeLinear's zero point (uint8 without one).
    const size_t slot = info.node.opType == "DequantizeLinear" ? 0 : 2;
    if (info.inputCount() > slot && info.hasInput(slot)) {
        const DataType t = info.inputValue(slot).dtype;
        if (t != DataType::Undefined && t != DataType::UInt8 && t != DataType::Int8 &&
            t != DataType::UInt16 && t != DataType::Int16 && !(t == DataType::Int32 && slot == 0))
            return Claim::declined(Decline::Dtype, "quantized type ", dtypeName(t),
                                   " is not implemented (uint8, int8, uint16, int16",
                                   slot == 0 ? ", int32)" : ")");
    }
    return Claim::claimed();
}

} // namespace lb::backends::reference
