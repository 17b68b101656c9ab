#pragma once

#include "quant/histogram_observer.h"

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace lb::widgets {

// The bars a histogram plot draws for an observer's bins, over the range the values really take.
// A few far outliers (a bias with one large entry) would squeeze everything else into one bar, so
// when the full range is many times wider than the range that holds all but 0.1 % of the values
// on each side, the bars cover that robust range and the outliers are counted in the edge bars.
// `keep` (an encoding's range the plot shows as handles) widens the bars' range again as far as
// the values reach into it, so values under the axis are drawn where they are.
class HistogramBins {
public:
    // The full range is used unless it is more than this many times the robust one.
    static constexpr double kOutlierSpread = 4.0;
    static constexpr double kTailShare = 0.001;

    HistogramBins(const lb::quant::HistogramObserver& histogram, int maxBars,
                  std::optional<std::pair<double, double>> keep = std::nullopt);

    bool empty() const { return m_keys.empty(); }
    // The range the bars cover (the x range to show), their centres and counts.
    double lo() const { return m_lo; }
    double hi() const { return m_hi; }
    double barWidth() const { return m_barWidth; }
    const std::vector<double>& keys() const { return m_keys; }
    const std::vector<double>& counts() const { return m_counts; }
    // Values outside [lo, hi], counted in the first / last bar.
    int64_t below() const { return m_below; }
    int64_t above() const { return m_above; }

private:
    double m_lo = 0.0, m_hi = 1.0, m_barWidth = 1.0;
    std::vector<double> m_keys, m_counts;
    int64_t m_below = 0, m_above = 0;
};

} // namespace lb::widgets
