// Indexed reads and writes: GatherElements, GatherND, ScatterElements (and the older Scatter),
// ScatterND, OneHot, Compress, NonZero and Unique.

#include "backends/reference/kernel_util.h"
#include "backends/reference/kernels.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <numeric>

namespace lb::backends::reference {

namespace {

Shape stridesOf(const Shape& s) {
    Shape strides(s.size(), 1);
    for (size_t i = s.size(); i-- > 1;)
        strides[i - 1] = strides[i] * s[i];
    return strides;
}

// An index into a dimension of size `dim`, negative counting from the end; fails outside.
int64_t checkedIndex(int64_t i, int64_t dim, const char* what) {
    if (i < -dim || i >= dim)
        fail(what, " ", i, " is out of range for a dimension of size ", dim);
    return i < 0 ? i + dim : i;
}

// For every element of `indices` (same rank as `data`), the flat offset into `data` that
// replaces its position along `axis` with its value: GatherElements' and ScatterElements' map.
std::vector<int64_t> elementOffsets(const Shape& data, const Tensor& indices, int64_t axis) {
    if (indices.rank() != static_cast<int64_t>(data.size()))
        fail("indices ", shapeToString(indices.shape()), " should have the rank of data ",
             shapeToString(data));
    const std::vector<int64_t> idx = toInt64s(indices, "indices");
    const Shape strides = stridesOf(data);
    const Shape& is = indices.shape();
    std::vector<int64_t> pos(is.size(), 0), out(idx.size());
    for (size_t i = 0; i < idx.size(); ++i) {
        int64_t off = 0;
        for (size_t d = 0; d < is.size(); ++d) {
            const int64_t v =
                static_cast<int64_t>(d) == axis ? checkedIndex(idx[i], data[d], "index") : pos[d];
            if (v >= data[d])
                fail("indices ", shapeToString(is), " exceed data ", shapeToString(data),
                     " outside axis ", axis);
            off += v * strides[d];
        }
        out[i] = off;
        for (size_t d = is.size(); d-- > 0;) {
            if (++pos[d] < is[d])
                break;
            pos[d] = 0;
        }
    }
    return out;
}

enum class ScatterReduce { None, Add, Mul, Max, Min };

ScatterReduce parseScatterReduce(const NodeAttrs& a) {
    const std::string r = a.getString("reduction", "none");
    const std::map<std::string, ScatterReduce> names = {{"none", ScatterReduce::None},
                                                        {"add", ScatterReduce::Add},
                                                        {"mul", ScatterReduce::Mul},
                                                        {"max", ScatterReduce::Max},
                                                        {"min", ScatterReduce::Min}};
    const auto it = names.find(r);
    if (it == names.end())
        a.fail("reduction should be none, add, mul, max or min, got '", r, "'");
    return it->second;
}

// out = copy of data, then out[offsets[i]] (op)= updates[i] in order.
void scatterInto(KernelContext& ctx, ScatterReduce op, const std::vector<int64_t>& offsets,
                 int64_t chunk) {
    const Tensor &data = ctx.in(0), &updates = ctx.in(2);
    if (updates.dtype() != data.dtype())
        fail("updates are ", dtypeName(updates.dtype()), ", data ", dtypeName(data.dtype()));
    if (updates.numel() != static_cast<int64_t>(offsets.size()) * chunk)
        fail("updates ", shapeToString(updates.shape()), " do not match the indices");
    Tensor& y = ctx.output(0, data.dtype(), data.shape());
    std::memcpy(y.rawData(), data.rawData(), data.byteSize());
    dispatchNumeric(data.dtype(), [&](auto tag) {
        using T = decltype(tag);
        T* py = y.data<T>();
        const T* pu = updates.data<T>();
        for (size_t i = 0; i < offsets.size(); ++i)
            for (int64_t k = 0; k < chunk; ++k) {
                T& dst = py[offsets[i] + k];
                const T u = pu[static_cast<int64_t>(i) * chunk + k];
                switch (op) {
                case ScatterReduce::None:
                    dst = u;
                    break;
                case ScatterReduce::Add:
                    dst = static_cast<T>(dst + u);
                    break;
                case ScatterReduce::Mul:
                    dst = static_cast<T>(dst * u);
                    break;
                case ScatterReduce::Max:
                    dst = std::max(dst, u);
                    break;
                case ScatterReduce::Min:
                    dst = std::min(dst, u);
                    break;
                }
            }
    });
}

// GatherND's and ScatterND's index tuples: for each of the leading entries of `indices`
// (..., k), the offset into `data` of the slice it selects, with `batchDims` leading dimensions
// shared between data and indices. Returns the offsets; `chunk` is the slice size.
std::vector<int64_t> ndOffsets(const Shape& data, const Tensor& indices, int64_t batchDims,
                               int64_t& chunk) {
    const int64_t q = indices.rank(), r = static_cast<int64_t>(data.size());
    if (q < 1)
        fail("indices should have rank >= 1");
    const int64_t k = indices.shape()[q - 1];
    if (batchDims < 0 || batchDims >= std::min(q, r) || k < 1 || k > r - batchDims)
        fail("indices ", shapeToString(indices.shape()), " with batch_dims ", batchDims,
             " do not fit data ", shapeToString(data));
    for (int64_t b = 0; b < batchDims; ++b)
        if (indices.shape()[b] != data[b])
            fail("batch dimension ", b, " differs: indices ", shapeToString(indices.shape()),
                 ", data ", shapeToString(data));
    const std::vector<int64_t> idx = toInt64s(indices, "indices");
    const Shape strides = stridesOf(data);
    chunk = product(data, batchDims + k, r);
    const int64_t tuples = static_cast<int64_t>(idx.size()) / k;
    const int64_t perBatch = tuples / std::max<int64_t>(1, product(data, 0, batchDims));
    const int64_t batchStride = product(data, batchDims, r);
    std::vector<int64_t> out(static_cast<size_t>(tuples));
    for (int64_t t = 0; t < tuples; ++t) {
        int64_t off = perBatch ? (t / perBatch) * batchStride : 0;
        for (int64_t j = 0; j < k; ++j)
            off +=
                checkedIndex(idx[t * k + j], data[batchDims + j], "index") * strides[batchDims + j];
        out[t] = off;
    }
    return out;
}

Tensor& copyChunks(KernelContext& ctx, const Tensor& x, const Shape& shape,
                   const std::vector<int64_t>& offsets, int64_t chunk) {
    Tensor& y = ctx.output(0, x.dtype(), shape);
    const size_t bytes = static_cast<size_t>(chunk) * dtypeSize(x.dtype());
    const auto* src = static_cast<const std::byte*>(x.rawData());
    auto* dst = static_cast<std::byte*>(y.rawData());
    for (size_t i = 0; i < offsets.size(); ++i)
        std::memcpy(dst + i * bytes, src + offsets[i] * dtypeSize(x.dtype()), bytes);
    return y;
}

} // namespace

std::unique_ptr<Kernel> makeGatherElements(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 2);
    const int64_t axisAttr = a.getInt("axis", 0);
    return makeKernel([axisAttr](KernelContext& ctx) {
        const Tensor &x = ctx.in(0), &indices = ctx.in(1);
        const int64_t axis = normalizeAxis(axisAttr, x.rank());
        Tensor& y = ctx.output(0, x.dtype(), indices.shape());
        gatherElements(x, y, elementOffsets(x.shape(), indices, axis), ctx.threads());
    });
}

