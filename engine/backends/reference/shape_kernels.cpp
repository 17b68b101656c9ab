#include "backends/reference/kernel_util.h"
#include "backends/reference/kernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>

namespace lb::backends::reference {

namespace {

bool wantsOutput(const KernelInfo& info, size_t i) {
    return i < info.node.outputs.size() && info.node.outputs[i] != ir::kNoValue;
}

// Axes from the attribute (older opsets) or from input 1 (newer), normalized against `rank`.
std::vector<int64_t> sortedAxes(std::vector<int64_t> axes, int64_t rank) {
    for (int64_t& ax : axes)
        ax = normalizeAxis(ax, rank);
    std::sort(axes.begin(), axes.end());
    if (std::adjacent_find(axes.begin(), axes.end()) != axes.end())
        fail("axes contain a duplicate");
    return axes;
}

} // namespace

std::unique_ptr<Kernel> makeReshape(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    const bool attrForm = a.opset() < 5;
    a.expectInputs(attrForm ? 1 : 2, attrForm ? 1 : 2);
    const std::vector<int64_t> shapeAttr = a.getInts("shape");
    const bool allowZero = a.getInt("allowzero", 0) != 0;
    return makeKernel(
        [=](KernelContext& ctx) {
            const Tensor& x = ctx.in(0);
            Shape shape = attrForm ? shapeAttr : toInt64s(ctx.in(1), "shape");
            int64_t inferred = -1, known = 1;
            for (size_t i = 0; i < shape.size(); ++i) {
                if (shape[i] == 0 && !allowZero) {
                    if (i >= x.shape().size())
                        fail("shape dimension ", i, " is 0 but the input has rank ", x.rank());
                    shape[i] = x.shape()[i];
                }
                if (shape[i] == -1) {
                    if (inferred >= 0)
                        fail("shape has more than one -1");
                    inferred = static_cast<int64_t>(i);
                } else if (shape[i] < 0) {
                    fail("shape dimension ", shape[i], " is invalid");
                } else {
                    known *= shape[i];
                }
            }
            if (inferred >= 0)
                shape[inferred] = known == 0 ? 0 : x.numel() / known;
            if (product(shape) != x.numel())
                fail("cannot reshape ", shapeToString(x.shape()), " to ", shapeToString(shape));
            ctx.setAlias(0, x.reshaped(shape));
        },
        0);
}

std::unique_ptr<Kernel> makeFlatten(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    const int64_t axisAttr = a.getInt("axis", 1);
    return makeKernel(
        [=](KernelContext& ctx) {
            const Tensor& x = ctx.in(0);
            const int64_t axis = axisAttr < 0 ? axisAttr + x.rank() : axisAttr;
            if (axis < 0 || axis > x.rank())
                fail("axis ", axisAttr, " is out of range for rank ", x.rank());
            ctx.setAlias(0, x.reshaped({product(x.shape(), 0, axis),
                                        product(x.shape(), axis, x.shape().size())}));
        },
        0);
}

std::unique_ptr<Kernel> makeSqueeze(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    const bool inputForm = a.opset() >= 13;
    a.expectInputs(1, inputForm ? 2 : 1);
    const std::vector<int64_t> axesAttr = a.getInts("axes");
    return makeKernel(
        [=](KernelContext& ctx) {
            const Tensor& x = ctx.in(0);
            const Tensor* axesIn = ctx.input(1);
            std::vector<int64_t> axes =
                inputForm ? (axesIn ? toInt64s(*axesIn, "axes") : std::vector<int64_t>{})
                          : axesAttr;
            axes = sortedAxes(axes, x.rank());
            Shape shape;
            for (int64_t d = 0; d < x.rank(); ++d) {
                const bool listed = std::binary_search(axes.begin(), axes.end(), d);
                if (listed && x.shape()[d] != 1)
                    fail("cannot squeeze axis ", d, " of size ", x.shape()[d]);
                if (!(listed || (axes.empty() && x.shape()[d] == 1)))
                    shape.push_back(x.shape()[d]);
            }
            ctx.setAlias(0, x.reshaped(shape));
        },
        0);
}

std::unique_ptr<Kernel> makeUnsqueeze(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    const bool inputForm = a.opset() >= 13;
    a.expectInputs(inputForm ? 2 : 1, inputForm ? 2 : 1);
    const std::vector<int64_t> axesAttr = a.getInts("axes");
    return makeKernel(
        [=](KernelContext& ctx) {
            const Tensor& x = ctx.in(0);
            std::vector<int64_t> axes = inputForm ? toInt64s(ctx.in(1), "axes") : axesAttr;
            const int64_t rank = x.rank() + static_cast<int64_t>(axes.size());
            axes = sortedAxes(axes, rank);
            Shape shape;
            size_t next = 0;
            for (int64_t d = 0; d < rank; ++d)
                shape.push_back(
                    std::binary_search(axes.begin(), axes.end(), d) ? 1 : x.shape()[next++]);
            ctx.setAlias(0, x.reshaped(shape));
        },
        0);
}

std::unique_ptr<Kernel> makeIdentity(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    return makeKernel([](KernelContext& ctx) { ctx.setAlias(0, ctx.in(0)); }, 0);
}

std::unique_ptr<Kernel> makeDropout(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 3); // inference only: claimDropout
    const bool mask = wantsOutput(info, 1);
    return makeKernel(
        [mask](KernelContext& ctx) {
            const Tensor& x = ctx.in(0);
            ctx.setAlias(0, x);
            if (mask) {
                Tensor& m = ctx.output(1, DataType::Bool, x.shape());
                std::fill(m.data<bool>(), m.data<bool>() + m.numel(), true);
            }
        },
        0);
}

