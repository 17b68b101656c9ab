#include "backends/reference/kernel_util.h"
#include "backends/reference/kernels.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace lb::backends::reference {

namespace {

Shape stridesOf(const Shape& s) {
    Shape strides(s.size(), 1);
    for (size_t i = s.size(); i-- > 1;)
        strides[i - 1] = strides[i] * s[i];
    return strides;
}

// For every element of `out` (row-major), the flat source index f(multiIndex) returns.
template <typename F> std::vector<int64_t> indexMap(const Shape& out, F f) {
    const int64_t n = product(out);
    std::vector<int64_t> map(static_cast<size_t>(n));
    std::vector<int64_t> idx(out.size(), 0);
    for (int64_t i = 0; i < n; ++i) {
        map[i] = f(idx.data());
        for (size_t d = out.size(); d-- > 0;) {
            if (++idx[d] < out[d])
                break;
            idx[d] = 0;
        }
    }
    return map;
}

Tensor& gatherInto(KernelContext& ctx, size_t slot, const Tensor& x, const Shape& shape,
                   const std::vector<int64_t>& map) {
    Tensor& y = ctx.output(slot, x.dtype(), shape);
    gatherElements(x, y, map, ctx.threads());
    return y;
}

} // namespace

std::unique_ptr<Kernel> makeTranspose(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    const std::vector<int64_t> permAttr = a.getInts("perm");
    return makeKernel([permAttr](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        std::vector<int64_t> perm = permAttr;
        if (perm.empty())
            for (int64_t d = x.rank(); d-- > 0;)
                perm.push_back(d);
        std::vector<int64_t> check = perm;
        std::sort(check.begin(), check.end());
        for (size_t i = 0; i < check.size(); ++i)
            if (check[i] != static_cast<int64_t>(i) || check.size() != x.shape().size())
                fail("perm is not a permutation of the input's ", x.rank(), " axes");
        Shape shape;
        for (int64_t p : perm)
            shape.push_back(x.shape()[p]);
        const Shape in = stridesOf(x.shape());
        gatherInto(ctx, 0, x, shape, indexMap(shape, [&](const int64_t* idx) {
                       int64_t off = 0;
                       for (size_t d = 0; d < perm.size(); ++d)
                           off += idx[d] * in[perm[d]];
                       return off;
                   }));
    });
}

std::unique_ptr<Kernel> makeConcat(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1 << 20);
    if (!a.has("axis") && a.opset() >= 4)
        a.fail("attribute 'axis' is required");
    const int64_t axisAttr = a.getInt("axis", 1);
    return makeKernel([axisAttr](KernelContext& ctx) {
        const Tensor& first = ctx.in(0);
        const int64_t axis = normalizeAxis(axisAttr, first.rank());
        Shape shape = first.shape();
        shape[axis] = 0;
        for (size_t i = 0; i < ctx.inputCount(); ++i) {
            const Tensor& t = ctx.in(i);
            if (t.dtype() != first.dtype() || t.rank() != first.rank())
                fail("input ", i, " differs in dtype or rank from input 0");
            for (int64_t d = 0; d < t.rank(); ++d)
                if (d != axis && t.shape()[d] != first.shape()[d])
                    fail("input ", i, " ", shapeToString(t.shape()), " does not match ",
                         shapeToString(first.shape()), " outside axis ", axis);
            shape[axis] += t.shape()[axis];
        }
        Tensor& y = ctx.output(0, first.dtype(), shape);
        const int64_t outer = product(shape, 0, axis), size = dtypeSize(first.dtype());
        const int64_t outRow = product(shape, axis, shape.size()) * size;
        int64_t offset = 0;
        for (size_t i = 0; i < ctx.inputCount(); ++i) {
            const Tensor& t = ctx.in(i);
            const int64_t row = product(t.shape(), axis, t.shape().size()) * size;
            for (int64_t o = 0; o < outer; ++o)
                std::memcpy(static_cast<std::byte*>(y.rawData()) + o * outRow + offset,
                            static_cast<const std::byte*>(t.rawData()) + o * row, row);
            offset += row;
        }
    });
}

