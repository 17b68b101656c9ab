// Ops that move or mask elements by position: Trilu, EyeLike, CumSum, ReverseSequence,
// DepthToSpace, SpaceToDepth, and Size.

#include "backends/reference/kernel_util.h"
#include "backends/reference/kernels.h"

#include <cstring>

namespace lb::backends::reference {

namespace {

// The single value of an optional scalar input (Trilu's k, CumSum's axis).
int64_t scalarInput(const Tensor& t, const char* what) {
    const std::vector<int64_t> v = toInt64s(t, what);
    if (v.size() != 1)
        fail(what, " should hold one value, got ", shapeToString(t.shape()));
    return v[0];
}

} // namespace

std::unique_ptr<Kernel> makeTrilu(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 2);
    const bool upper = a.getInt("upper", 1) != 0;
    return makeKernel([upper](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        if (x.rank() < 2)
            fail("input should have rank >= 2, got ", shapeToString(x.shape()));
        const int64_t k = ctx.input(1) ? scalarInput(*ctx.input(1), "k") : 0;
        Tensor& y = ctx.output(0, x.dtype(), x.shape());
        const int64_t rows = x.shape()[x.rank() - 2], cols = x.shape()[x.rank() - 1];
        const int64_t mats = product(x.shape(), 0, x.shape().size() - 2);
        const size_t size = dtypeSize(x.dtype());
        std::memcpy(y.rawData(), x.rawData(), x.byteSize());
        auto* py = static_cast<std::byte*>(y.rawData());
        // Zero bytes are zero of every numeric type.
        for (int64_t m = 0; m < mats; ++m)
            for (int64_t i = 0; i < rows; ++i)
                for (int64_t j = 0; j < cols; ++j)
                    if (upper ? j < i + k : j > i + k)
                        std::memset(py + ((m * rows + i) * cols + j) * size, 0, size);
    });
}

std::unique_ptr<Kernel> makeEyeLike(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    const int64_t k = a.getInt("k", 0);
    DataType dtype = DataType::Undefined;
    if (a.has("dtype")) {
        const int64_t code = a.getInt("dtype", 0);
        if (!isValidDataType(static_cast<int32_t>(code)))
            a.fail("dtype ", code, " is not a tensor data type");
        dtype = static_cast<DataType>(code);
    }
    return makeKernel([k, dtype](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        if (x.rank() != 2)
            fail("input should be 2-D, got ", shapeToString(x.shape()));
        const DataType type = dtype == DataType::Undefined ? x.dtype() : dtype;
        Tensor& y = ctx.output(0, type, x.shape());
        std::memset(y.rawData(), 0, y.byteSize());
        dispatchNumeric(type, [&](auto tag) {
            using T = decltype(tag);
            const int64_t rows = x.shape()[0], cols = x.shape()[1];
            for (int64_t i = 0; i < rows; ++i)
                if (i + k >= 0 && i + k < cols)
                    y.data<T>()[i * cols + i + k] = T(1);
        });
    });
}

std::unique_ptr<Kernel> makeCumSum(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 2);
    const bool exclusive = a.getInt("exclusive", 0) != 0, reverse = a.getInt("reverse", 0) != 0;
    return makeKernel([exclusive, reverse](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        const int64_t axis = normalizeAxis(scalarInput(ctx.in(1), "axis"), x.rank());
        Tensor& y = ctx.output(0, x.dtype(), x.shape());
        const int64_t dim = x.rank() ? x.shape()[axis] : 1, outer = product(x.shape(), 0, axis),
                      inner = product(x.shape(), axis + 1, x.shape().size());
        dispatchNumeric(x.dtype(), [&](auto tag) {
            using T = decltype(tag);
            if constexpr (std::is_same_v<T, bool>)
                fail("CumSum does not take bool tensors");
            else
                for (int64_t o = 0; o < outer; ++o)
                    for (int64_t in = 0; in < inner; ++in) {
                        T acc = T(0);
                        for (int64_t s = 0; s < dim; ++s) {
                            const int64_t i = reverse ? dim - 1 - s : s;
                            const int64_t off = (o * dim + i) * inner + in;
                            const T v = x.data<T>()[off];
                            if (!exclusive)
                                acc = static_cast<T>(acc + v);
                            y.data<T>()[off] = acc;
                            if (exclusive)
                                acc = static_cast<T>(acc + v);
                        }
                    }
        });
    });
}

