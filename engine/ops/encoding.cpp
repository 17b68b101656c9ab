#include "ops/encoding.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>

namespace lb::ops {

namespace {

// AIMET widens a degenerate range to this width so that scale stays positive.
constexpr double kMinRange = 0.01;

bool isSupportedIntBitwidth(int bitwidth) {
    return bitwidth == 4 || bitwidth == 8 || bitwidth == 16 || bitwidth == 32;
}

// Channel count, stride and index of `axis` in a row-major tensor.
struct ChannelLayout {
    int64_t channels = 1;
    int64_t inner = 1; // elements per step along the axis
};

ChannelLayout channelLayout(const Shape& shape, const Encoding& encoding,
                            const std::string& tensor) {
    if (encoding.channels.empty()) {
        fail("tensor ", quoted(tensor), ": encoding has no scale/offset (float encoding?)");
    }
    if (!encoding.isPerChannel()) {
        return {};
    }
    const int64_t axis = encoding.axis >= 0 ? encoding.axis : 0;
    if (axis >= static_cast<int64_t>(shape.size())) {
        fail("tensor ", quoted(tensor), ": per-channel axis ", axis, " is out of range for shape ",
             shapeToString(shape));
    }
    if (shape[axis] != static_cast<int64_t>(encoding.channels.size())) {
        fail("tensor ", quoted(tensor), ": ", encoding.channels.size(),
             " per-channel encodings but dimension ", axis, " of shape ", shapeToString(shape),
             " is ", shape[axis]);
    }
    ChannelLayout layout{shape[axis], 1};
    for (size_t d = axis + 1; d < shape.size(); ++d) {
        layout.inner *= shape[d];
    }
    return layout;
}

const ChannelParams& channelOf(const Encoding& encoding, const ChannelLayout& layout, size_t i) {
    if (layout.channels == 1) {
        return encoding.channels.front();
    }
    return encoding.channels[(i / layout.inner) % layout.channels];
}

} // namespace

ChannelParams paramsFromMinMax(double min, double max, int bitwidth, bool symmetric,
                               SymmetricMode mode) {
    if (!std::isfinite(min) || !std::isfinite(max) || max < min) {
        fail("encoding range [", min, ", ", max, "] is not a finite range with min <= max");
    }
    if (!isSupportedIntBitwidth(bitwidth)) {
        fail("unsupported bitwidth ", bitwidth, " (expected 4, 8, 16 or 32)");
    }
    min = std::min(min, 0.0);
    max = std::max(max, 0.0);
    if (max - min < kMinRange) {
        max = min + kMinRange;
    }
    if (symmetric) {
        const int64_t positiveSteps = (int64_t{1} << (bitwidth - 1)) - 1;
        const int64_t negativeSteps =
            mode == SymmetricMode::Strict ? positiveSteps : positiveSteps + 1;
        const double absMax = std::max(std::abs(min), std::abs(max));
        const double scale = absMax / static_cast<double>(positiveSteps);
        return paramsFromScaleOffset(scale, -negativeSteps, bitwidth);
    }
    const double scale = (max - min) / static_cast<double>(quantMax(bitwidth));
    const auto offset = static_cast<int64_t>(std::round(min / scale));
    return paramsFromScaleOffset(scale, offset, bitwidth);
}

ChannelParams paramsFromScaleOffset(double scale, int64_t offset, int bitwidth) {
    ChannelParams params;
    params.scale = scale;
    params.offset = offset;
    params.min = static_cast<double>(offset) * scale;
    params.max = static_cast<double>(quantMax(bitwidth) + offset) * scale;
    return params;
}

Encoding perTensorEncoding(double min, double max, int bitwidth, bool symmetric,
                           SymmetricMode mode) {
    Encoding encoding;
    encoding.bitwidth = bitwidth;
    encoding.symmetric = symmetric;
    encoding.channels.push_back(paramsFromMinMax(min, max, bitwidth, symmetric, mode));
    return encoding;
}

Encoding floatEncoding(int bitwidth) {
    Encoding encoding;
    encoding.bitwidth = bitwidth;
    encoding.dtype = EncodingDtype::Float;
    return encoding;
}

void validateEncoding(const Encoding& encoding, const std::string& tensor,
                      const std::optional<Shape>& shape, bool checkOffsetRange) {
    if (encoding.dtype == EncodingDtype::Float) {
        if (encoding.bitwidth != 16 && encoding.bitwidth != 32) {
            fail("tensor ", quoted(tensor), ": float encoding with bitwidth ", encoding.bitwidth,
                 " (expected 16 or 32)");
        }
        return;
    }
    if (!isSupportedIntBitwidth(encoding.bitwidth)) {
        fail("tensor ", quoted(tensor), ": unsupported bitwidth ", encoding.bitwidth,
             " (expected 4, 8, 16 or 32)");
    }
    if (encoding.channels.empty()) {
        fail("tensor ", quoted(tensor), ": integer encoding without scale/offset");
    }
    const int64_t qmax = quantMax(encoding.bitwidth);
    for (size_t c = 0; c < encoding.channels.size(); ++c) {
        const ChannelParams& p = encoding.channels[c];
        const std::string where =
            encoding.channels.size() > 1 ? " channel " + std::to_string(c) : std::string();
        if (!std::isfinite(p.scale) || p.scale <= 0.0) {
            fail("tensor ", quoted(tensor), where, ": scale ", p.scale, " must be finite and > 0");
        }
        if (!std::isfinite(p.min) || !std::isfinite(p.max) || p.max < p.min) {
            fail("tensor ", quoted(tensor), where, ": max ", p.max, " < min ", p.min,
                 " (expected a finite range with min <= max)");
        }
        if (checkOffsetRange && (p.offset > 0 || p.offset < -qmax)) {
            fail("tensor ", quoted(tensor), where, ": offset ", p.offset, " outside [", -qmax,
                 ", 0] for ", encoding.bitwidth,
                 "-bit (QNN offset = -zero_point; a zero_point was given?)");
        }
    }
    if (shape && encoding.isPerChannel()) {
        channelLayout(*shape, encoding, tensor);
    }
}

int64_t quantizeValue(double x, const ChannelParams& params, int bitwidth) {
    // Clamping before rounding is the same as after: the bounds are integers.
    const double lo = static_cast<double>(params.offset);
    const double hi = static_cast<double>(quantMax(bitwidth) + params.offset);
    double v;
    if (bitwidth <= 16) {
        const float f = static_cast<float>(x) / static_cast<float>(params.scale);
        v = std::max(static_cast<float>(lo), std::min(f, static_cast<float>(hi)));
    } else {
        v = std::max(lo, std::min(x / static_cast<float>(params.scale), hi));
    }
    return static_cast<int64_t>(std::nearbyint(v)) - params.offset;
}

double dequantizeValue(int64_t q, const ChannelParams& params) {
    return static_cast<double>(q + params.offset) * static_cast<float>(params.scale);
}

double fakeQuantValue(double x, const ChannelParams& params, int bitwidth) {
    return dequantizeValue(quantizeValue(x, params, bitwidth), params);
}

std::vector<int64_t> quantize(std::span<const float> data, const Shape& shape,
                              const Encoding& encoding, const std::string& tensor) {
    const ChannelLayout layout = channelLayout(shape, encoding, tensor);
    std::vector<int64_t> out(data.size());
    for (size_t i = 0; i < data.size(); ++i) {
        out[i] = quantizeValue(data[i], channelOf(encoding, layout, i), encoding.bitwidth);
    }
    return out;
}

std::vector<float> dequantize(std::span<const int64_t> q, const Shape& shape,
                              const Encoding& encoding, const std::string& tensor) {
    const ChannelLayout layout = channelLayout(shape, encoding, tensor);
    std::vector<float> out(q.size());
    for (size_t i = 0; i < q.size(); ++i) {
        out[i] = static_cast<float>(dequantizeValue(q[i], channelOf(encoding, layout, i)));
    }
    return out;
}

std::vector<float> fakeQuantize(std::span<const float> data, const Shape& shape,
                                const Encoding& encoding, const std::string& tensor) {
    const std::vector<int64_t> q = quantize(data, shape, encoding, tensor);
    return dequantize(q, shape, encoding, tensor);
}

double quantizationMse(std::span<const float> data, const Shape& shape, const Encoding& encoding,
                       const std::string& tensor) {
    if (data.empty()) {
        return 0.0;
    }
    const std::vector<float> restored = fakeQuantize(data, shape, encoding, tensor);
    double sum = 0.0;
    for (size_t i = 0; i < data.size(); ++i) {
        const double d = static_cast<double>(data[i]) - restored[i];
        sum += d * d;
    }
    return sum / static_cast<double>(data.size());
}

} // namespace lb::ops
