// lb::quant calibration: the histogram observer and the MinMax, Percentile, MSE and Entropy
// calibrators on known distributions.

#include "core/error.h"
#include "quant/calibrators.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <random>

using namespace lb;
using namespace lb::quant;

namespace {

// Gaussian (sigma 1) in batches, plus a few huge outliers.
std::vector<std::vector<float>> gaussianWithOutliers(size_t batches, size_t perBatch,
                                                     float outlier) {
    std::mt19937 rng(1234);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<std::vector<float>> out(batches);
    for (auto& batch : out) {
        batch.resize(perBatch);
        for (float& v : batch) {
            v = normal(rng);
        }
    }
    out[1][5] = outlier;
    out[3][7] = -outlier * 0.8f;
    return out;
}

std::vector<std::vector<float>> laplacianWithOutliers(size_t batches, size_t perBatch,
                                                      float outlier) {
    std::mt19937 rng(99);
    std::exponential_distribution<float> expo(1.0f);
    std::bernoulli_distribution sign(0.5);
    std::vector<std::vector<float>> out(batches);
    for (auto& batch : out) {
        batch.resize(perBatch);
        for (float& v : batch) {
            v = sign(rng) ? expo(rng) : -expo(rng);
        }
    }
    out[0][3] = outlier;
    out[2][4] = -outlier;
    return out;
}

double dataMse(const std::vector<std::vector<float>>& batches, const Encoding& e) {
    double sum = 0.0;
    size_t n = 0;
    for (const auto& batch : batches) {
        sum += quantizationMse(batch, {static_cast<int64_t>(batch.size())}, e) * batch.size();
        n += batch.size();
    }
    return sum / static_cast<double>(n);
}

HistogramObserver observeAll(const std::vector<std::vector<float>>& batches) {
    HistogramObserver observer;
    for (const auto& batch : batches) {
        observer.observe(batch);
    }
    return observer;
}

} // namespace

TEST_CASE("the observer's histogram grows without losing counts") {
    HistogramObserver observer(64);
    observer.observe(std::vector<float>{0.0f, 0.5f, 1.0f});
    const double firstWidth = observer.binWidth();
    observer.observe(std::vector<float>{-3.0f, 7.5f, NAN, 0.25f});
    CHECK(observer.count() == 6);
    CHECK(observer.nonFiniteCount() == 1);
    CHECK(observer.min() == -3.0);
    CHECK(observer.max() == 7.5);
    CHECK(observer.lo() <= -3.0);
    CHECK(observer.hi() > 7.5);
    CHECK(observer.binWidth() > firstWidth);
    double total = 0.0;
    for (double c : observer.bins()) {
        total += c;
    }
    CHECK(total == 6.0);
    // each value sits in the bin that covers it
    const auto bin = static_cast<size_t>((7.5 - observer.lo()) / observer.binWidth());
    CHECK(observer.bins()[bin] >= 1.0);
}