std::unique_ptr<Kernel> makeReverseSequence(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 2);
    const int64_t batchAxis = a.getInt("batch_axis", 1), timeAxis = a.getInt("time_axis", 0);
    if (!((batchAxis == 0 && timeAxis == 1) || (batchAxis == 1 && timeAxis == 0)))
        a.fail("batch_axis and time_axis should be 0 and 1 in some order, got ", batchAxis, " and ",
               timeAxis);
    return makeKernel([batchAxis, timeAxis](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        if (x.rank() < 2)
            fail("input should have rank >= 2, got ", shapeToString(x.shape()));
        const int64_t batch = x.shape()[batchAxis], time = x.shape()[timeAxis];
        const std::vector<int64_t> lens = toInt64s(ctx.in(1), "sequence_lens");
        if (static_cast<int64_t>(lens.size()) != batch)
            fail("sequence_lens has ", lens.size(), " values for a batch of ", batch);
        const int64_t inner = product(x.shape(), 2, x.shape().size());
        std::vector<int64_t> map(static_cast<size_t>(x.numel()));
        for (int64_t b = 0; b < batch; ++b) {
            if (lens[b] < 0 || lens[b] > time)
                fail("sequence length ", lens[b], " of batch ", b, " is outside [0, ", time, "]");
            for (int64_t t = 0; t < time; ++t) {
                const int64_t src = t < lens[b] ? lens[b] - 1 - t : t;
                const auto at = [&](int64_t tt) {
                    return (batchAxis == 0 ? b * time + tt : tt * batch + b) * inner;
                };
                for (int64_t i = 0; i < inner; ++i)
                    map[at(t) + i] = at(src) + i;
            }
        }
        Tensor& y = ctx.output(0, x.dtype(), x.shape());
        gatherElements(x, y, map, ctx.threads());
    });
}

// DepthToSpace (DCR or CRD) and SpaceToDepth over NCHW.
std::unique_ptr<Kernel> makeDepthSpace(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    const bool toSpace = info.node.opType == "DepthToSpace";
    if (!a.has("blocksize"))
        a.fail("attribute 'blocksize' is required");
    const int64_t b = a.getInt("blocksize", 0);
    if (b < 1)
        a.fail("blocksize should be >= 1, got ", b);
    const std::string mode = toSpace ? a.getString("mode", "DCR") : "DCR";
    if (mode != "DCR" && mode != "CRD")
        a.fail("mode should be DCR or CRD, got '", mode, "'");
    const bool crd = mode == "CRD";
    return makeKernel([toSpace, b, crd](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        if (x.rank() != 4)
            fail("input should be NCHW, got ", shapeToString(x.shape()));
        const int64_t n = x.shape()[0], c = x.shape()[1], h = x.shape()[2], w = x.shape()[3];
        if (toSpace && c % (b * b) != 0)
            fail("channels ", c, " are not a multiple of blocksize^2 = ", b * b);
        if (!toSpace && (h % b != 0 || w % b != 0))
            fail("height and width ", h, "x", w, " are not multiples of blocksize ", b);
        // The NCHW geometry of the space-side tensor and its depth-side channel count.
        const int64_t sc = toSpace ? c / (b * b) : c, sh = toSpace ? h * b : h,
                      sw = toSpace ? w * b : w;
        const Shape shape = toSpace ? Shape{n, sc, sh, sw} : Shape{n, c * b * b, h / b, w / b};
        const int64_t dh = sh / b, dw = sw / b, dc = sc * b * b;
        std::vector<int64_t> map(static_cast<size_t>(x.numel()));
        for (int64_t in = 0; in < n; ++in)
            for (int64_t ch = 0; ch < sc; ++ch)
                for (int64_t y = 0; y < sh; ++y)
                    for (int64_t xw = 0; xw < sw; ++xw) {
                        const int64_t i = y % b, j = xw % b;
                        const int64_t depthC = crd ? (ch * b + i) * b + j : (i * b + j) * sc + ch;
                        const int64_t space = ((in * sc + ch) * sh + y) * sw + xw;
                        const int64_t depth = ((in * dc + depthC) * dh + y / b) * dw + xw / b;
                        if (toSpace)
                            map[space] = depth;
                        else
                            map[depth] = space;
                    }
        Tensor& out = ctx.output(0, x.dtype(), shape);
        gatherElements(x, out, map, ctx.threads());
    });
}

std::unique_ptr<Kernel> makeSize(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    return makeKernel([](KernelContext& ctx) {
        ctx.output(0, DataType::Int64, {}).data<int64_t>()[0] = ctx.in(0).numel();
    });
}

} // namespace lb::backends::reference
