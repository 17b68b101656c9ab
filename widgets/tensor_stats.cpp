#include "widgets/tensor_stats.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lb::widgets {

namespace {
template <typename Get> TensorStats compute(int64_t n, int bins, Get get) {
    TensorStats s;
    s.count = n;
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    double sum = 0;
    int64_t finite = 0;
    for (int64_t i = 0; i < n; ++i) {
        const double v = get(i);
        if (!std::isfinite(v))
            continue;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        sum += v;
        ++finite;
    }
    s.nonFinite = n - finite;
    if (finite == 0)
        return s;
    s.min = lo;
    s.max = hi;
    s.mean = sum / static_cast<double>(finite);
    // Second pass for the variance: stable where sum-of-squares cancels badly.
    double sq = 0;
    for (int64_t i = 0; i < n; ++i) {
        const double v = get(i);
        if (std::isfinite(v))
            sq += (v - s.mean) * (v - s.mean);
    }
    s.stddev = std::sqrt(sq / static_cast<double>(finite));
    bins = std::max(1, bins);
    s.histogram.assign(static_cast<size_t>(bins), 0);
    s.binWidth = (hi - lo) / bins;
    for (int64_t i = 0; i < n; ++i) {
        const double v = get(i);
        if (!std::isfinite(v))
            continue;
        int b = s.binWidth > 0 ? static_cast<int>((v - lo) / s.binWidth) : 0;
        ++s.histogram[static_cast<size_t>(std::clamp(b, 0, bins - 1))];
    }
    return s;
}
} // namespace

TensorStats computeTensorStats(const lb::Tensor& tensor, int bins) {
    if (tensor.empty() || tensor.dtype() == lb::DataType::String || tensor.numel() == 0 ||
        lb::dtypeSize(tensor.dtype()) == 0 || tensor.rawData() == nullptr)
        return {};
    if (tensor.dtype() == lb::DataType::Float32) {
        const float* p = tensor.data<float>();
        return compute(tensor.numel(), bins, [p](int64_t i) { return static_cast<double>(p[i]); });
    }
    return compute(tensor.numel(), bins, [&tensor](int64_t i) { return tensor.valueAsDouble(i); });
}

} // namespace lb::widgets
