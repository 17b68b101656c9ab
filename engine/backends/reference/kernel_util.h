#pragma once

// Helpers shared by the reference kernels: a kernel built from a lambda, dtype dispatch and
// numpy-style broadcasting (attributes: ops/node_attrs.h).

#include "core/error.h"
#include "ops/node_attrs.h"
#include "runtime/kernel.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lb::backends::reference {

using runtime::Kernel;
using runtime::KernelContext;
using runtime::KernelInfo;
// Kernels read attributes as NodeAttrs a(info.graph, info.node).
using ops::NodeAttrs;

// A kernel whose run() is a lambda that captured the parsed attributes.
class LambdaKernel : public Kernel {
public:
    using Fn = std::function<void(KernelContext&)>;
    explicit LambdaKernel(Fn fn, std::optional<size_t> alias = std::nullopt)
        : m_fn(std::move(fn)), m_alias(alias) {}
    void run(KernelContext& ctx) override { m_fn(ctx); }
    std::optional<size_t> aliasedInput(size_t output) const override {
        return output == 0 ? m_alias : std::nullopt;
    }

private:
    Fn m_fn;
    std::optional<size_t> m_alias;
};

inline std::unique_ptr<Kernel> makeKernel(LambdaKernel::Fn fn,
                                          std::optional<size_t> alias = std::nullopt) {
    return std::make_unique<LambdaKernel>(std::move(fn), alias);
}

// Integer tensor (int64/int32/...) as int64 values; fails naming `what` for other dtypes.
std::vector<int64_t> toInt64s(const Tensor& t, const char* what);
std::vector<float> toFloats(const Tensor& t);
// Axis in [-rank, rank) made non-negative; fails otherwise.
int64_t normalizeAxis(int64_t axis, int64_t rank, const char* what = "axis");
int64_t product(const Shape& shape, size_t begin, size_t end);
int64_t product(const Shape& shape);

// Numpy multidirectional broadcast of two shapes; fails naming both shapes.
Shape broadcastShapes(const Shape& a, const Shape& b);
// Element strides of `in` when iterated over `out` (0 along broadcast dimensions).
std::vector<int64_t> broadcastStrides(const Shape& in, const Shape& out);

// Calls f(outIndex, offsets) for every element of `out`, where offsets[j] is the element
// offset into input j (whose broadcast strides are strides[j]). Parallel over rows.
template <typename F>
void forEachBroadcast(const Shape& out, const std::vector<std::vector<int64_t>>& strides,
                      int threads, F f) {
    const size_t rank = out.size();
    const size_t n = strides.size();
    const int64_t inner = rank ? out[rank - 1] : 1;
    const int64_t rows = rank ? product(out, 0, rank - 1) : 1;
    if (inner == 0 || rows == 0)
        return;
#pragma omp parallel for num_threads(threads) if (rows * inner > 4096)
    for (int64_t r = 0; r < rows; ++r) {
        int64_t offsets[8] = {};
        int64_t rem = r;
        for (size_t d = rank - (rank ? 1 : 0); d-- > 0;) {
            const int64_t idx = rem % out[d];
            rem /= out[d];
            for (size_t j = 0; j < n; ++j)
                offsets[j] += idx * strides[j][d];
        }
        int64_t step[8] = {};
        for (size_t j = 0; j < n; ++j)
            step[j] = rank ? strides[j][rank - 1] : 0;
        for (int64_t i = 0; i < inner; ++i) {
            f(r * inner + i, static_cast<const int64_t*>(offsets));
            for (size_t j = 0; j < n; ++j)
                offsets[j] += step[j];
        }
    }
}

// Calls f(T{}) with T the C++ type of a numeric dtype; fails for others.
template <typename F> void dispatchNumeric(DataType type, F&& f) {
    switch (type) {
    case DataType::Float32:
        f(float{});
        break;
    case DataType::Float64:
        f(double{});
        break;
    case DataType::Int64:
        f(int64_t{});
        break;
    case DataType::Int32:
        f(int32_t{});
        break;
    case DataType::Int16:
        f(int16_t{});
        break;
    case DataType::Int8:
        f(int8_t{});
        break;
    case DataType::UInt64:
        f(uint64_t{});
        break;
    case DataType::UInt32:
        f(uint32_t{});
        break;
    case DataType::UInt16:
        f(uint16_t{});
        break;
    case DataType::UInt8:
        f(uint8_t{});
        break;
    case DataType::Bool:
        f(bool{});
        break;
    default:
        fail("dtype ", dtypeName(type), " is not supported by the reference backend");
    }
}

// Copies element-sized chunks: out[i] = in[index(i)] for any dtype (strings included).
void gatherElements(const Tensor& in, Tensor& out, const std::vector<int64_t>& sourceIndex,
                    int threads);

} // namespace lb::backends::reference
