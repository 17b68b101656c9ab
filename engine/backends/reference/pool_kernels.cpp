#include "backends/reference/kernel_util.h"
#include "backends/reference/kernels.h"
#include "backends/reference/spatial.h"

#include <cmath>
#include <limits>

namespace lb::backends::reference {

std::unique_ptr<Kernel> makePool(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    const bool isMax = info.node.opType == "MaxPool";
    // Spatial ranks 1-3, dense AveragePool windows, row-major Indices: claimPool.
    WindowAttrs window = parseWindow(a);
    if (window.kernel.empty())
        a.fail("kernel_shape is required");
    const bool countIncludePad = a.getInt("count_include_pad", 0) != 0;
    const bool wantIndices = info.node.outputs.size() > 1 && info.node.outputs[1] != ir::kNoValue;
    return makeKernel([=](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        if (x.dtype() != DataType::Float32)
            fail("expected float32 input, got ", dtypeName(x.dtype()));
        if (x.rank() < 3)
            fail("expected an NxCxD1... input, got ", shapeToString(x.shape()));
        const Shape spatial(x.shape().begin() + 2, x.shape().end());
        const Geometry g = windowGeometry(window, spatial, window.kernel);
        Shape outShape{x.shape()[0], x.shape()[1]};
        for (int64_t d : g.outDims())
            outShape.push_back(d);
        Tensor& y = ctx.output(0, DataType::Float32, outShape);
        int64_t* indices =
            wantIndices ? ctx.output(1, DataType::Int64, outShape).data<int64_t>() : nullptr;
        const int64_t planes = x.shape()[0] * x.shape()[1], iSize = g.inSize(), oSize = g.outSize();
#pragma omp parallel for num_threads(ctx.threads())
        for (int64_t pl = 0; pl < planes; ++pl) {
            const float* xp = x.data<float>() + pl * iSize;
            float* yp = y.data<float>() + pl * oSize;
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
                        float best = -std::numeric_limits<float>::infinity(), sum = 0.0f;
                        int64_t bestIndex = 0, count = 0;
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
                                    const float v = xp[idx];
                                    if (v > best) {
                                        best = v;
                                        bestIndex = idx;
                                    }
                                    sum += v;
                                    ++count;
                                }
                            }
                        }
                        const int64_t oi = (od * g.out[1] + oh) * g.out[2] + ow;
                        if (isMax) {
                            yp[oi] = best;
                            if (indices)
                                indices[pl * oSize + oi] = pl * iSize + bestIndex;
                        } else {
                            const int64_t div = countIncludePad ? padded : count;
                            yp[oi] = div > 0 ? sum / static_cast<float>(div) : 0.0f;
                        }
                    }
        }
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
    if (info.node.outputs.size() > 1 && info.node.outputs[1] != ir::kNoValue &&
        a.getInt("storage_order", 0) != 0)
        return Claim::declined(Decline::Attribute,
                               "the Indices output with storage_order=1 is not implemented");
    return Claim::claimed();
}

} // namespace lb::backends::reference
