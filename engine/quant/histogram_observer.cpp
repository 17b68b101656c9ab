#include "quant/histogram_observer.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lb::quant {

HistogramObserver::HistogramObserver(int bins) {
    if (bins < 2 || bins % 2 != 0) {
        fail("histogram observer: bin count ", bins, " must be even and >= 2");
    }
    m_bins.assign(static_cast<size_t>(bins), 0.0);
}

void HistogramObserver::observe(std::span<const float> data) {
    // Fast path for the usual all-finite batch: a branch-free min/max pass (NaN compares false,
    // so it is flagged separately), then binning into four interleaved integer histograms, so
    // that runs of equal values (the zeros after a Relu) do not serialize on one counter.
    float lo = std::numeric_limits<float>::infinity();
    float hi = -lo;
    bool nan = false;
    for (const float v : data) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        nan |= v != v;
    }
    if (data.empty() || nan || !std::isfinite(lo) || !std::isfinite(hi)) {
        observeWithNonFinite(data);
        return;
    }
    extendRange(lo, hi);
    const size_t n = m_bins.size();
    const double scale = static_cast<double>(n) / (m_hi - m_lo);
    const auto last = static_cast<int64_t>(n) - 1;
    std::vector<uint32_t> counts(4 * n, 0);
    const size_t size = data.size();
    auto bin = [&](float v) {
        const auto index = static_cast<int64_t>((static_cast<double>(v) - m_lo) * scale);
        return static_cast<size_t>(std::clamp<int64_t>(index, 0, last));
    };
    size_t i = 0;
    for (; i + 4 <= size; i += 4) {
        ++counts[bin(data[i])];
        ++counts[n + bin(data[i + 1])];
        ++counts[2 * n + bin(data[i + 2])];
        ++counts[3 * n + bin(data[i + 3])];
    }
    for (; i < size; ++i)
        ++counts[bin(data[i])];
    for (size_t b = 0; b < n; ++b)
        m_bins[b] +=
            static_cast<double>(counts[b]) + counts[n + b] + counts[2 * n + b] + counts[3 * n + b];
    m_count += static_cast<int64_t>(size);
}

void HistogramObserver::extendRange(double lo, double hi) {
    if (m_count == 0) {
        // A first range with some room so that a constant tensor still has a positive width.
        const double width = std::max(hi - lo, 1e-6 * std::max(1.0, std::abs(lo)));
        m_lo = lo;
        m_hi = lo + width * (1.0 + 1e-9);
        m_min = lo;
        m_max = hi;
    } else {
        m_min = std::min(m_min, lo);
        m_max = std::max(m_max, hi);
        growTo(lo, hi);
    }
}

void HistogramObserver::observeWithNonFinite(std::span<const float> data) {
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    int64_t finite = 0;
    for (const float v : data) {
        if (!std::isfinite(v)) {
            ++m_nonFinite;
            continue;
        }
        lo = std::min(lo, static_cast<double>(v));
        hi = std::max(hi, static_cast<double>(v));
        ++finite;
    }
    if (finite == 0) {
        return;
    }
    extendRange(lo, hi);
    const double scale = static_cast<double>(m_bins.size()) / (m_hi - m_lo);
    const auto last = static_cast<int64_t>(m_bins.size()) - 1;
    for (const float v : data) {
        if (!std::isfinite(v)) {
            continue;
        }
        const auto index = static_cast<int64_t>((static_cast<double>(v) - m_lo) * scale);
        m_bins[static_cast<size_t>(std::clamp<int64_t>(index, 0, last))] += 1.0;
    }
    m_count += finite;
}

void HistogramObserver::growTo(double lo, double hi) {
    const size_t n = m_bins.size();
    while (lo < m_lo || hi >= m_hi) {
        std::vector<double> merged(n, 0.0);
        const double width = m_hi - m_lo;
        // Grow to the side that needs it (the upper side first); the other end stays put.
        const bool up = hi >= m_hi;
        for (size_t i = 0; i < n; ++i) {
            merged[(up ? 0 : n / 2) + i / 2] += m_bins[i];
        }
        if (up) {
            m_hi = m_lo + 2.0 * width;
        } else {
            m_lo = m_hi - 2.0 * width;
        }
        m_bins = std::move(merged);
    }
}

std::vector<double> HistogramObserver::absHistogram(double& absMax) const {
    absMax = std::max(std::abs(m_min), std::abs(m_max));
    std::vector<double> out(m_bins.size(), 0.0);
    if (absMax <= 0.0) {
        return out;
    }
    const double scale = static_cast<double>(out.size()) / absMax;
    const auto last = static_cast<int64_t>(out.size()) - 1;
    for (size_t i = 0; i < m_bins.size(); ++i) {
        if (m_bins[i] == 0.0) {
            continue;
        }
        const auto index = static_cast<int64_t>(std::abs(binCenter(i)) * scale);
        out[static_cast<size_t>(std::clamp<int64_t>(index, 0, last))] += m_bins[i];
    }
    return out;
}

} // namespace lb::quant
