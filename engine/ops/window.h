#pragma once

// Sliding-window attributes and geometry of ONNX Conv, ConvTranspose and the pools, shared by the
// backends: kernel_shape, strides, pads, dilations, auto_pad and ceil_mode, and per spatial axis
// the padding and output size ONNX defines for them.

#include "ir/graph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lb::ops {

struct WindowAttrs {
    std::vector<int64_t> kernel; // empty: from the weights (Conv)
    std::vector<int64_t> strides, pads, dilations;
    std::string autoPad = "NOTSET";
    bool ceilMode = false;

    // The spatial rank the attributes imply (any one of them fixes it); 0 when none is given.
    size_t rank() const;
};

// Reads and validates the window attributes of `node` (values in range, auto_pad known, lengths
// agreeing on one spatial rank). Fails naming the node.
WindowAttrs parseWindowAttrs(const ir::Node& node);

// One spatial axis of a window: ONNX's padding (auto_pad SAME_* resolved, explicit pads
// otherwise) and output size (ceil_mode included).
struct WindowAxis {
    int64_t stride = 1, dilation = 1;
    int64_t padBegin = 0, padEnd = 0;
    int64_t out = 1;
};

// Axis `axis` of `rank` spatial axes, input size `in`, kernel size `kernel`. Fails when the
// window does not fit the padded input.
WindowAxis windowAxis(const WindowAttrs& w, size_t axis, size_t rank, int64_t in, int64_t kernel);

} // namespace lb::ops
