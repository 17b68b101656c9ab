#include "backends/reference/kernel_util.h"
#include "backends/reference/kernels.h"
#include "backends/reference/spatial.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace lb::backends::reference {

namespace {

struct PoolParams {
    bool isMax = false, countIncludePad = false, columnMajorIndices = false;
};

// One pooling over every plane of x into y (and the MaxPool Indices, flat over the whole input,
// row-major or, with storage_order=1, column-major over each plane's spatial dimensions).
template <typename T>
void poolPlanes(const PoolParams& p, const Geometry& g, const Tensor& x, Tensor& y,
                int64_t* indices, int threads) {
    const int64_t planes = x.shape()[0] * x.shape()[1], iSize = g.inSize(), oSize = g.outSize();
#pragma omp parallel for num_threads(threads)
    for (int64_t pl = 0; pl < planes; ++pl) {
        const T* xp = x.data<T>() + pl * iSize;
        T* yp = y.data<T>() + pl * oSize;
        for (int64_t od = 0; od < g.out[0]; ++od)
            for (int64_t oh = 0; oh < g.out[1]; ++oh)
                for (int64_t ow = 0; ow < g.out[2]; ++ow) {
                    const int64_t o[3] = {od, oh, ow};
                    int64_t lo[3], hi[3], padded = 1;
                    for (int d = 0; d < 3; ++d) {
                        lo[d] = o[d] * g.stride[d] - g.padBegin[d];
                        const int64_t end = lo[d] + (g.kernel[d] - 1) * g.dilation[d] + 1;
                        // count_include_pad counts taps inside the padded extent only.
                        padded *= std::min(end, g.in[d] + g.padEnd[d]) - lo[d];
                        hi[d] = end;
                    }
                    T best = std::numeric_limits<T>::lowest();
                    if constexpr (std::numeric_limits<T>::has_infinity)
                        best = -std::numeric_limits<T>::infinity();
                    float sum = 0.0f;
                    int64_t bestIndex = -1, count = 0;
                    for (int64_t id = lo[0]; id < hi[0]; id += g.dilation[0]) {
                        if (id < 0 || id >= g.in[0])
                            continue;
                        for (int64_t ih = lo[1]; ih < hi[1]; ih += g.dilation[1]) {
                            if (ih < 0 || ih >= g.in[1])
                                continue;
                            for (int64_t iw = lo[2]; iw < hi[2]; iw += g.dilation[2]) {
                                if (iw < 0 || iw >= g.in[2])
                                    continue;
                                const int64_t idx = (id * g.in[1] + ih) * g.in[2] + iw;
                                const T v = xp[idx];
                                if (bestIndex < 0 || v > best) {
                                    best = v;
                                    bestIndex = p.columnMajorIndices
                                                    ? (iw * g.in[1] + ih) * g.in[0] + id
                                                    : idx;
                                }
                                sum += static_cast<float>(v);
                                ++count;
                            }
                        }
                    }
                    const int64_t oi = (od * g.out[1] + oh) * g.out[2] + ow;
                    if (p.isMax) {
                        yp[oi] = best;
                        if (indices)
                            indices[pl * oSize + oi] = pl * iSize + std::max<int64_t>(0, bestIndex);
                    } else {
                        const int64_t div = p.countIncludePad ? padded : count;
                        yp[oi] = static_cast<T>(div > 0 ? sum / static_cast<float>(div) : 0.0f);
                    }
                }
    }
}

} // namespace

std::unique_ptr<Kernel> makePool(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    PoolParams params;
    params.isMax = info.node.opType == "MaxPool";
    // Spatial ranks 1-3, dense AveragePool windows, MaxPool's types: claimPool.
    WindowAttrs window = parseWindow(a);
    if (window.kernel.empty())
        a.fail("kernel_shape is required");
    params.countIncludePad = a.getInt("count_include_pad", 0) != 0;
    const int64_t storageOrder = a.getInt("storage_order", 0);
    if (storageOrder != 0 && storageOrder != 1)
        a.fail("storage_order should be 0 or 1, got ", storageOrder);
    params.columnMajorIndices = storageOrder == 1;
    const bool wantIndices = info.node.outputs.size() > 1 && info.node.outputs[1] != ir::kNoValue;
    return makeKernel([=](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        if (x.rank() < 3)
            fail("expected an NxCxD1... input, got ", shapeToString(x.shape()));
        const Shape spatial(x.shape().begin() + 2, x.shape().end());
        const Geometry g = windowGeometry(window, spatial, window.kernel);
        Shape outShape{x.shape()[0], x.shape()[1]};
        for (int64_t d : g.outDims())
            outShape.push_back(d);
        Tensor& y = ctx.output(0, x.dtype(), outShape);
        int64_t* indices =
            wantIndices ? ctx.output(1, DataType::Int64, outShape).data<int64_t>() : nullptr;
        const DataType t = x.dtype();
        if (t == DataType::Float32)
            poolPlanes<float>(params, g, x, y, indices, ctx.threads());
        else if (params.isMax && t == DataType::Float64)
            poolPlanes<double>(params, g, x, y, indices, ctx.threads());
        else if (params.isMax && t == DataType::UInt8)
            poolPlanes<uint8_t>(params, g, x, y, indices, ctx.threads());
        else if (params.isMax && t == DataType::Int8)
            poolPlanes<int8_t>(params, g, x, y, indices, ctx.threads());
        else
            fail("expected a float32 input (MaxPool: also float64, int8 or uint8), got ",
                 dtypeName(t));
    });
}