std::unique_ptr<Kernel> makeScatterElements(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(3, 3);
    const int64_t axisAttr = a.getInt("axis", 0);
    const ScatterReduce op = parseScatterReduce(a);
    return makeKernel([axisAttr, op](KernelContext& ctx) {
        const Tensor &x = ctx.in(0), &indices = ctx.in(1);
        if (ctx.in(2).shape() != indices.shape())
            fail("updates ", shapeToString(ctx.in(2).shape()), " should have the shape of indices ",
                 shapeToString(indices.shape()));
        scatterInto(ctx, op, elementOffsets(x.shape(), indices, normalizeAxis(axisAttr, x.rank())),
                    1);
    });
}

std::unique_ptr<Kernel> makeGatherND(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 2);
    const int64_t batchDims = a.getInt("batch_dims", 0);
    return makeKernel([batchDims](KernelContext& ctx) {
        const Tensor &x = ctx.in(0), &indices = ctx.in(1);
        int64_t chunk = 1;
        const std::vector<int64_t> offsets = ndOffsets(x.shape(), indices, batchDims, chunk);
        Shape shape(indices.shape().begin(), indices.shape().end() - 1);
        const int64_t k = indices.shape().back();
        shape.insert(shape.end(), x.shape().begin() + batchDims + k, x.shape().end());
        copyChunks(ctx, x, shape, offsets, chunk);
    });
}

