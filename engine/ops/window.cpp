#include "ops/window.h"

#include "core/error.h"

#include <algorithm>

namespace lb::ops {

namespace {

std::string where(const ir::Node& node) {
    return "node " + quoted(node.name) + " (" + node.opType + "): ";
}

const ir::Attribute* find(const ir::Node& node, const std::string& name, ir::AttributeType type) {
    const ir::Attribute* attr = node.attribute(name);
    if (attr && attr->type != type)
        fail(where(node), "attribute '", name, "' should be ", ir::attributeTypeName(type),
             ", got ", ir::attributeTypeName(attr->type));
    return attr;
}

std::vector<int64_t> ints(const ir::Node& node, const std::string& name) {
    const ir::Attribute* a = find(node, name, ir::AttributeType::Ints);
    return a ? a->ints : std::vector<int64_t>{};
}

} // namespace

size_t WindowAttrs::rank() const {
    return !kernel.empty()      ? kernel.size()
           : !strides.empty()   ? strides.size()
           : !dilations.empty() ? dilations.size()
                                : pads.size() / 2;
}

WindowAttrs parseWindowAttrs(const ir::Node& node) {
    WindowAttrs w;
    w.kernel = ints(node, "kernel_shape");
    w.strides = ints(node, "strides");
    w.pads = ints(node, "pads");
    w.dilations = ints(node, "dilations");
    if (const ir::Attribute* a = find(node, "auto_pad", ir::AttributeType::String))
        w.autoPad = a->s;
    if (const ir::Attribute* a = find(node, "ceil_mode", ir::AttributeType::Int))
        w.ceilMode = a->i != 0;
    if (w.autoPad != "NOTSET" && w.autoPad != "SAME_UPPER" && w.autoPad != "SAME_LOWER" &&
        w.autoPad != "VALID")
        fail(where(node), "auto_pad should be NOTSET, SAME_UPPER, SAME_LOWER or VALID, got '",
             w.autoPad, "'");
    for (int64_t v : w.strides)
        if (v < 1)
            fail(where(node), "strides should be >= 1");
    for (int64_t v : w.dilations)
        if (v < 1)
            fail(where(node), "dilations should be >= 1");
    for (int64_t v : w.pads)
        if (v < 0)
            fail(where(node), "pads should be >= 0");
    const size_t rank = w.rank();
    if ((!w.kernel.empty() && w.kernel.size() != rank) ||
        (!w.strides.empty() && w.strides.size() != rank) ||
        (!w.dilations.empty() && w.dilations.size() != rank) ||
        (!w.pads.empty() && w.pads.size() != 2 * rank))
        fail(where(node), "kernel_shape, strides, dilations and pads disagree on the spatial rank");
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