std::unique_ptr<Kernel> makeSplit(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    // The split sizes are an input in opset 1 and from 13 on, an attribute in between.
    const bool inputForm = a.opset() >= 13 || a.opset() < 2;
    a.expectInputs(1, 2);
    const int64_t axisAttr = a.getInt("axis", 0);
    const std::vector<int64_t> splitAttr = a.getInts("split");
    const size_t outputs = info.node.outputs.size();
    return makeKernel([=](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        const int64_t axis = normalizeAxis(axisAttr, x.rank());
        std::vector<int64_t> split = splitAttr;
        if (inputForm)
            if (const Tensor* s = ctx.input(1))
                split = toInt64s(*s, "split");
        const int64_t dim = x.shape()[axis];
        if (split.empty()) {
            if (dim % static_cast<int64_t>(outputs) != 0)
                fail("axis of size ", dim, " does not split evenly into ", outputs, " outputs");
            split.assign(outputs, dim / static_cast<int64_t>(outputs));
        }
        int64_t total = 0;
        for (int64_t s : split)
            total += s;
        if (split.size() != outputs || total != dim)
            fail("split sizes do not add up to ", dim, " over ", outputs, " outputs");
        const int64_t outer = product(x.shape(), 0, axis),
                      inner = product(x.shape(), axis + 1, x.rank());
        const int64_t size = dtypeSize(x.dtype());
        int64_t start = 0;
        for (size_t o = 0; o < outputs; ++o) {
            Shape shape = x.shape();
            shape[axis] = split[o];
            Tensor& y = ctx.output(o, x.dtype(), shape);
            const int64_t chunk = split[o] * inner * size;
            for (int64_t r = 0; r < outer; ++r)
                std::memcpy(static_cast<std::byte*>(y.rawData()) + r * chunk,
                            static_cast<const std::byte*>(x.rawData()) +
                                (r * dim + start) * inner * size,
                            chunk);
            start += split[o];
        }
    });
}

std::unique_ptr<Kernel> makeSlice(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    const bool attrForm = a.opset() < 10;
    a.expectInputs(attrForm ? 1 : 3, attrForm ? 1 : 5);
    const std::vector<int64_t> startsAttr = a.getInts("starts"), endsAttr = a.getInts("ends"),
                               axesAttr = a.getInts("axes");
    const auto run = [=](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        const std::vector<int64_t> starts = attrForm ? startsAttr : toInt64s(ctx.in(1), "starts");
        const std::vector<int64_t> ends = attrForm ? endsAttr : toInt64s(ctx.in(2), "ends");
        std::vector<int64_t> axes =
            attrForm ? axesAttr
                     : (ctx.input(3) ? toInt64s(*ctx.input(3), "axes") : std::vector<int64_t>{});
        std::vector<int64_t> steps =
            !attrForm && ctx.input(4) ? toInt64s(*ctx.input(4), "steps") : std::vector<int64_t>{};
        if (axes.empty())
            for (size_t i = 0; i < starts.size(); ++i)
                axes.push_back(static_cast<int64_t>(i));
        if (steps.empty())
            steps.assign(starts.size(), 1);
        if (ends.size() != starts.size() || axes.size() != starts.size() ||
            steps.size() != starts.size())
            fail("starts, ends, axes and steps should have the same length");
        const int64_t rank = x.rank();
        std::vector<int64_t> begin(rank, 0), step(rank, 1);
        Shape shape = x.shape();
        for (size_t i = 0; i < axes.size(); ++i) {
            const int64_t ax = normalizeAxis(axes[i], rank), dim = x.shape()[ax];
            if (steps[i] == 0)
                fail("step 0 on axis ", ax);
            int64_t s = starts[i], e = ends[i];
            if (s < 0)
                s += dim;
            if (e < 0)
                e += dim;
            int64_t count;
            if (steps[i] > 0) {
                s = std::clamp<int64_t>(s, 0, dim);
                e = std::clamp<int64_t>(e, 0, dim);
                count = e > s ? (e - s + steps[i] - 1) / steps[i] : 0;
            } else {
                s = std::clamp<int64_t>(s, 0, dim - 1);
                e = std::clamp<int64_t>(e, -1, dim - 1);
                count = s > e ? (s - e + (-steps[i]) - 1) / (-steps[i]) : 0;
            }
            begin[ax] = s;
            step[ax] = steps[i];
            shape[ax] = count;
        }
        const Shape in = stridesOf(x.shape());
        // A contiguous block (leading axes cut to one index, then one axis cut with step 1,
        // the rest whole) is a view of the input: rec's attention splits q, k, v this way.
        int64_t first = 0;
        while (first < rank && shape[first] == 1)
            ++first;
        bool contiguous =
            x.dtype() != DataType::String && !x.layout() && (first == rank || step[first] == 1);
        for (int64_t d = first + 1; d < rank && contiguous; ++d)
            contiguous = shape[d] == x.shape()[d];
        if (contiguous) {
            int64_t offset = 0;
            for (int64_t d = 0; d < rank; ++d)
                offset += begin[d] * in[d];
            ctx.setAlias(0, x.subView(shape, static_cast<size_t>(offset) * dtypeSize(x.dtype())));
            return;
        }
        gatherInto(ctx, 0, x, shape, indexMap(shape, [&](const int64_t* idx) {
                       int64_t off = 0;
                       for (int64_t d = 0; d < rank; ++d)
                           off += (begin[d] + idx[d] * step[d]) * in[d];
                       return off;
                   }));
    };
    return makeKernel(run, 0); // output 0 may be a view of X
}

