#pragma once

#include "core/tensor.h"

#include <cstdint>
#include <vector>

namespace lb::widgets {

// Summary of a weight tensor for the properties pane. Qt-free so it is unit-tested directly.
struct TensorStats {
    int64_t count = 0;     // elements
    int64_t nonFinite = 0; // NaN/Inf elements, left out of the numbers below
    double min = 0;
    double max = 0;
    double mean = 0;
    double stddev = 0; // population standard deviation
    // `bins` equal-width bins over [min, max]; the max lands in the last bin.
    std::vector<int64_t> histogram;
    double binWidth = 0;
};

// Numeric tensors only; a string or empty tensor gives count 0 and an empty histogram.
TensorStats computeTensorStats(const lb::Tensor& tensor, int bins = 64);

} // namespace lb::widgets
