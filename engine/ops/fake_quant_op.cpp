#include "ops/fake_quant_op.h"

#include "core/error.h"

#include <algorithm>

namespace lb::ops {

namespace {

void setAttribute(ir::Node& node, ir::Attribute attribute) {
    auto it = std::find_if(node.attributes.begin(), node.attributes.end(),
                           [&](const ir::Attribute& a) { return a.name == attribute.name; });
    if (it != node.attributes.end())
        *it = std::move(attribute);
    else
        node.attributes.push_back(std::move(attribute));
}

} // namespace

void setFakeQuantAttributes(ir::Node& node, const Encoding& encoding) {
    std::vector<float> scales;
    std::vector<int64_t> offsets;
    for (const ChannelParams& c : encoding.channels) {
        scales.push_back(static_cast<float>(c.scale));
        offsets.push_back(c.offset);
    }
    setAttribute(node, ir::floatsAttribute("scale", std::move(scales)));
    setAttribute(node, ir::intsAttribute("offset", std::move(offsets)));
    setAttribute(node, ir::intAttribute("bitwidth", encoding.bitwidth));
    setAttribute(node, ir::intAttribute("axis", encoding.channels.size() > 1 ? encoding.axis : -1));
}

Encoding fakeQuantEncoding(const ir::Node& node) {
    const ir::Attribute* scale = node.attribute("scale");
    const ir::Attribute* offset = node.attribute("offset");
    const ir::Attribute* bitwidth = node.attribute("bitwidth");
    const ir::Attribute* axis = node.attribute("axis");
    auto where = [&] { return "node " + quoted(node.name) + " (FakeQuant): "; };
    if (!scale || !offset || !bitwidth)
        fail(where(), "expected the attributes scale, offset and bitwidth");
    if (scale->floats.empty() || scale->floats.size() != offset->ints.size())
        fail(where(), "scale and offset must have the same non-zero length, got ",
             scale->floats.size(), " and ", offset->ints.size());
    if (bitwidth->i < 2 || bitwidth->i > 32)
        fail(where(), "bitwidth must be in [2, 32], got ", bitwidth->i);
    Encoding e;
    e.bitwidth = static_cast<int>(bitwidth->i);
    e.axis = axis ? static_cast<int>(axis->i) : -1;
    if (scale->floats.size() > 1 && e.axis < 0)
        fail(where(), scale->floats.size(), " channels need an axis >= 0");
    for (size_t c = 0; c < scale->floats.size(); ++c) {
        if (!(scale->floats[c] > 0.0f))
            fail(where(), "scale[", c, "] must be > 0, got ", scale->floats[c]);
        e.channels.push_back(paramsFromScaleOffset(scale->floats[c], offset->ints[c], e.bitwidth));
    }
    return e;
}

} // namespace lb::ops