std::unique_ptr<Kernel> makeScatterND(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(3, 3);
    const ScatterReduce op = parseScatterReduce(a);
    return makeKernel([op](KernelContext& ctx) {
        int64_t chunk = 1;
        const std::vector<int64_t> offsets = ndOffsets(ctx.in(0).shape(), ctx.in(1), 0, chunk);
        scatterInto(ctx, op, offsets, chunk);
    });
}

std::unique_ptr<Kernel> makeOneHot(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(3, 3);
    const int64_t axisAttr = a.getInt("axis", -1);
    return makeKernel([axisAttr](KernelContext& ctx) {
        const Tensor &indices = ctx.in(0), &depthT = ctx.in(1), &values = ctx.in(2);
        if (depthT.numel() != 1)
            fail("depth should hold one value, got ", shapeToString(depthT.shape()));
        if (values.numel() != 2)
            fail("values should be [off, on], got ", shapeToString(values.shape()));
        const int64_t depth = static_cast<int64_t>(depthT.valueAsDouble(0));
        if (depth < 1)
            fail("depth should be >= 1, got ", depth);
        const int64_t rank = indices.rank() + 1;
        const int64_t axis = normalizeAxis(axisAttr, rank);
        Shape shape = indices.shape();
        shape.insert(shape.begin() + axis, depth);
        Tensor& y = ctx.output(0, values.dtype(), shape);
        const size_t size = dtypeSize(values.dtype());
        const auto* off = static_cast<const std::byte*>(values.rawData());
        auto* py = static_cast<std::byte*>(y.rawData());
        for (int64_t i = 0; i < y.numel(); ++i)
            std::memcpy(py + i * size, off, size);
        const int64_t outer = product(indices.shape(), 0, axis),
                      inner = product(indices.shape(), axis, indices.shape().size());
        for (int64_t o = 0; o < outer; ++o)
            for (int64_t in = 0; in < inner; ++in) {
                int64_t v = static_cast<int64_t>(indices.valueAsDouble(o * inner + in));
                if (v < 0)
                    v += depth;
                if (v < 0 || v >= depth)
                    continue; // out of range: all off
                std::memcpy(py + ((o * depth + v) * inner + in) * size, off + size, size);
            }
    });
}

std::unique_ptr<Kernel> makeCompress(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 2);
    const bool hasAxis = a.has("axis");
    const int64_t axisAttr = a.getInt("axis", 0);
    return makeKernel([hasAxis, axisAttr](KernelContext& ctx) {
        const Tensor& cond = ctx.in(1);
        if (cond.dtype() != DataType::Bool || cond.rank() != 1)
            fail("condition should be a 1-D bool tensor, got ", dtypeName(cond.dtype()), " ",
                 shapeToString(cond.shape()));
        const Tensor x = hasAxis ? ctx.in(0) : ctx.in(0).reshaped({ctx.in(0).numel()});
        const int64_t axis = normalizeAxis(hasAxis ? axisAttr : 0, x.rank());
        const int64_t dim = x.shape()[axis];
        if (cond.numel() > dim)
            fail("condition has ", cond.numel(), " values for an axis of size ", dim);
        std::vector<int64_t> kept;
        for (int64_t i = 0; i < cond.numel(); ++i)
            if (cond.data<bool>()[i])
                kept.push_back(i);
        Shape shape = x.shape();
        shape[axis] = static_cast<int64_t>(kept.size());
        const int64_t outer = product(x.shape(), 0, axis),
                      inner = product(x.shape(), axis + 1, x.shape().size());
        std::vector<int64_t> offsets;
        for (int64_t o = 0; o < outer; ++o)
            for (int64_t k : kept)
                offsets.push_back((o * dim + k) * inner);
        copyChunks(ctx, x, shape, offsets, inner);
    });
}

std::unique_ptr<Kernel> makeNonZero(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    return makeKernel([](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        std::vector<int64_t> hits;
        dispatchNumeric(x.dtype(), [&](auto tag) {
            using T = decltype(tag);
            for (int64_t i = 0; i < x.numel(); ++i)
                if (x.data<T>()[i] != T(0))
                    hits.push_back(i);
        });
        const int64_t rank = x.rank(), n = static_cast<int64_t>(hits.size());
        Tensor& y = ctx.output(0, DataType::Int64, {rank, n});
        const Shape strides = stridesOf(x.shape());
        for (int64_t j = 0; j < n; ++j)
            for (int64_t d = 0; d < rank; ++d)
                y.data<int64_t>()[d * n + j] = (hits[j] / strides[d]) % x.shape()[d];
    });
}

