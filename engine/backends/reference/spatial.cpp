#include "backends/reference/spatial.h"

#include <cmath>

namespace lb::backends::reference {

WindowAttrs WindowAttrs::parse(const NodeAttrs& a) {
    WindowAttrs w;
    w.kernel = a.getInts("kernel_shape");
    w.strides = a.getInts("strides");
    w.pads = a.getInts("pads");
    w.dilations = a.getInts("dilations");
    w.autoPad = a.getString("auto_pad", "NOTSET");
    w.ceilMode = a.getInt("ceil_mode", 0) != 0;
    if (w.autoPad != "NOTSET" && w.autoPad != "SAME_UPPER" && w.autoPad != "SAME_LOWER" &&
        w.autoPad != "VALID")
        a.fail("auto_pad should be NOTSET, SAME_UPPER, SAME_LOWER or VALID, got '", w.autoPad, "'");
    for (int64_t v : w.strides)
        if (v < 1)
            a.fail("strides should be >= 1");
    for (int64_t v : w.dilations)
        if (v < 1)
            a.fail("dilations should be >= 1");
    for (int64_t v : w.pads)
        if (v < 0)
            a.fail("pads should be >= 0");
    // kernel_shape is optional for Conv (the weights say it); any one attribute fixes the rank.
    const size_t rank = !w.kernel.empty()      ? w.kernel.size()
                        : !w.strides.empty()   ? w.strides.size()
                        : !w.dilations.empty() ? w.dilations.size()
                                               : w.pads.size() / 2;
    if (rank > static_cast<size_t>(Geometry::kMaxRank))
        a.fail("spatial rank ", rank, " is not supported (at most 3)");
    if ((!w.strides.empty() && w.strides.size() != rank) ||
        (!w.dilations.empty() && w.dilations.size() != rank) ||
        (!w.pads.empty() && w.pads.size() != 2 * rank))
        a.fail("kernel_shape, strides, dilations and pads disagree on the spatial rank");
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
    if ((!attrs.strides.empty() && static_cast<int>(attrs.strides.size()) != rank) ||
        (!attrs.pads.empty() && static_cast<int>(attrs.pads.size()) != 2 * rank))
        fail("strides/pads do not match the input's spatial rank ", rank);
    Geometry g;
    g.rank = rank;
    const int off = Geometry::kMaxRank - rank;
    for (int i = 0; i < rank; ++i) {
        const int j = i + off;
        g.in[j] = inSpatial[i];
        g.kernel[j] = kernel[i];
        g.stride[j] = attrs.strides.empty() ? 1 : attrs.strides[i];
        g.dilation[j] = attrs.dilations.empty() ? 1 : attrs.dilations[i];
        const int64_t effective = (g.kernel[j] - 1) * g.dilation[j] + 1;
        if (attrs.autoPad == "SAME_UPPER" || attrs.autoPad == "SAME_LOWER") {
            g.out[j] = (g.in[j] + g.stride[j] - 1) / g.stride[j];
            const int64_t total =
                std::max<int64_t>(0, (g.out[j] - 1) * g.stride[j] + effective - g.in[j]);
            g.padBegin[j] = attrs.autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
            g.padEnd[j] = total - g.padBegin[j];
            continue;
        }
        if (attrs.autoPad == "NOTSET" && !attrs.pads.empty()) {
            g.padBegin[j] = attrs.pads[i];
            g.padEnd[j] = attrs.pads[i + rank];
        }
        const int64_t span = g.in[j] + g.padBegin[j] + g.padEnd[j] - effective;
        if (span < 0)
            fail("window of ", effective, " does not fit input dimension ", g.in[j],
                 " with padding");
        g.out[j] =
            (attrs.ceilMode ? (span + g.stride[j] - 1) / g.stride[j] : span / g.stride[j]) + 1;
    }
    return g;
}

} // namespace lb::backends::reference
