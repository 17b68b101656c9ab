#include "ops/window.h"

#include "core/error.h"
#include "ops/node_attrs.h"

#include <algorithm>

namespace lb::ops {

size_t WindowAttrs::rank() const {
    return !kernel.empty()      ? kernel.size()
           : !strides.empty()   ? strides.size()
           : !dilations.empty() ? dilations.size()
                                : pads.size() / 2;
}

WindowAttrs parseWindowAttrs(const ir::Node& node) {
    const NodeAttrs a(node);
    WindowAttrs w;
    w.kernel = a.getInts("kernel_shape");
    w.strides = a.getInts("strides");
    w.pads = a.getInts("pads");
    w.dilations = a.getInts("dilations");
    w.autoPad = a.getString("auto_pad", w.autoPad);
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
    const size_t rank = w.rank();
    if ((!w.kernel.empty() && w.kernel.size() != rank) ||
        (!w.strides.empty() && w.strides.size() != rank) ||
        (!w.dilations.empty() && w.dilations.size() != rank) ||
        (!w.pads.empty() && w.pads.size() != 2 * rank))
        a.fail("kernel_shape, strides, dilations and pads disagree on the spatial rank");
    return w;
}

WindowAxis windowAxis(const WindowAttrs& w, size_t axis, size_t rank, int64_t in, int64_t kernel) {
    if ((!w.strides.empty() && w.strides.size() != rank) ||
        (!w.dilations.empty() && w.dilations.size() != rank) ||
        (!w.pads.empty() && w.pads.size() != 2 * rank))
        fail("strides, dilations or pads do not match the input's spatial rank ", rank);
    WindowAxis a;
    a.stride = w.strides.empty() ? 1 : w.strides[axis];
    a.dilation = w.dilations.empty() ? 1 : w.dilations[axis];
    const int64_t effective = (kernel - 1) * a.dilation + 1;
    if (w.autoPad == "SAME_UPPER" || w.autoPad == "SAME_LOWER") {
        a.out = (in + a.stride - 1) / a.stride;
        const int64_t total = std::max<int64_t>(0, (a.out - 1) * a.stride + effective - in);
        a.padBegin = w.autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
        a.padEnd = total - a.padBegin;
        return a;
    }
    if (w.autoPad == "NOTSET" && !w.pads.empty()) {
        a.padBegin = w.pads[axis];
        a.padEnd = w.pads[axis + rank];
    }
    const int64_t span = in + a.padBegin + a.padEnd - effective;
    if (span < 0)
        fail("window of ", effective, " does not fit input dimension ", in, " with padding");
    a.out = (w.ceilMode ? (span + a.stride - 1) / a.stride : span / a.stride) + 1;
    return a;
}

} // namespace lb::ops