std::unique_ptr<Kernel> makeUnique(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    const bool hasAxis = a.has("axis");
    const int64_t axisAttr = a.getInt("axis", 0);
    const bool sorted = a.getInt("sorted", 1) != 0;
    const size_t outputs = info.node.outputs.size();
    return makeKernel([=](KernelContext& ctx) {
        const Tensor x = hasAxis ? ctx.in(0) : ctx.in(0).reshaped({ctx.in(0).numel()});
        const int64_t axis = normalizeAxis(hasAxis ? axisAttr : 0, x.rank());
        const int64_t dim = x.shape()[axis], outer = product(x.shape(), 0, axis),
                      inner = product(x.shape(), axis + 1, x.shape().size());
        // Slice i along the axis, as a flat list of element offsets.
        const auto offsetOf = [&](int64_t i, int64_t e) {
            return ((e / inner) * dim + i) * inner + e % inner;
        };
        const int64_t sliceSize = outer * inner;
        std::vector<int64_t> firsts; // the first occurrence of each distinct slice
        std::vector<int64_t> inverse(static_cast<size_t>(dim));
        dispatchNumeric(x.dtype(), [&](auto tag) {
            using T = decltype(tag);
            const T* px = x.data<T>();
            const auto less = [&](int64_t i, int64_t j) {
                for (int64_t e = 0; e < sliceSize; ++e) {
                    const T u = px[offsetOf(i, e)], v = px[offsetOf(j, e)];
                    if (u != v)
                        return u < v;
                }
                return false;
            };
            // Sort the slices (stable: equal ones keep their order), group equal neighbours;
            // each group's first member is the slice's first occurrence.
            std::vector<int64_t> order(static_cast<size_t>(dim));
            std::iota(order.begin(), order.end(), 0);
            std::stable_sort(order.begin(), order.end(), less);
            std::vector<int64_t> groupOf(static_cast<size_t>(dim));
            for (size_t k = 0; k < order.size(); ++k) {
                if (k == 0 || less(order[k - 1], order[k]))
                    firsts.push_back(order[k]);
                groupOf[order[k]] = static_cast<int64_t>(firsts.size()) - 1;
            }
            // Output position of each group: sorted order, or order of first occurrence.
            std::vector<int64_t> rank(firsts.size());
            std::iota(rank.begin(), rank.end(), 0);
            if (!sorted) {
                std::vector<int64_t> byFirst(firsts.size());
                std::iota(byFirst.begin(), byFirst.end(), 0);
                std::sort(byFirst.begin(), byFirst.end(),
                          [&](int64_t p, int64_t q) { return firsts[p] < firsts[q]; });
                std::vector<int64_t> reordered(firsts.size());
                for (size_t k = 0; k < byFirst.size(); ++k) {
                    rank[byFirst[k]] = static_cast<int64_t>(k);
                    reordered[k] = firsts[byFirst[k]];
                }
                firsts = reordered;
            }
            for (int64_t i = 0; i < dim; ++i)
                inverse[i] = rank[groupOf[i]];
        });
        const int64_t u = static_cast<int64_t>(firsts.size());
        Shape shape = x.shape();
        shape[axis] = u;
        std::vector<int64_t> map;
        for (int64_t o = 0; o < outer; ++o)
            for (int64_t f : firsts)
                for (int64_t in = 0; in < inner; ++in)
                    map.push_back((o * dim + f) * inner + in);
        Tensor& y = ctx.output(0, x.dtype(), shape);
        gatherElements(x, y, map, ctx.threads());
        if (outputs > 1) {
            Tensor& idx = ctx.output(1, DataType::Int64, {u});
            std::copy(firsts.begin(), firsts.end(), idx.data<int64_t>());
        }
        if (outputs > 2) {
            Tensor& inv = ctx.output(2, DataType::Int64, {dim});
            std::copy(inverse.begin(), inverse.end(), inv.data<int64_t>());
        }
        if (outputs > 3) {
            Tensor& counts = ctx.output(3, DataType::Int64, {u});
            std::fill(counts.data<int64_t>(), counts.data<int64_t>() + u, 0);
            for (int64_t v : inverse)
                ++counts.data<int64_t>()[v];
        }
    });
}

} // namespace lb::backends::reference
