#include "widgets/tensor_stats.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <numeric>

using lb::widgets::computeTensorStats;

TEST_CASE("tensor stats of a known ramp", "[stats]") {
    lb::Tensor t(lb::DataType::Float32, {2, 64});
    for (int i = 0; i < 128; ++i)
        t.data<float>()[i] = static_cast<float>(i % 64); // 0..63 twice
    const auto s = computeTensorStats(t, 64);
    CHECK(s.count == 128);
    CHECK(s.min == 0);
    CHECK(s.max == 63);
    CHECK(s.mean == Approx(31.5));
    CHECK(s.stddev == Approx(std::sqrt((64.0 * 64.0 - 1) / 12.0))); // discrete uniform
    REQUIRE(s.histogram.size() == 64);
    for (int64_t c : s.histogram)
        CHECK(c == 2);
}

TEST_CASE("tensor stats of other dtypes, constants and non-finite values", "[stats]") {
    lb::Tensor ints(lb::DataType::Int8, {4});
    const int8_t values[] = {-3, 1, 1, 5};
    std::copy(values, values + 4, ints.data<int8_t>());
    auto s = computeTensorStats(ints, 4);
    CHECK(s.min == -3);
    CHECK(s.max == 5);
    CHECK(s.mean == Approx(1.0));
    CHECK(s.stddev == Approx(std::sqrt(8.0)));
    CHECK(s.histogram == std::vector<int64_t>{1, 0, 2, 1}); // bins of width 2 from -3

    lb::Tensor constant(lb::DataType::Float32, {10});
    s = computeTensorStats(constant, 64);
    CHECK(s.stddev == 0);
    CHECK(s.histogram[0] == 10);
    CHECK(std::accumulate(s.histogram.begin(), s.histogram.end(), int64_t{0}) == 10);

    lb::Tensor withNan(lb::DataType::Float32, {3});
    withNan.data<float>()[0] = 1;
    withNan.data<float>()[1] = std::numeric_limits<float>::quiet_NaN();
    withNan.data<float>()[2] = 3;
    s = computeTensorStats(withNan);
    CHECK(s.count == 3);
    CHECK(s.nonFinite == 1);
    CHECK(s.mean == Approx(2.0));

    CHECK(computeTensorStats(lb::Tensor()).count == 0);
}