std::unique_ptr<Kernel> makeGather(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 2);
    const int64_t axisAttr = a.getInt("axis", 0);
    return makeKernel([axisAttr](KernelContext& ctx) {
        const Tensor &x = ctx.in(0), &indices = ctx.in(1);
        const int64_t axis = normalizeAxis(axisAttr, x.rank());
        const std::vector<int64_t> idx = toInt64s(indices, "indices");
        const int64_t dim = x.shape()[axis];
        Shape shape(x.shape().begin(), x.shape().begin() + axis);
        shape.insert(shape.end(), indices.shape().begin(), indices.shape().end());
        shape.insert(shape.end(), x.shape().begin() + axis + 1, x.shape().end());
        const int64_t outer = product(x.shape(), 0, axis),
                      inner = product(x.shape(), axis + 1, x.rank());
        // One index into a tensor with nothing before the axis (ViT's qkv[0], a batch row): a
        // contiguous block of X, shared rather than copied.
        if (outer == 1 && idx.size() == 1 && x.dtype() != DataType::String && x.isPlain() &&
            idx[0] >= -dim && idx[0] < dim && inner > 0) {
            const int64_t k = idx[0] < 0 ? idx[0] + dim : idx[0];
            ctx.setAlias(0, x.subView(shape, static_cast<size_t>(k * inner) * dtypeSize(x.dtype())));
            return;
        }
        std::vector<int64_t> map;
        map.reserve(static_cast<size_t>(outer * idx.size() * inner));
        for (int64_t o = 0; o < outer; ++o)
            for (int64_t k : idx) {
                if (k < -dim || k >= dim)
                    fail("index ", k, " is out of range for axis ", axis, " of size ", dim);
                const int64_t base = (o * dim + (k < 0 ? k + dim : k)) * inner;
                for (int64_t i = 0; i < inner; ++i)
                    map.push_back(base + i);
            }
        gatherInto(ctx, 0, x, shape, map);
    }, 0); // output 0 may be a view of X
}

std::unique_ptr<Kernel> makeExpand(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 2);
    return makeKernel([](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        const Shape shape = broadcastShapes(x.shape(), toInt64s(ctx.in(1), "shape"));
        std::vector<int64_t> map(static_cast<size_t>(product(shape)));
        forEachBroadcast(shape, {broadcastStrides(x.shape(), shape)}, 1,
                         [&](int64_t i, const int64_t* off) { map[i] = off[0]; });
        gatherInto(ctx, 0, x, shape, map);
    });
}

