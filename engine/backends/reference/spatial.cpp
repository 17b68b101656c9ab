#include "backends/reference/spatial.h"

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

} // namespace lb::backends::reference
