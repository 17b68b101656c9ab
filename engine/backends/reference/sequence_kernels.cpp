// ONNX sequence and optional ops. A sequence is an immutable Tensor::sequence; the tensors put
// into one are copied, since an input may live in the session's arena, which the next step
// reuses.

#include "backends/reference/kernel_util.h"
#include "backends/reference/kernels.h"

#include <cstring>

namespace lb::backends::reference {

namespace {

const Tensor& sequenceInput(const KernelContext& ctx, size_t i, const NodeAttrs& a) {
    const Tensor& s = ctx.in(i);
    if (!s.isSequence())
        a.fail("input ", i, " must be a sequence");
    return s;
}

// A position into a sequence of `size` elements, negative counting from the back; `end` allows
// size itself (an insert at the back).
size_t position(const Tensor& p, size_t size, bool end, const NodeAttrs& a) {
    const std::vector<int64_t> v = toInt64s(p, "position");
    if (v.size() != 1)
        a.fail("position must be one integer, got ", v.size(), " values");
    const auto n = static_cast<int64_t>(size);
    const int64_t pos = v[0] < 0 ? v[0] + n : v[0];
    if (pos < 0 || pos > n || (pos == n && !end))
        a.fail("position ", v[0], " is out of range for a sequence of ", n, " elements");
    return static_cast<size_t>(pos);
}

void checkElementType(const Tensor& seq, const Tensor& t, const NodeAttrs& a) {
    if (seq.dtype() != DataType::Undefined && t.dtype() != seq.dtype())
        a.fail("a ", dtypeName(t.dtype()), " tensor cannot join a sequence of ",
               dtypeName(seq.dtype()));
}

} // namespace

std::unique_ptr<Kernel> makeSequenceEmpty(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(0, 0);
    const auto code = a.getInt("dtype", static_cast<int64_t>(DataType::Float32));
    if (!isValidDataType(static_cast<int32_t>(code)))
        a.fail("dtype ", code, " is not an ONNX tensor type");
    const auto type = static_cast<DataType>(code);
    return makeKernel([type](KernelContext& ctx) { ctx.setAlias(0, Tensor::sequence(type, {})); });
}

std::unique_ptr<Kernel> makeSequenceConstruct(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1 << 20);
    return makeKernel([a](KernelContext& ctx) {
        std::vector<Tensor> items;
        for (size_t i = 0; i < ctx.inputCount(); ++i) {
            if (ctx.in(i).dtype() != ctx.in(0).dtype())
                a.fail("inputs have different types (", dtypeName(ctx.in(0).dtype()), " and ",
                       dtypeName(ctx.in(i).dtype()), ")");
            items.push_back(ctx.in(i).clone());
        }
        ctx.setAlias(0, Tensor::sequence(ctx.in(0).dtype(), std::move(items)));
    });
}

std::unique_ptr<Kernel> makeSequenceInsert(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 3);
    return makeKernel([a](KernelContext& ctx) {
        const Tensor& seq = sequenceInput(ctx, 0, a);
        checkElementType(seq, ctx.in(1), a);
        std::vector<Tensor> items = seq.items();
        const size_t pos =
            ctx.input(2) ? position(*ctx.input(2), items.size(), true, a) : items.size();
        items.insert(items.begin() + static_cast<std::ptrdiff_t>(pos), ctx.in(1).clone());
        ctx.setAlias(0, Tensor::sequence(ctx.in(1).dtype(), std::move(items)));
    });
}

std::unique_ptr<Kernel> makeSequenceAt(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 2);
    return makeKernel([a](KernelContext& ctx) {
        const Tensor& seq = sequenceInput(ctx, 0, a);
        ctx.setAlias(0, seq.items()[position(ctx.in(1), seq.items().size(), false, a)]);
    });
}

std::unique_ptr<Kernel> makeSequenceErase(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 2);
    return makeKernel([a](KernelContext& ctx) {
        const Tensor& seq = sequenceInput(ctx, 0, a);
        std::vector<Tensor> items = seq.items();
        if (items.empty())
            a.fail("cannot erase from an empty sequence");
        const size_t pos =
            ctx.input(1) ? position(*ctx.input(1), items.size(), false, a) : items.size() - 1;
        items.erase(items.begin() + static_cast<std::ptrdiff_t>(pos));
        ctx.setAlias(0, Tensor::sequence(seq.dtype(), std::move(items)));
    });
}

std::unique_ptr<Kernel> makeSequenceLength(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    return makeKernel([a](KernelContext& ctx) {
        const Tensor& seq = sequenceInput(ctx, 0, a);
        ctx.output(0, DataType::Int64, {}).data<int64_t>()[0] =
            static_cast<int64_t>(seq.items().size());
    });
}

