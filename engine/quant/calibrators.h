#pragma once

#include "quant/encoding.h"
#include "quant/histogram_observer.h"

#include <string>
#include <utility>

namespace lb::quant {

enum class CalibrationMethod { MinMax, Percentile, Mse, Entropy };

struct CalibrationOptions {
    CalibrationMethod method = CalibrationMethod::MinMax;
    int bitwidth = 8;
    bool symmetric = false;
    SymmetricMode symmetricMode = SymmetricMode::Default;
    double percentile = 99.99; // Percentile: keep this share of values inside on each side
};

// A clipping range before nudging.
struct Range {
    double min = 0.0;
    double max = 0.0;
};

// The observed range.
Range minMaxRange(const HistogramObserver& observer);
// Asymmetric: [quantile(1 - p), quantile(p)]; symmetric: +-quantile_p(|x|). Linear within a bin.
Range percentileRange(const HistogramObserver& observer, double percentile, bool symmetric);
// The clipping range minimizing the expected quantization MSE over the histogram: clipped
// values cost their distance to the range end, values inside cost their rounding error
// (scale^2 / 12 when the bins are coarser than the step). Candidates: 200 thresholds for symmetric,
// a 64 x 64 grid of shrunk ends for asymmetric; each candidate is nudged exactly as the final
// encoding will be.
Range mseRange(const HistogramObserver& observer, int bitwidth, bool symmetric,
               SymmetricMode mode = SymmetricMode::Default);
// TensorRT's entropy calibration on the |x| histogram: the threshold whose clipped distribution
// P (outliers folded into the last bin) and its quantized image Q (2^(bw-1) levels, 2^bw for
// non-negative asymmetric data) have the least KL(P || Q). Symmetric: +-t; asymmetric: the
// observed range cut to [-t, t]. With as many levels as bins (16-bit) it keeps the observed range.
Range entropyRange(const HistogramObserver& observer, int bitwidth, bool symmetric);

// The encoding of one observed tensor. Throws naming `tensor` when nothing was observed.
Encoding calibrate(const HistogramObserver& observer, const CalibrationOptions& options,
                   const std::string& tensor = "tensor");

// Expected MSE of quantizing the observed distribution with `params` (the model above; where
// bins are finer than a quarter step, in-range bins use their center's actual rounding error).
double expectedQuantizationMse(const HistogramObserver& observer, const ChannelParams& params,
                               int bitwidth);

} // namespace lb::quant
