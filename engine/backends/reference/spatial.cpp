#include "backends/reference/spatial.h"

#include <algorithm>
#include <cmath>

namespace lb::backends::reference {

WindowAttrs parseWindow(const NodeAttrs& a) {
    WindowAttrs w = ops::parseWindowAttrs(a.node());
    if (w.rank() > static_cast<size_t>(Geometry::kMaxRank))
        a.fail("spatial rank ", w.rank(), " is not supported (at most 3)");
    return w;
}

std::vector<int64_t> Geometry::outDims() const {
    return std::vector<int64_t>(out.begin() + (kMaxRank - rank), out.end());
}

Geometry windowGeometry(const WindowAttrs& attrs, const Shape& inSpatial,
                        const std::vector<int64_t>& kernel) {
    const int rank = static_cast<int>(inSpatial.size());
    if (rank < 1 || rank > Geometry::kMaxRank || static_cast<int>(kernel.size()) != rank)
        fail("spatial rank ", rank, " does not match kernel rank ", kernel.size());
    Geometry g;
    g.rank = rank;
    const int off = Geometry::kMaxRank - rank;
    for (int i = 0; i < rank; ++i) {
        const int j = i + off;
        const ops::WindowAxis axis = ops::windowAxis(attrs, i, rank, inSpatial[i], kernel[i]);
        g.in[j] = inSpatial[i];
        g.kernel[j] = kernel[i];
        g.stride[j] = axis.stride;
        g.dilation[j] = axis.dilation;
        g.padBegin[j] = axis.padBegin;
        g.padEnd[j] = axis.padEnd;
        g.out[j] = axis.out;
    }
    return g;
}

Geometry transposedGeometry(const WindowAttrs& attrs, const std::vector<int64_t>& outputPadding,
                            const std::vector<int64_t>& outputShape, const Shape& inSpatial,
                            const Shape& kernel) {
    const int rank = static_cast<int>(inSpatial.size());
    if (rank < 1 || rank > Geometry::kMaxRank || static_cast<int>(kernel.size()) != rank)
        fail("spatial rank ", rank, " does not match kernel rank ", kernel.size());
    const int off = Geometry::kMaxRank - rank;
    Geometry g;
    g.rank = rank;
    for (int i = 0; i < rank; ++i) {
        const int j = i + off;
        g.in[j] = inSpatial[i];
        g.kernel[j] = kernel[i];
        g.stride[j] = attrs.strides.empty() ? 1 : attrs.strides[i];
        g.dilation[j] = attrs.dilations.empty() ? 1 : attrs.dilations[i];
        const int64_t outPad = outputPadding.empty() ? 0 : outputPadding[i];
        const int64_t full =
            g.stride[j] * (g.in[j] - 1) + outPad + (g.kernel[j] - 1) * g.dilation[j] + 1;
        const bool same = attrs.autoPad == "SAME_UPPER" || attrs.autoPad == "SAME_LOWER";
        if (!outputShape.empty() || same) {
            const int64_t target = !outputShape.empty() ? outputShape[outputShape.size() - rank + i]
                                                        : g.in[j] * g.stride[j];
            const int64_t total = std::max<int64_t>(0, full - target);
            const bool upper = attrs.autoPad == "SAME_UPPER";
            g.padBegin[j] = upper ? total / 2 : total - total / 2;
            g.padEnd[j] = total - g.padBegin[j];
            g.out[j] = target;
        } else {
            if (!attrs.pads.empty()) {
                g.padBegin[j] = attrs.pads[i];
                g.padEnd[j] = attrs.pads[i + rank];
            }
            g.out[j] = full - g.padBegin[j] - g.padEnd[j];
        }
        if (g.out[j] < 1)
            fail("output dimension ", i, " would be ", g.out[j]);
    }
    return g;
}

} // namespace lb::backends::reference