TEST_CASE("MinMax on uniform data gives the data range") {
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> u(-2.0f, 5.0f);
    HistogramObserver observer;
    float lo = 1e9f, hi = -1e9f;
    for (int b = 0; b < 10; ++b) {
        std::vector<float> batch(1000);
        for (float& v : batch) {
            v = u(rng);
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
        observer.observe(batch);
    }
    const Encoding e = calibrate(observer, {CalibrationMethod::MinMax, 8, false});
    const ChannelParams& p = e.channels[0];
    CHECK(p.max - p.min == Approx(hi - lo).epsilon(1e-6));
    CHECK(p.min == Approx(lo).margin(p.scale));
    CHECK(p.max == Approx(hi).margin(p.scale));
    CHECK(fakeQuantValue(0.0, p, 8) == 0.0);
    CHECK_THROWS_WITH(calibrate(HistogramObserver(), {}, "act0"), Catch::Contains("'act0'"));
}

TEST_CASE("Percentile 99.9 clips near the Gaussian's quantile") {
    const auto batches = gaussianWithOutliers(20, 5000, 80.0f);
    const HistogramObserver observer = observeAll(batches);
    // Normal quantiles: 0.1% below -3.09, 0.1% above 3.09 (outliers are 3 in 100000)
    const Range asym = percentileRange(observer, 99.9, false);
    CHECK(asym.max == Approx(3.09).margin(0.25));
    CHECK(asym.min == Approx(-3.09).margin(0.25));
    // symmetric: 99.9% of |x| lies below 3.29
    const Range sym = percentileRange(observer, 99.9, true);
    CHECK(sym.max == Approx(3.29).margin(0.25));
    CHECK(sym.min == -sym.max);
    const Encoding e =
        calibrate(observer, {CalibrationMethod::Percentile, 8, true, SymmetricMode::Default, 99.9});
    CHECK(e.channels[0].scale == Approx(sym.max / 127.0));
}

TEST_CASE("MSE and Entropy clip outliers and beat MinMax on Gaussian and Laplacian data") {
    struct Case {
        const char* name;
        std::vector<std::vector<float>> batches;
    };
    std::vector<Case> cases;
    cases.push_back({"gaussian", gaussianWithOutliers(40, 25000, 80.0f)});
    cases.push_back({"laplacian", laplacianWithOutliers(40, 25000, 100.0f)});
    for (const Case& c : cases) {
        for (const bool symmetric : {false, true}) {
            INFO(c.name << (symmetric ? " symmetric" : " asymmetric"));
            const HistogramObserver observer = observeAll(c.batches);
            const double absMax = std::max(-observer.min(), observer.max());
            const Encoding minMax = calibrate(observer, {CalibrationMethod::MinMax, 8, symmetric});
            const double minMaxMse = dataMse(c.batches, minMax);
            for (const CalibrationMethod method :
                 {CalibrationMethod::Mse, CalibrationMethod::Entropy}) {
                INFO((method == CalibrationMethod::Mse ? "mse" : "entropy"));
                const Encoding e = calibrate(observer, {method, 8, symmetric});
                const ChannelParams& p = e.channels[0];
                // MSE keeps more range: with 2 outliers in 10^6 values, clipping them costs MSE
                // too, so its optimum is wider than the KL optimum (measured: ~0.3 of max|x|).
                CHECK(std::max(-p.min, p.max) <
                      absMax / (method == CalibrationMethod::Mse ? 2.5 : 4.0));
                CHECK(std::max(-p.min, p.max) > 2.0); // not absurdly tight either
                const double mse = dataMse(c.batches, e);
                INFO("range " << p.min << ".." << p.max << " mse " << mse << " minmax "
                              << minMaxMse);
                CHECK(mse < 0.6 * minMaxMse);
                CHECK(fakeQuantValue(0.0, p, 8) == 0.0);
            }
        }
    }
}

TEST_CASE("expected MSE model tracks the measured MSE") {
    const auto batches = gaussianWithOutliers(10, 5000, 20.0f);
    const HistogramObserver observer = observeAll(batches);
    const Encoding e = perTensorEncoding(-4.0, 4.0, 8, true);
    const double measured = dataMse(batches, e);
    CHECK(expectedQuantizationMse(observer, e.channels[0], 8) == Approx(measured).epsilon(0.3));
}

TEST_CASE("histogram observer: the all-finite fast path bins exactly as the NaN-skipping path") {
    std::mt19937 rng(3);
    std::normal_distribution<float> d(0.0f, 2.0f);
    std::vector<float> a(10007), b;
    for (float& v : a)
        v = std::max(0.0f, d(rng)); // Relu-like: runs of zeros
    quant::HistogramObserver fast, slow;
    fast.observe(a);
    b = a;
    b.push_back(std::numeric_limits<float>::quiet_NaN()); // forces the value-by-value path
    slow.observe(b);
    for (float& v : a)
        v = v * 3.0f - 1.0f; // grows the range on both sides
    fast.observe(a);
    b = a;
    b.insert(b.begin(), std::numeric_limits<float>::infinity());
    slow.observe(b);
    CHECK(fast.nonFiniteCount() == 0);
    CHECK(slow.nonFiniteCount() == 2);
    CHECK(fast.count() == slow.count());
    CHECK(fast.min() == slow.min());
    CHECK(fast.max() == slow.max());
    CHECK(fast.lo() == slow.lo());
    CHECK(fast.hi() == slow.hi());
    CHECK(fast.bins() == slow.bins());
}
