// Hardmax, IsInf, IsNaN, Shrink, Det, LRN and MeanVarianceNormalization; float32 and float64
// unless said otherwise.

#include "backends/reference/kernel_util.h"
#include "backends/reference/kernels.h"

#include <cmath>
#include <limits>

namespace lb::backends::reference {

namespace {

// Calls f(T{}) for float32 or float64 tensors; fails for others.
template <typename F> void dispatchFloat(const Tensor& x, F&& f) {
    if (x.dtype() == DataType::Float32)
        f(float{});
    else if (x.dtype() == DataType::Float64)
        f(double{});
    else
        fail("expected a float32 or float64 input, got ", dtypeName(x.dtype()));
}

} // namespace

runtime::Claim claimFloat32Or64(const KernelInfo& info) {
    if (info.hasInput(0)) {
        const DataType t = info.inputValue(0).dtype;
        if (t != DataType::Undefined && t != DataType::Float32 && t != DataType::Float64)
            return runtime::Claim::declined(runtime::Decline::Dtype, "dtype ", dtypeName(t),
                                            " of input '", info.inputValue(0).name,
                                            "' is not implemented (", info.node.opType,
                                            " takes float32 or float64)");
    }
    return runtime::Claim::claimed();
}

std::unique_ptr<Kernel> makeHardmax(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    // As Softmax: before opset 13 over the input coerced to 2-D at `axis`.
    const bool coerce2d = a.opset() < 13;
    const int64_t axisAttr = a.getInt("axis", coerce2d ? 1 : -1);
    return makeKernel([coerce2d, axisAttr](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        const int64_t rank = x.rank(), axis = normalizeAxis(axisAttr, rank);
        const size_t ax = static_cast<size_t>(axis);
        const int64_t outer = product(x.shape(), 0, ax);
        const int64_t len = coerce2d ? product(x.shape(), ax, rank) : (rank ? x.shape()[ax] : 1);
        const int64_t inner = coerce2d ? 1 : product(x.shape(), ax + 1, rank);
        Tensor& y = ctx.output(0, x.dtype(), x.shape());
        dispatchFloat(x, [&](auto tag) {
            using T = decltype(tag);
            const T* px = x.data<T>();
            T* py = y.data<T>();
            for (int64_t o = 0; o < outer; ++o)
                for (int64_t in = 0; in < inner; ++in) {
                    const int64_t base = o * len * inner + in;
                    int64_t best = 0;
                    for (int64_t i = 1; i < len; ++i)
                        if (px[base + i * inner] > px[base + best * inner])
                            best = i;
                    for (int64_t i = 0; i < len; ++i)
                        py[base + i * inner] = T(i == best ? 1 : 0);
                }
        });
    });
}

std::unique_ptr<Kernel> makeIsInfNaN(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    const bool nan = info.node.opType == "IsNaN";
    const bool negative = a.getInt("detect_negative", 1) != 0,
               positive = a.getInt("detect_positive", 1) != 0;
    return makeKernel([=](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        Tensor& y = ctx.output(0, DataType::Bool, x.shape());
        dispatchFloat(x, [&](auto tag) {
            using T = decltype(tag);
            for (int64_t i = 0; i < x.numel(); ++i) {
                const T v = x.data<T>()[i];
                y.data<bool>()[i] =
                    nan ? std::isnan(v) : std::isinf(v) && (v > 0 ? positive : negative);
            }
        });
    });
}

std::unique_ptr<Kernel> makeShrink(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    const double bias = a.getFloat("bias", 0.0f), lambd = a.getFloat("lambd", 0.5f);
    return makeKernel([bias, lambd](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        Tensor& y = ctx.output(0, x.dtype(), x.shape());
        dispatchNumeric(x.dtype(), [&](auto tag) {
            using T = decltype(tag);
            if constexpr (std::is_same_v<T, bool>)
                fail("Shrink does not take bool tensors");
            else
                for (int64_t i = 0; i < x.numel(); ++i) {
                    const double v = static_cast<double>(x.data<T>()[i]);
                    y.data<T>()[i] = static_cast<T>(v < -lambd  ? v + bias
                                                    : v > lambd ? v - bias
                                                                : 0.0);
                }
        });
    });
}

std::unique_ptr<Kernel> makeDet(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    return makeKernel([](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        const int64_t rank = x.rank();
        if (rank < 2 || x.shape()[rank - 1] != x.shape()[rank - 2])
            fail("input should be [..., M, M], got ", shapeToString(x.shape()));
        const int64_t m = x.shape()[rank - 1];
        const Shape shape(x.shape().begin(), x.shape().end() - 2);
        Tensor& y = ctx.output(0, x.dtype(), shape);
        dispatchFloat(x, [&](auto tag) {
            using T = decltype(tag);
            std::vector<double> lu(static_cast<size_t>(m * m));
            for (int64_t b = 0; b < product(shape); ++b) {
                for (int64_t i = 0; i < m * m; ++i)
                    lu[i] = static_cast<double>(x.data<T>()[b * m * m + i]);
                // Gaussian elimination with partial pivoting.
                double det = 1.0;
                for (int64_t c = 0; c < m && det != 0.0; ++c) {
                    int64_t p = c;
                    for (int64_t r = c + 1; r < m; ++r)
                        if (std::abs(lu[r * m + c]) > std::abs(lu[p * m + c]))
                            p = r;
                    if (lu[p * m + c] == 0.0) {
                        det = 0.0;
                        break;
                    }
                    if (p != c) {
                        for (int64_t k = 0; k < m; ++k)
                            std::swap(lu[p * m + k], lu[c * m + k]);
                        det = -det;
                    }
                    det *= lu[c * m + c];
                    for (int64_t r = c + 1; r < m; ++r) {
                        const double f = lu[r * m + c] / lu[c * m + c];
                        for (int64_t k = c; k < m; ++k)
                            lu[r * m + k] -= f * lu[c * m + k];
                    }
                }
                y.data<T>()[b] = static_cast<T>(det);
            }
        });
    });
}

std::unique_ptr<Kernel> makeLrn(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    if (!a.has("size"))
        a.fail("attribute 'size' is required");
    const int64_t size = a.getInt("size", 0);
    if (size < 1)
        a.fail("size should be >= 1, got ", size);
    const double alpha = a.getFloat("alpha", 1e-4f), beta = a.getFloat("beta", 0.75f),
                 bias = a.getFloat("bias", 1.0f);
    return makeKernel([=](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        if (x.rank() < 3)
            fail("input should be NxCxD1..., got ", shapeToString(x.shape()));
        const int64_t n = x.shape()[0], c = x.shape()[1],
                      inner = product(x.shape(), 2, x.shape().size());
        const int64_t before = (size - 1) / 2, after = size - 1 - before;
        Tensor& y = ctx.output(0, x.dtype(), x.shape());
        dispatchFloat(x, [&](auto tag) {
            using T = decltype(tag);
            const T* px = x.data<T>();
            for (int64_t b = 0; b < n; ++b)
                for (int64_t ch = 0; ch < c; ++ch)
                    for (int64_t i = 0; i < inner; ++i) {
                        double sq = 0.0;
                        for (int64_t k = std::max<int64_t>(0, ch - before);
                             k <= std::min(c - 1, ch + after); ++k) {
                            const double v = px[(b * c + k) * inner + i];
                            sq += v * v;
                        }
                        const int64_t off = (b * c + ch) * inner + i;
                        y.data<T>()[off] = static_cast<T>(
                            px[off] /
                            std::pow(bias + alpha / static_cast<double>(size) * sq, beta));
                    }
        });
    });
}

std::unique_ptr<Kernel> makeMeanVarianceNormalization(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    const std::vector<int64_t> axesAttr = a.getInts("axes", {0, 2, 3});
    return makeKernel([axesAttr](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        const int64_t rank = x.rank();
        std::vector<bool> reduced(static_cast<size_t>(rank), false);
        for (int64_t ax : axesAttr)
            reduced[normalizeAxis(ax, rank)] = true;
        // Each element's statistics slot: its index over the dimensions not reduced.
        std::vector<int64_t> slot(static_cast<size_t>(x.numel()));
        int64_t slots = 1;
        for (int64_t d = rank; d-- > 0;)
            if (!reduced[d])
                slots *= x.shape()[d];
        for (int64_t i = 0; i < x.numel(); ++i) {
            int64_t rest = i, s = 0, scale = 1;
            for (int64_t d = rank; d-- > 0;) {
                const int64_t at = rest % x.shape()[d];
                rest /= x.shape()[d];
                if (!reduced[d]) {
                    s += at * scale;
                    scale *= x.shape()[d];
                }
            }
            slot[i] = s;
        }
        Tensor& y = ctx.output(0, x.dtype(), x.shape());
        dispatchFloat(x, [&](auto tag) {
            using T = decltype(tag);
            std::vector<double> sum(static_cast<size_t>(slots), 0.0), sq(sum), count(sum);
            for (int64_t i = 0; i < x.numel(); ++i) {
                const double v = x.data<T>()[i];
                sum[slot[i]] += v;
                sq[slot[i]] += v * v;
                count[slot[i]] += 1.0;
            }
            // ONNX's function body: (X - E[X]) / (sqrt(E[X^2] - E[X]^2) + 1e-9)
            for (int64_t i = 0; i < x.numel(); ++i) {
                const double mean = sum[slot[i]] / count[slot[i]];
                const double var = std::max(0.0, sq[slot[i]] / count[slot[i]] - mean * mean);
                y.data<T>()[i] = static_cast<T>((x.data<T>()[i] - mean) / (std::sqrt(var) + 1e-9));
            }
        });
    });
}

} // namespace lb::backends::reference