std::unique_ptr<Kernel> makeTile(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 2);
    return makeKernel([](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        const std::vector<int64_t> repeats = toInt64s(ctx.in(1), "repeats");
        if (static_cast<int64_t>(repeats.size()) != x.rank())
            fail("repeats has ", repeats.size(), " values for an input of rank ", x.rank());
        Shape shape = x.shape();
        for (size_t d = 0; d < shape.size(); ++d) {
            if (repeats[d] < 0)
                fail("repeats must be >= 0");
            shape[d] *= repeats[d];
        }
        const Shape in = stridesOf(x.shape());
        gatherInto(ctx, 0, x, shape, indexMap(shape, [&](const int64_t* idx) {
                       int64_t off = 0;
                       for (size_t d = 0; d < in.size(); ++d)
                           off += (idx[d] % x.shape()[d]) * in[d];
                       return off;
                   }));
    });
}

std::unique_ptr<Kernel> makePad(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    const bool attrForm = a.opset() < 11;
    a.expectInputs(attrForm ? 1 : 2, attrForm ? 1 : 3); // no axes input: claimPad
    const std::string mode = a.getString("mode", "constant");
    if (mode != "constant" && mode != "reflect" && mode != "edge")
        a.fail("mode should be constant, reflect or edge, got '", mode, "'");
    const std::vector<int64_t> padsAttr = a.getInts(a.opset() < 2 ? "paddings" : "pads");
    const float valueAttr = a.getFloat("value", 0.0f);
    return makeKernel([=](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        const std::vector<int64_t> pads = attrForm ? padsAttr : toInt64s(ctx.in(1), "pads");
        const int64_t rank = x.rank();
        if (static_cast<int64_t>(pads.size()) != 2 * rank)
            fail("pads has ", pads.size(), " values for an input of rank ", rank);
        Shape shape = x.shape();
        for (int64_t d = 0; d < rank; ++d) {
            shape[d] += pads[d] + pads[d + rank];
            if (shape[d] < 0)
                fail("pads make axis ", d, " negative");
            if (mode != "constant" && x.shape()[d] == 0 && shape[d] > 0)
                fail(mode, " padding of an empty axis");
        }
        const Shape in = stridesOf(x.shape());
        std::vector<int64_t> map = indexMap(shape, [&](const int64_t* idx) -> int64_t {
            int64_t off = 0;
            for (int64_t d = 0; d < rank; ++d) {
                int64_t i = idx[d] - pads[d];
                const int64_t dim = x.shape()[d];
                if (i < 0 || i >= dim) {
                    if (mode == "constant")
                        return -1;
                    if (mode == "edge")
                        i = std::clamp<int64_t>(i, 0, dim - 1);
                    else {
                        const int64_t period = std::max<int64_t>(1, 2 * (dim - 1));
                        i = ((i % period) + period) % period;
                        if (i >= dim)
                            i = period - i;
                    }
                }
                off += i * in[d];
            }
            return off;
        });
        Tensor& y = ctx.output(0, x.dtype(), shape);
        const size_t size = dtypeSize(x.dtype());
        // The constant comes in the input's dtype: read it as bytes of one element.
        std::vector<std::byte> fill(size);
        if (const Tensor* v = attrForm ? nullptr : ctx.input(2); v && v->numel() > 0)
            std::memcpy(fill.data(), v->rawData(), size);
        else
            dispatchNumeric(x.dtype(), [&](auto tag) {
                const auto value = static_cast<decltype(tag)>(valueAttr);
                std::memcpy(fill.data(), &value, size);
            });
        const auto* src = static_cast<const std::byte*>(x.rawData());
        auto* dst = static_cast<std::byte*>(y.rawData());
        for (size_t i = 0; i < map.size(); ++i)
            std::memcpy(dst + i * size, map[i] < 0 ? fill.data() : src + map[i] * size, size);
    });
}

// Modes constant, reflect and edge over every axis: 'wrap' and the axes input (opset 18) are not
// implemented.
runtime::Claim claimPad(const KernelInfo& info) {
    const NodeAttrs a(info.graph, info.node);
    if (a.getString("mode", "constant") == "wrap")
        return runtime::Claim::declined(runtime::Decline::Attribute,
                                        "mode 'wrap' is not implemented");
    if (info.inputCount() > 3 && info.hasInput(3))
        return runtime::Claim::declined(runtime::Decline::Input,
                                        "the axes input is not implemented (pads over every axis)");
    return runtime::Claim::claimed();
}

} // namespace lb::backends::reference
