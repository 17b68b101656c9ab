#include "quant/calibrators.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace lb::quant {

namespace {

// Value below which `fraction` of the histogram's mass lies (linear within a bin).
double quantile(const std::vector<double>& bins, double lo, double width, double fraction) {
    const double total = std::accumulate(bins.begin(), bins.end(), 0.0);
    const double target = std::clamp(fraction, 0.0, 1.0) * total;
    double cumulative = 0.0;
    for (size_t i = 0; i < bins.size(); ++i) {
        if (bins[i] > 0.0 && cumulative + bins[i] >= target) {
            const double within = (target - cumulative) / bins[i];
            return lo + (static_cast<double>(i) + within) * width;
        }
        cumulative += bins[i];
    }
    return lo + static_cast<double>(bins.size()) * width;
}

double klDivergence(const std::vector<double>& p, const std::vector<double>& q) {
    const double pSum = std::accumulate(p.begin(), p.end(), 0.0);
    const double qSum = std::accumulate(q.begin(), q.end(), 0.0);
    if (pSum <= 0.0 || qSum <= 0.0) {
        return std::numeric_limits<double>::infinity();
    }
    constexpr double kEps = 1e-12;
    double kl = 0.0;
    for (size_t i = 0; i < p.size(); ++i) {
        if (p[i] <= 0.0) {
            continue;
        }
        const double pi = p[i] / pSum;
        const double qi = std::max(q[i] / qSum, kEps);
        kl += pi * std::log(pi / qi);
    }
    return kl;
}

void requireObserved(const HistogramObserver& observer, const std::string& tensor) {
    if (observer.empty()) {
        fail("tensor ", quoted(tensor), ": no finite values observed; cannot calibrate");
    }
}

} // namespace

Range minMaxRange(const HistogramObserver& observer) {
    return {observer.min(), observer.max()};
}

Range percentileRange(const HistogramObserver& observer, double percentile, bool symmetric) {
    const double p = std::clamp(percentile, 0.0, 100.0) / 100.0;
    if (symmetric) {
        double absMax = 0.0;
        const std::vector<double> abs = observer.absHistogram(absMax);
        const double t = quantile(abs, 0.0, absMax / static_cast<double>(abs.size()), p);
        return {-std::min(t, absMax), std::min(t, absMax)};
    }
    const auto& bins = observer.bins();
    const double lo = quantile(bins, observer.lo(), observer.binWidth(), 1.0 - p);
    const double hi = quantile(bins, observer.lo(), observer.binWidth(), p);
    return {std::max(lo, observer.min()), std::min(hi, observer.max())};
}

double expectedQuantizationMse(const HistogramObserver& observer, const ChannelParams& params,
                               int bitwidth) {
    const auto& bins = observer.bins();
    const double rounding = params.scale * params.scale / 12.0;
    const double binWidth = observer.binWidth();
    const bool coarseBins = binWidth > params.scale / 4.0;
    double sum = 0.0;
    for (size_t i = 0; i < bins.size(); ++i) {
        if (bins[i] == 0.0) {
            continue;
        }
        const double x = observer.binCenter(i);
        const double clipped = std::clamp(x, params.min, params.max);
        double d = x - clipped;
        if (d == 0.0 && !coarseBins) {
            // bins finer than a step: the center's own rounding error is a fair sample
            d = x - fakeQuantValue(x, params, bitwidth);
            sum += bins[i] * (d * d + binWidth * binWidth / 12.0);
            continue;
        }
        sum += bins[i] * (d != 0.0 ? d * d : rounding);
    }
    return observer.count() > 0 ? sum / static_cast<double>(observer.count()) : 0.0;
}

Range mseRange(const HistogramObserver& observer, int bitwidth, bool symmetric,
               SymmetricMode mode) {
    const double lo = std::min(observer.min(), 0.0);
    const double hi = std::max(observer.max(), 0.0);
    Range best{lo, hi};
    double bestMse = std::numeric_limits<double>::infinity();
    auto consider = [&](double a, double b) {
        const ChannelParams p = paramsFromMinMax(a, b, bitwidth, symmetric, mode);
        const double mse = expectedQuantizationMse(observer, p, bitwidth);
        if (mse < bestMse) {
            bestMse = mse;
            best = {a, b};
        }
    };
    if (symmetric) {
        constexpr int kSteps = 200;
        const double absMax = std::max(-lo, hi);
        for (int k = 1; k <= kSteps; ++k) {
            const double t = absMax * k / kSteps;
            consider(-t, t);
        }
        return best;
    }
    constexpr int kGrid = 64;
    for (int i = 1; i <= kGrid; ++i) {
        for (int j = 1; j <= kGrid; ++j) {
            consider(lo * i / kGrid, hi * j / kGrid);
        }
    }
    return best;
}

Range entropyRange(const HistogramObserver& observer, int bitwidth, bool symmetric) {
    double absMax = 0.0;
    const std::vector<double> hist = observer.absHistogram(absMax);
    const bool nonNegative = observer.min() >= 0.0;
    const size_t levels = size_t{1} << (symmetric || !nonNegative ? bitwidth - 1 : bitwidth);
    const size_t n = hist.size();
    const double width = absMax / static_cast<double>(n);
    double threshold = absMax;
    if (levels < n) {
        double bestKl = std::numeric_limits<double>::infinity();
        std::vector<double> p;
        std::vector<double> q;
        for (size_t i = levels; i <= n; ++i) {
            p.assign(hist.begin(), hist.begin() + static_cast<std::ptrdiff_t>(i));
            p[i - 1] +=
                std::accumulate(hist.begin() + static_cast<std::ptrdiff_t>(i), hist.end(), 0.0);
            // Q: the first i bins merged into `levels` groups, each group's mass spread evenly
            // over its non-empty bins.
            q.assign(i, 0.0);
            for (size_t g = 0; g < levels; ++g) {
                const size_t start = g * i / levels;
                const size_t stop = (g + 1) * i / levels;
                double mass = 0.0;
                size_t nonZero = 0;
                for (size_t k = start; k < stop; ++k) {
                    mass += hist[k];
                    nonZero += hist[k] != 0.0 ? 1 : 0;
                }
                for (size_t k = start; k < stop && nonZero > 0; ++k) {
                    q[k] = hist[k] != 0.0 ? mass / static_cast<double>(nonZero) : 0.0;
                }
            }
            const double kl = klDivergence(p, q);
            if (kl < bestKl) {
                bestKl = kl;
                threshold = static_cast<double>(i) * width;
            }
        }
    }
    if (symmetric) {
        return {-threshold, threshold};
    }
    // Data away from 0 (all above t, say) would give an empty range: keep the nearest value.
    const double lo = std::min(std::max(observer.min(), -threshold), observer.max());
    return {lo, std::max(lo, std::min(observer.max(), threshold))};
}

Encoding calibrate(const HistogramObserver& observer, const CalibrationOptions& options,
                   const std::string& tensor) {
    requireObserved(observer, tensor);
    Range range;
    switch (options.method) {
    case CalibrationMethod::MinMax:
        range = minMaxRange(observer);
        break;
    case CalibrationMethod::Percentile:
        range = percentileRange(observer, options.percentile, options.symmetric);
        break;
    case CalibrationMethod::Mse:
        range = mseRange(observer, options.bitwidth, options.symmetric, options.symmetricMode);
        break;
    case CalibrationMethod::Entropy:
        range = entropyRange(observer, options.bitwidth, options.symmetric);
        break;
    }
    return perTensorEncoding(range.min, range.max, options.bitwidth, options.symmetric,
                             options.symmetricMode);
}

} // namespace lb::quant