std::unique_ptr<Kernel> makeSplitToSequence(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 2);
    const int64_t axisAttr = a.getInt("axis", 0);
    const bool keepdims = a.getInt("keepdims", 1) != 0;
    return makeKernel([a, axisAttr, keepdims](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        if (x.dtype() == DataType::String || x.kind() != ValueKind::Tensor)
            a.fail("input must be a numeric tensor");
        const int64_t axis = normalizeAxis(axisAttr, x.rank());
        const int64_t length = x.shape()[static_cast<size_t>(axis)];
        std::vector<int64_t> sizes;
        bool squeeze = false;
        if (!ctx.input(1)) {
            sizes.assign(static_cast<size_t>(length), 1);
            squeeze = !keepdims;
        } else if (ctx.input(1)->rank() == 0) {
            const int64_t chunk = toInt64s(*ctx.input(1), "split")[0];
            if (chunk <= 0)
                a.fail("split must be positive, got ", chunk);
            for (int64_t done = 0; done < length; done += chunk)
                sizes.push_back(std::min(chunk, length - done));
        } else {
            sizes = toInt64s(*ctx.input(1), "split");
            int64_t sum = 0;
            for (int64_t s : sizes)
                sum += s;
            if (sum != length)
                a.fail("split sizes sum to ", sum, ", the axis has ", length);
        }
        const int64_t outer = product(x.shape(), 0, static_cast<size_t>(axis));
        const int64_t inner = product(x.shape(), static_cast<size_t>(axis) + 1, x.shape().size()) *
                              static_cast<int64_t>(dtypeSize(x.dtype()));
        std::vector<Tensor> items;
        int64_t offset = 0;
        for (int64_t size : sizes) {
            Shape shape = x.shape();
            shape[static_cast<size_t>(axis)] = size;
            Tensor part(x.dtype(), shape);
            const auto* src = static_cast<const std::byte*>(x.rawData());
            auto* dst = static_cast<std::byte*>(part.rawData());
            for (int64_t o = 0; o < outer; ++o)
                std::memcpy(dst + o * size * inner, src + (o * length + offset) * inner,
                            static_cast<size_t>(size * inner));
            if (squeeze)
                shape.erase(shape.begin() + axis);
            items.push_back(part.reshaped(shape));
            offset += size;
        }
        ctx.setAlias(0, Tensor::sequence(x.dtype(), std::move(items)));
    });
}

std::unique_ptr<Kernel> makeConcatFromSequence(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    if (!a.has("axis"))
        a.fail("attribute 'axis' is required");
    const int64_t axisAttr = a.getInt("axis", 0);
    const bool newAxis = a.getInt("new_axis", 0) != 0;
    return makeKernel([a, axisAttr, newAxis](KernelContext& ctx) {
        const Tensor& seq = sequenceInput(ctx, 0, a);
        const std::vector<Tensor>& items = seq.items();
        if (items.empty())
            a.fail("cannot concatenate an empty sequence");
        Shape first = items[0].shape();
        if (newAxis)
            first.insert(first.begin() + normalizeAxis(axisAttr, items[0].rank() + 1), 1);
        const int64_t axis = normalizeAxis(axisAttr, static_cast<int64_t>(first.size()));
        Shape shape = first;
        shape[static_cast<size_t>(axis)] = 0;
        std::vector<Shape> shapes;
        for (const Tensor& t : items) {
            Shape s = t.shape();
            if (newAxis)
                s.insert(s.begin() + axis, 1);
            if (s.size() != first.size() || t.dtype() != items[0].dtype())
                a.fail("sequence elements differ in rank or type");
            for (size_t d = 0; d < s.size(); ++d)
                if (static_cast<int64_t>(d) != axis && s[d] != first[d])
                    a.fail("sequence elements differ outside axis ", axis, ": ", shapeToString(s),
                           " and ", shapeToString(first));
            shape[static_cast<size_t>(axis)] += s[static_cast<size_t>(axis)];
            shapes.push_back(std::move(s));
        }
        const DataType type = items[0].dtype();
        Tensor& out = ctx.output(0, type, shape);
        const int64_t outer = product(shape, 0, static_cast<size_t>(axis));
        const int64_t inner = product(shape, static_cast<size_t>(axis) + 1, shape.size()) *
                              static_cast<int64_t>(dtypeSize(type));
        const int64_t total = shape[static_cast<size_t>(axis)];
        int64_t offset = 0;
        for (size_t i = 0; i < items.size(); ++i) {
            const int64_t size = shapes[i][static_cast<size_t>(axis)];
            const auto* src = static_cast<const std::byte*>(items[i].rawData());
            auto* dst = static_cast<std::byte*>(out.rawData());
            for (int64_t o = 0; o < outer; ++o)
                std::memcpy(dst + (o * total + offset) * inner, src + o * size * inner,
                            static_cast<size_t>(size * inner));
            offset += size;
        }
    });
}

std::unique_ptr<Kernel> makeOptional(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(0, 1);
    const DataType declared = info.outputValue(0).dtype;
    return makeKernel([declared](KernelContext& ctx) {
        if (!ctx.input(0)) {
            ctx.setAlias(0, Tensor::optional(declared, nullptr));
            return;
        }
        const Tensor item = ctx.in(0).clone();
        ctx.setAlias(0, Tensor::optional(item.dtype(), &item));
    });
}

std::unique_ptr<Kernel> makeOptionalHasElement(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(0, 1);
    return makeKernel([](KernelContext& ctx) {
        const Tensor* x = ctx.input(0);
        const bool has = x && !x->empty() && (!x->isOptional() || !x->items().empty());
        ctx.output(0, DataType::Bool, {}).data<bool>()[0] = has;
    });
}

std::unique_ptr<Kernel> makeOptionalGetElement(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    return makeKernel([a](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        if (!x.isOptional()) {
            ctx.setAlias(0, x); // a tensor or sequence is its own element
            return;
        }
        if (x.items().empty())
            a.fail("the optional input is empty");
        ctx.setAlias(0, x.items()[0]);
    });
}

} // namespace lb::backends::reference
