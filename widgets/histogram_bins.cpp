#include "widgets/histogram_bins.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace lb::widgets {

namespace {
// The value under which `share` of the total count lies, interpolated inside its bin.
double quantile(const lb::quant::HistogramObserver& h, double total, double share) {
    const std::vector<double>& bins = h.bins();
    const double target = total * share;
    double seen = 0.0;
    for (size_t b = 0; b < bins.size(); ++b) {
        if (bins[b] > 0 && seen + bins[b] >= target) {
            const double inside = std::clamp((target - seen) / bins[b], 0.0, 1.0);
            return h.lo() + (static_cast<double>(b) + inside) * h.binWidth();
        }
        seen += bins[b];
    }
    return h.hi();
}
} // namespace

HistogramBins::HistogramBins(const lb::quant::HistogramObserver& h, int maxBars,
                             std::optional<std::pair<double, double>> keep) {
    const std::vector<double>& bins = h.bins();
    const double total = std::accumulate(bins.begin(), bins.end(), 0.0);
    if (h.empty() || total <= 0 || bins.empty())
        return;
    // The observer's bins can reach past the values (its range grows by doubling).
    m_lo = h.min();
    m_hi = h.max();
    const double robustLo = std::max(m_lo, quantile(h, total, kTailShare));
    const double robustHi = std::min(m_hi, quantile(h, total, 1.0 - kTailShare));
    if (robustHi > robustLo && m_hi - m_lo > kOutlierSpread * (robustHi - robustLo)) {
        const double fullLo = m_lo, fullHi = m_hi;
        m_lo = robustLo;
        m_hi = robustHi;
        if (keep) {
            m_lo = std::max(fullLo, std::min(m_lo, keep->first));
            m_hi = std::min(fullHi, std::max(m_hi, keep->second));
        }
    }
    if (!(m_hi > m_lo)) { // one value: a bar around it
        const double half = std::max(std::abs(m_lo) * 1e-3, 1e-6);
        m_lo -= half;
        m_hi += half;
    }
    // No finer than the observer's own bins inside the range (finer bars would be a comb).
    const double sourceBins = (m_hi - m_lo) / h.binWidth();
    const int bars = std::clamp(static_cast<int>(std::ceil(sourceBins)), 1, std::max(1, maxBars));
    m_barWidth = (m_hi - m_lo) / bars;
    m_keys.resize(static_cast<size_t>(bars));
    m_counts.assign(static_cast<size_t>(bars), 0.0);
    for (int i = 0; i < bars; ++i)
        m_keys[static_cast<size_t>(i)] = m_lo + (i + 0.5) * m_barWidth;
    for (size_t b = 0; b < bins.size(); ++b) {
        if (bins[b] <= 0)
            continue;
        // A bin that straddles an end holds values inside; only one wholly outside is an outlier.
        const double from = h.lo() + static_cast<double>(b) * h.binWidth();
        if (from + h.binWidth() <= m_lo)
            m_below += static_cast<int64_t>(bins[b]);
        else if (from >= m_hi)
            m_above += static_cast<int64_t>(bins[b]);
        const auto index = static_cast<int64_t>(std::floor((h.binCenter(b) - m_lo) / m_barWidth));
        m_counts[static_cast<size_t>(std::clamp<int64_t>(index, 0, bars - 1))] += bins[b];
    }
}

} // namespace lb::widgets
