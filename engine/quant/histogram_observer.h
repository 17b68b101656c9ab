#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace lb::quant {

// Statistics of one float tensor over many calibration batches: exact min/max and a histogram
// whose range grows with the data. Growing doubles the range (anchored at the end that did not
// move) and merges bins in pairs, so counts move exactly and no re-binning error accumulates;
// the bin width is therefore range / bins with the range up to twice the data's span.
// Non-finite values are counted apart and left out of the statistics.
class HistogramObserver {
public:
    static constexpr int kDefaultBins = 2048;

    explicit HistogramObserver(int bins = kDefaultBins);

    void observe(std::span<const float> data);

    bool empty() const { return m_count == 0; }
    int64_t count() const { return m_count; }
    int64_t nonFiniteCount() const { return m_nonFinite; }
    double min() const { return m_min; }
    double max() const { return m_max; }
    // Histogram range [lo, hi) and bins.
    double lo() const { return m_lo; }
    double hi() const { return m_hi; }
    double binWidth() const { return (m_hi - m_lo) / static_cast<double>(m_bins.size()); }
    const std::vector<double>& bins() const { return m_bins; }
    double binCenter(size_t i) const { return m_lo + (static_cast<double>(i) + 0.5) * binWidth(); }

    // The histogram of |x| over [0, max|x|] with the same bin count (bin centers folded).
    std::vector<double> absHistogram(double& absMax) const;

private:
    void growTo(double lo, double hi);
    // Sets or widens the range for a batch whose finite values span [lo, hi].
    void extendRange(double lo, double hi);
    // The general path: skips NaN and +-inf value by value.
    void observeWithNonFinite(std::span<const float> data);

    std::vector<double> m_bins;
    double m_lo = 0.0;
    double m_hi = 0.0;
    double m_min = 0.0;
    double m_max = 0.0;
    int64_t m_count = 0;
    int64_t m_nonFinite = 0;
};

} // namespace lb::quant
