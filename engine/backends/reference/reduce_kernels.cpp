#include "backends/reference/kernel_util.h"
#include "backends/reference/kernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>

namespace lb::backends::reference {

namespace {

enum class Reduce { Sum, Mean, Max, Min, Prod, L1, L2, LogSum, LogSumExp, SumSquare };

Reduce parseReduce(const NodeAttrs& a) {
    const std::string& op = a.node().opType;
    const std::pair<const char*, Reduce> table[] = {{"ReduceSum", Reduce::Sum},
                                                    {"ReduceMean", Reduce::Mean},
                                                    {"ReduceMax", Reduce::Max},
                                                    {"ReduceMin", Reduce::Min},
                                                    {"ReduceProd", Reduce::Prod},
                                                    {"ReduceL1", Reduce::L1},
                                                    {"ReduceL2", Reduce::L2},
                                                    {"ReduceLogSum", Reduce::LogSum},
                                                    {"ReduceLogSumExp", Reduce::LogSumExp},
                                                    {"ReduceSumSquare", Reduce::SumSquare}};
    for (const auto& [name, r] : table)
        if (op == name)
            return r;
    a.fail("not a reduction");
}

// Output shape and, per reduced-over axis, whether it is reduced.
std::vector<bool> reducedAxes(std::vector<int64_t> axes, int64_t rank) {
    std::vector<bool> reduced(static_cast<size_t>(rank), axes.empty());
    for (int64_t ax : axes)
        reduced[normalizeAxis(ax, rank)] = true;
    return reduced;
}

// Maps each input element to its output element for a reduction over `reduced` axes.
std::vector<int64_t> outputIndexOf(const Shape& in, const std::vector<bool>& reduced) {
    Shape strides(in.size(), 0);
    int64_t s = 1;
    for (size_t d = in.size(); d-- > 0;)
        if (!reduced[d]) {
            strides[d] = s;
            s *= in[d];
        }
    std::vector<int64_t> map(static_cast<size_t>(product(in)));
    std::vector<int64_t> idx(in.size(), 0);
    int64_t off = 0;
    for (size_t i = 0; i < map.size(); ++i) {
        map[i] = off;
        for (size_t d = in.size(); d-- > 0;) {
            off += strides[d];
            if (++idx[d] < in[d])
                break;
            off -= strides[d] * in[d];
            idx[d] = 0;
        }
    }
    return map;
}

Shape reducedShape(const Shape& in, const std::vector<bool>& reduced, bool keepDims) {
    Shape out;
    for (size_t d = 0; d < in.size(); ++d)
        if (!reduced[d])
            out.push_back(in[d]);
        else if (keepDims)
            out.push_back(1);
    return out;
}

} // namespace

std::unique_ptr<Kernel> makeReduce(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    const Reduce op = parseReduce(a);
    const bool inputForm = (op == Reduce::Sum && a.opset() >= 13) || a.opset() >= 18;
    a.expectInputs(1, inputForm ? 2 : 1);
    const std::vector<int64_t> axesAttr = a.getInts("axes");
    const bool keepDims = a.getInt("keepdims", 1) != 0;
    const bool noopEmpty = a.getInt("noop_with_empty_axes", 0) != 0;
    return makeKernel([=](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        const bool f64 = x.dtype() == DataType::Float64;
        if (x.dtype() != DataType::Float32 && !f64)
            fail("expected float32 or float64 input, got ", dtypeName(x.dtype()));
        std::vector<int64_t> axes = axesAttr;
        if (inputForm && ctx.input(1))
            axes = toInt64s(*ctx.input(1), "axes");
        if (axes.empty() && noopEmpty) {
            Tensor& y = ctx.output(0, x.dtype(), x.shape());
            std::memcpy(y.rawData(), x.rawData(), x.byteSize());
            return;
        }
        const std::vector<bool> reduced = reducedAxes(axes, x.rank());
        const Shape shape = reducedShape(x.shape(), reduced, keepDims);
        const int64_t outN = product(shape);
        const int64_t count = outN ? x.numel() / outN : 0;
        double init = 0.0;
        if (op == Reduce::Max)
            init = -std::numeric_limits<double>::infinity();
        else if (op == Reduce::Min)
            init = std::numeric_limits<double>::infinity();
        else if (op == Reduce::Prod)
            init = 1.0;
        std::vector<double> acc(static_cast<size_t>(outN), init);
        const std::vector<int64_t> map = outputIndexOf(x.shape(), reduced);
        const auto value = [&](int64_t i) {
            return f64 ? x.data<double>()[i] : static_cast<double>(x.data<float>()[i]);
        };
        // LogSumExp sums exp(v - max) so large values do not overflow, and adds max back.
        std::vector<double> shift;
        if (op == Reduce::LogSumExp) {
            shift.assign(static_cast<size_t>(outN), -std::numeric_limits<double>::infinity());
            for (int64_t i = 0; i < x.numel(); ++i)
                shift[map[i]] = std::max(shift[map[i]], value(i));
            for (double& m : shift)
                if (!std::isfinite(m))
                    m = 0.0; // all -inf (log 0 = -inf) or an inf/NaN that the sum carries
        }
        for (int64_t i = 0; i < x.numel(); ++i) {
            const double v = value(i);
            double& r = acc[map[i]];
            switch (op) {
            case Reduce::Max:
                r = std::max(r, v);
                break;
            case Reduce::Min:
                r = std::min(r, v);
                break;
            case Reduce::Prod:
                r *= v;
                break;
            case Reduce::L1:
                r += std::abs(v);
                break;
            case Reduce::L2:
            case Reduce::SumSquare:
                r += v * v;
                break;
            case Reduce::LogSumExp:
                r += std::exp(v - shift[map[i]]);
                break;
            default:
                r += v;
                break;
            }
        }
        Tensor& y = ctx.output(0, x.dtype(), shape);
        for (int64_t o = 0; o < outN; ++o) {
            double r = acc[o];
            if (op == Reduce::Mean)
                r /= static_cast<double>(count);
            else if (op == Reduce::L2)
                r = std::sqrt(r);
            else if (op == Reduce::LogSum)
                r = std::log(r);
            else if (op == Reduce::LogSumExp)
                r = std::log(r) + shift[o];
            if (f64)
                y.data<double>()[o] = r;
            else
                y.data<float>()[o] = static_cast<float>(r);
        }
    });
}

std::unique_ptr<Kernel> makeArgReduce(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    const bool isMax = info.node.opType == "ArgMax";
    const int64_t axisAttr = a.getInt("axis", 0);
    const bool keepDims = a.getInt("keepdims", 1) != 0;
    const bool last = a.getInt("select_last_index", 0) != 0;
    return makeKernel([=](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        const int64_t axis = normalizeAxis(axisAttr, x.rank());
        std::vector<bool> reduced(static_cast<size_t>(x.rank()), false);
        reduced[axis] = true;
        Tensor& y = ctx.output(0, DataType::Int64, reducedShape(x.shape(), reduced, keepDims));
        const int64_t outer = product(x.shape(), 0, axis), len = x.shape()[axis];
        const int64_t inner = product(x.shape(), axis + 1, x.rank());
        dispatchNumeric(x.dtype(), [&](auto tag) {
            using T = decltype(tag);
            const T* px = x.data<T>();
            for (int64_t o = 0; o < outer; ++o)
                for (int64_t in = 0; in < inner; ++in) {
                    int64_t best = 0;
                    for (int64_t i = 1; i < len; ++i) {
                        const T v = px[(o * len + i) * inner + in],
                                b = px[(o * len + best) * inner + in];
                        const bool better =
                            isMax ? (last ? v >= b : v > b) : (last ? v <= b : v < b);
                        if (better)
                            best = i;
                    }
                    y.data<int64_t>()[o * inner + in] = best;
                }
        });
    });
}

std::unique_ptr<Kernel> makeTopK(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    const bool attrForm = a.opset() < 10;
    a.expectInputs(attrForm ? 1 : 2, attrForm ? 1 : 2);
    const int64_t kAttr = a.getInt("k", -1);
    const int64_t axisAttr = a.getInt("axis", -1);
    const bool largest = a.getInt("largest", 1) != 0; // sorted: claimTopK
    return makeKernel([=](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        if (x.dtype() != DataType::Float32)
            fail("expected float32 input, got ", dtypeName(x.dtype()));
        const int64_t k = attrForm ? kAttr : toInt64s(ctx.in(1), "K").at(0);
        const int64_t axis = normalizeAxis(axisAttr, x.rank());
        const int64_t outer = product(x.shape(), 0, axis), len = x.shape()[axis];
        const int64_t inner = product(x.shape(), axis + 1, x.rank());
        if (k < 0 || k > len)
            fail("K=", k, " is out of range for axis of size ", len);
        Shape shape = x.shape();
        shape[axis] = k;
        Tensor& values = ctx.output(0, DataType::Float32, shape);
        Tensor& indices = ctx.output(1, DataType::Int64, shape);
        std::vector<int64_t> order(static_cast<size_t>(len));
        for (int64_t o = 0; o < outer; ++o)
            for (int64_t in = 0; in < inner; ++in) {
                const float* px = x.data<float>() + o * len * inner + in;
                std::iota(order.begin(), order.end(), 0);
                // Ties keep the lower index first, as the ONNX reference does.
                std::stable_sort(order.begin(), order.end(), [&](int64_t l, int64_t r) {
                    return largest ? px[l * inner] > px[r * inner] : px[l * inner] < px[r * inner];
                });
                for (int64_t i = 0; i < k; ++i) {
                    values.data<float>()[(o * k + i) * inner + in] = px[order[i] * inner];
                    indices.data<int64_t>()[(o * k + i) * inner + in] = order[i];
                }
            }
    });
}

runtime::Claim claimTopK(const KernelInfo& info) {
    if (NodeAttrs(info.graph, info.node).getInt("sorted", 1) == 0)
        return runtime::Claim::declined(runtime::Decline::Attribute, "sorted=0 is not implemented");
    return runtime::Claim::claimed();
}

} // namespace lb::backends::reference
