#pragma once

#include "core/shape.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace lb::ops {

// QNN's convention throughout: real = (q + offset) * scale with q stored unsigned in
// [0, 2^bw - 1], so offset = -zero_point (<= 0 when the range holds 0),
// min = offset * scale, max = (2^bw - 1 + offset) * scale. Signed symmetric encodings use the
// same unsigned storage with offset -2^(bw-1) (AIMET's files do this too).
struct ChannelParams {
    double scale = 1.0;
    int64_t offset = 0;
    double min = 0.0;
    double max = 0.0;
    bool operator==(const ChannelParams&) const = default;
};

enum class EncodingDtype { Int, Float };

// AIMET's two signed symmetric variants: the default uses all 2^bw levels (offset -2^(bw-1),
// so the negative side has one level more); Strict drops the lowest level (offset
// -(2^(bw-1) - 1)) so the range is exactly [-absmax, absmax].
enum class SymmetricMode { Default, Strict };

// The encoding of one tensor: per-tensor (one channel, axis -1) or per-channel along `axis`.
// Float encodings (AIMET's float16 overrides) carry only the bitwidth.
struct Encoding {
    int bitwidth = 8;
    bool symmetric = false;
    EncodingDtype dtype = EncodingDtype::Int;
    int axis = -1; // channel axis for per-channel encodings; -1 when per-tensor or not stated
    std::vector<ChannelParams> channels;

    bool isPerChannel() const { return channels.size() > 1 || axis >= 0; }
    bool operator==(const Encoding&) const = default;
};

inline int64_t quantMax(int bitwidth) {
    return (int64_t{1} << bitwidth) - 1;
}

// Range -> scale/offset with the range nudged so that 0 is exactly representable (as QNN, AIMET
// and TFLite do). The range is first widened to hold 0. Asymmetric: scale = (max - min) /
// (2^bw - 1), offset = round(min / scale), then min/max recomputed from offset and scale.
// Symmetric (AIMET's signed symmetric): scale = max(|min|, |max|) / (2^(bw-1) - 1),
// offset = -2^(bw-1) (Default) or -(2^(bw-1) - 1) (Strict). A degenerate range gets the
// minimum width AIMET uses (0.01) so that scale > 0.
ChannelParams paramsFromMinMax(double min, double max, int bitwidth, bool symmetric,
                               SymmetricMode mode = SymmetricMode::Default);
// Scale/offset -> min/max under QNN's convention.
ChannelParams paramsFromScaleOffset(double scale, int64_t offset, int bitwidth);

Encoding perTensorEncoding(double min, double max, int bitwidth, bool symmetric,
                           SymmetricMode mode = SymmetricMode::Default);
Encoding floatEncoding(int bitwidth);

// Throws lb::Error naming `tensor` when the encoding is unusable: unsupported bitwidth (int: 4,
// 8, 16, 32; float: 16, 32), no channels, scale <= 0 or not finite, max < min, offset outside
// [-(2^bw - 1), 0] (only when checkOffsetRange; readers check it separately to report the
// zero-point sign mix-up), or a channel count that does not match the tensor's dimension.
void validateEncoding(const Encoding& encoding, const std::string& tensor,
                      const std::optional<Shape>& shape = std::nullopt,
                      bool checkOffsetRange = true);

// ONNX QuantizeLinear's rule (ONNX Runtime's kernels, QNN's round-to-nearest): x / scale in
// float32 with the scale rounded to float32 (as every file and graph stores it), round half to
// even, saturate to [0, 2^bw - 1]. NaN quantizes to 0. It is one division and one rounding per
// element, so the fast kernels vectorize it and stay bit for bit equal to this function; QDQ
// models exported from our encodings give in ONNX Runtime what the simulation gives.
// 32-bit encodings (biases) divide in double: float32 cannot hold their grid.
int64_t quantizeValue(double x, const ChannelParams& params, int bitwidth);
// (q + offset) * scale with the float32 scale (exact in double for bitwidths up to 16, so a
// float32 result equals ONNX DequantizeLinear's float32 product).
double dequantizeValue(int64_t q, const ChannelParams& params);
// quantize -> dequantize.
double fakeQuantValue(double x, const ChannelParams& params, int bitwidth);

// Element-wise over a row-major tensor of `shape`; per-channel encodings use `axis` (0 when
// the encoding does not state one). Throws naming `tensor` when the channel count mismatches.
std::vector<int64_t> quantize(std::span<const float> data, const Shape& shape,
                              const Encoding& encoding, const std::string& tensor = "tensor");
std::vector<float> dequantize(std::span<const int64_t> q, const Shape& shape,
                              const Encoding& encoding, const std::string& tensor = "tensor");
std::vector<float> fakeQuantize(std::span<const float> data, const Shape& shape,
                                const Encoding& encoding, const std::string& tensor = "tensor");

// Mean squared error of quantize -> dequantize (the tutorial's validate_quantization_range).
double quantizationMse(std::span<const float> data, const Shape& shape, const Encoding& encoding,
                       const std::string& tensor = "tensor");

} // namespace lb::ops