std::unique_ptr<Kernel> makeShape(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    const int64_t startAttr = a.getInt("start", 0);
    const std::optional<int64_t> endAttr =
        a.has("end") ? std::optional<int64_t>(a.getInt("end", 0)) : std::nullopt;
    return makeKernel([=](KernelContext& ctx) {
        const Shape& s = ctx.in(0).shape();
        const int64_t rank = static_cast<int64_t>(s.size());
        const auto clampAxis = [rank](int64_t v) {
            return std::clamp<int64_t>(v < 0 ? v + rank : v, 0, rank);
        };
        const int64_t start = clampAxis(startAttr), end = clampAxis(endAttr.value_or(rank));
        const int64_t n = std::max<int64_t>(0, end - start);
        Tensor& y = ctx.output(0, DataType::Int64, {n});
        for (int64_t i = 0; i < n; ++i)
            y.data<int64_t>()[i] = s[start + i];
    });
}

std::unique_ptr<Kernel> makeConstant(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(0, 0);
    Tensor value;
    if (const Tensor* t = a.getTensor("value")) {
        value = *t;
    } else if (a.has("value_float")) {
        value = Tensor(DataType::Float32, {});
        value.data<float>()[0] = a.getFloat("value_float", 0.0f);
    } else if (a.has("value_int")) {
        value = Tensor(DataType::Int64, {});
        value.data<int64_t>()[0] = a.getInt("value_int", 0);
    } else if (a.has("value_floats")) {
        const auto v = a.getFloats("value_floats");
        value = Tensor(DataType::Float32, {static_cast<int64_t>(v.size())});
        std::copy(v.begin(), v.end(), value.data<float>());
    } else if (a.has("value_ints")) {
        const auto v = a.getInts("value_ints");
        value = Tensor(DataType::Int64, {static_cast<int64_t>(v.size())});
        std::copy(v.begin(), v.end(), value.data<int64_t>());
    } else {
        a.fail("expected one of value, value_float(s) and value_int(s)"); // or claimConstant's
    }
    return makeKernel([value](KernelContext& ctx) {
        Tensor& y = ctx.output(0, value.dtype(), value.shape());
        if (value.dtype() == DataType::String)
            y.strings() = value.strings();
        else if (value.byteSize())
            std::memcpy(y.rawData(), value.rawData(), value.byteSize());
    });
}

std::unique_ptr<Kernel> makeConstantOfShape(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    Tensor value(DataType::Float32, {1});
    if (const Tensor* t = a.getTensor("value")) {
        if (t->numel() != 1 || t->dtype() == DataType::String)
            a.fail("value should be a one-element numeric tensor");
        value = *t;
    }
    return makeKernel([value](KernelContext& ctx) {
        const Shape shape = toInt64s(ctx.in(0), "shape");
        Tensor& y = ctx.output(0, value.dtype(), shape);
        const size_t size = dtypeSize(value.dtype());
        auto* dst = static_cast<std::byte*>(y.rawData());
        for (int64_t i = 0; i < y.numel(); ++i)
            std::memcpy(dst + i * size, value.rawData(), size);
    });
}

std::unique_ptr<Kernel> makeRange(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(3, 3);
    return makeKernel([](KernelContext& ctx) {
        const Tensor &start = ctx.in(0), &limit = ctx.in(1), &delta = ctx.in(2);
        if (start.numel() != 1 || limit.numel() != 1 || delta.numel() != 1)
            fail("start, limit and delta should be scalars");
        dispatchNumeric(start.dtype(), [&](auto tag) {
            using T = decltype(tag);
            if constexpr (std::is_same_v<T, bool>) {
                fail("bool Range is not supported");
            } else {
                const T s = start.data<T>()[0], l = limit.data<T>()[0], d = delta.data<T>()[0];
                if (d == T(0))
                    fail("delta is zero");
                const double count = std::ceil((static_cast<double>(l) - static_cast<double>(s)) /
                                               static_cast<double>(d));
                const int64_t n = std::max<int64_t>(0, static_cast<int64_t>(count));
                Tensor& y = ctx.output(0, start.dtype(), {n});
                for (int64_t i = 0; i < n; ++i)
                    y.data<T>()[i] = static_cast<T>(s + static_cast<T>(i) * d);
            }
        });
    });
}

// Inference: training_mode a constant false, is_test set before opset 7.
runtime::Claim claimDropout(const KernelInfo& info) {
    const NodeAttrs a(info.graph, info.node);
    if (info.inputCount() > 2 && info.hasInput(2)) {
        const Tensor* training = info.constantInput(2);
        if (!training || training->numel() != 1 || training->valueAsDouble(0) != 0.0)
            return runtime::Claim::declined(runtime::Decline::Attribute,
                                            "training_mode is not a constant false (inference "
                                            "only)");
    }
    if (a.opset() < 7 && a.getInt("is_test", 0) == 0)
        return runtime::Claim::declined(runtime::Decline::Attribute,
                                        "is_test=0 (training) is not implemented");
    return runtime::Claim::claimed();
}

// Dense numeric values: sparse_value and value_string(s) are not implemented.
runtime::Claim claimConstant(const KernelInfo& info) {
    const NodeAttrs a(info.graph, info.node);
    for (const char* name : {"sparse_value", "value_string", "value_strings"})
        if (a.has(name))
            return runtime::Claim::declined(runtime::Decline::Attribute, "attribute '", name,
                                            "' is not implemented");
    return runtime::Claim::claimed();
}

} // namespace lb::backends::reference
