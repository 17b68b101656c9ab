#pragma once

// Window geometry shared by Conv and the pooling kernels. Spatial ranks 1-3 are handled by
// padding to three dimensions with size-1 leading dimensions, so loops are always 3-deep.

#include "backends/reference/kernel_util.h"
#include "ops/window.h"

#include <array>
#include <string>
#include <vector>

namespace lb::backends::reference {

using ops::WindowAttrs;

// ops::parseWindowAttrs, limited to the spatial ranks these kernels loop over (1-3).
WindowAttrs parseWindow(const NodeAttrs& a);

struct Geometry {
    static constexpr int kMaxRank = 3;
    int rank = 0; // real spatial rank
    std::array<int64_t, 3> in{1, 1, 1}, kernel{1, 1, 1}, stride{1, 1, 1}, dilation{1, 1, 1},
        padBegin{0, 0, 0}, padEnd{0, 0, 0}, out{1, 1, 1};
    int64_t inSize() const { return in[0] * in[1] * in[2]; }
    int64_t outSize() const { return out[0] * out[1] * out[2]; }
    int64_t kernelSize() const { return kernel[0] * kernel[1] * kernel[2]; }
    // The real spatial dims of the output, for building output shapes.
    std::vector<int64_t> outDims() const;
};

// Output geometry of a sliding window over `inSpatial` (Conv and pools). Fails when the window
// does not fit or the ranks disagree.
Geometry windowGeometry(const WindowAttrs& attrs, const Shape& inSpatial,
                        const std::vector<int64_t>& kernel);

// The geometry of ConvTranspose (and QConvTranspose) over `inSpatial` with a kernel `kernel`:
// `in` is the input, `out` the output, and padBegin/padEnd what is cropped from the full output
// stride * (in - 1) + output_padding + (kernel - 1) * dilation + 1. output_shape or auto_pad
// SAME_* fix the output size (padding split as ONNX says), explicit pads otherwise. Fails when
// an output dimension would be < 1.
Geometry transposedGeometry(const WindowAttrs& attrs, const std::vector<int64_t>& outputPadding,
                            const std::vector<int64_t>& outputShape, const Shape& inSpatial,
                            const Shape& kernel);

} // namespace lb::backends::reference