std::unique_ptr<Kernel> makeGlobalPool(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    const bool isMax = info.node.opType == "GlobalMaxPool";
    return makeKernel([isMax](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        if (x.dtype() != DataType::Float32 || x.rank() < 3)
            fail("expected a float32 NxCxD1... input, got ", dtypeName(x.dtype()), " ",
                 shapeToString(x.shape()));
        Shape outShape = x.shape();
        for (size_t i = 2; i < outShape.size(); ++i)
            outShape[i] = 1;
        Tensor& y = ctx.output(0, DataType::Float32, outShape);
        const int64_t planes = x.shape()[0] * x.shape()[1],
                      size = product(x.shape(), 2, x.shape().size());
#pragma omp parallel for num_threads(ctx.threads())
        for (int64_t pl = 0; pl < planes; ++pl) {
            const float* xp = x.data<float>() + pl * size;
            float acc = isMax ? -std::numeric_limits<float>::infinity() : 0.0f;
            for (int64_t i = 0; i < size; ++i)
                acc = isMax ? std::max(acc, xp[i]) : acc + xp[i];
            y.data<float>()[pl] = isMax ? acc : acc / static_cast<float>(size);
        }
    });
}

std::unique_ptr<Kernel> makeMaxUnpool(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 3);
    const WindowAttrs window = ops::parseWindowAttrs(info.node);
    if (window.kernel.empty())
        a.fail("kernel_shape is required");
    return makeKernel([window](KernelContext& ctx) {
        const Tensor &x = ctx.in(0), &indicesT = ctx.in(1);
        const size_t rank = window.kernel.size();
        if (x.rank() != static_cast<int64_t>(rank) + 2)
            fail("input ", shapeToString(x.shape()), " does not have the ", rank,
                 " spatial dimensions of kernel_shape");
        if (indicesT.shape() != x.shape())
            fail("indices ", shapeToString(indicesT.shape()), " should have the input's shape ",
                 shapeToString(x.shape()));
        // The indices are flat positions in the default output shape (what MaxPool's input
        // was); a given output_shape keeps each element's coordinates, as ONNX's test data does.
        Shape inferred{x.shape()[0], x.shape()[1]};
        for (size_t d = 0; d < rank; ++d) {
            const int64_t stride = window.strides.empty() ? 1 : window.strides[d];
            const int64_t pads = window.pads.empty() ? 0 : window.pads[d] + window.pads[d + rank];
            inferred.push_back((x.shape()[d + 2] - 1) * stride + window.kernel[d] - pads);
        }
        Shape shape = inferred;
        if (const Tensor* given = ctx.input(2)) {
            shape = toInt64s(*given, "output_shape");
            if (shape.size() != x.shape().size())
                fail("output_shape ", shapeToString(shape), " should have rank ", x.rank());
        }
        Tensor& y = ctx.output(0, x.dtype(), shape);
        std::memset(y.rawData(), 0, y.byteSize());
        const std::vector<int64_t> indices = toInt64s(indicesT, "indices");
        const size_t size = dtypeSize(x.dtype());
        const int64_t count = product(inferred);
        for (size_t i = 0; i < indices.size(); ++i) {
            if (indices[i] < 0 || indices[i] >= count)
                fail("index ", indices[i], " is outside the unpooled shape ",
                     shapeToString(inferred));
            int64_t rest = indices[i], target = 0, scale = 1;
            for (size_t d = shape.size(); d-- > 0;) {
                const int64_t at = rest % inferred[d];
                rest /= inferred[d];
                if (at >= shape[d])
                    fail("index ", indices[i], " falls outside output_shape ",
                         shapeToString(shape));
                target += at * scale;
                scale *= shape[d];
            }
            std::memcpy(static_cast<std::byte*>(y.rawData()) + target * size,
                        static_cast<const std::byte*>(x.rawData()) + i * size, size);
        }
    });
}

runtime::Claim claimPool(const KernelInfo& info) {
    using runtime::Claim;
    using runtime::Decline;
    const NodeAttrs a(info.graph, info.node);
    if (const auto& x = info.hasInput(0) ? info.inputValue(0).shape : std::nullopt;
        x && x->size() > 2 + static_cast<size_t>(Geometry::kMaxRank))
        return Claim::declined(Decline::Shape, "a rank-", x->size(),
                               " input (spatial ranks 1-3 are implemented)");
    if (info.node.opType == "GlobalMaxPool" || info.node.opType == "GlobalAveragePool")
        return Claim::claimed();
    const WindowAttrs w = ops::parseWindowAttrs(info.node);
    if (w.rank() > static_cast<size_t>(Geometry::kMaxRank))
        return Claim::declined(Decline::Shape, w.rank(),
                               "-D window (spatial ranks 1-3 are implemented)");
    if (info.node.opType == "AveragePool")
        for (int64_t d : w.dilations)
            if (d != 1)
                return Claim::declined(Decline::Attribute, "AveragePool dilations other than 1");
    // ONNX's pools (QMaxPool's claim checks its own types).
    if (info.hasInput(0) && (info.node.opType == "MaxPool" || info.node.opType == "AveragePool")) {
        const DataType t = info.inputValue(0).dtype;
        const bool maxType = t == DataType::Float64 || t == DataType::UInt8 || t == DataType::Int8;
        if (t != DataType::Float32 && t != DataType::Undefined &&
            !(info.node.opType == "MaxPool" && maxType))
            return Claim::declined(
                Decline::Dtype, "dtype ", dtypeName(t), " of input '", info.inputValue(0).name,
                "' is not implemented (", info.node.opType, " takes float32",
                info.node.opType == "MaxPool" ? ", float64, int8 or uint8)" : ")");
    }
    return Claim::claimed();
}

} // namespace lb::backends::reference
