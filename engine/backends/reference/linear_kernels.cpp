#include "backends/reference/gemm.h"
#include "backends/reference/kernel_util.h"
#include "backends/reference/kernels.h"
#include "backends/reference/spatial.h"

#include <vector>

namespace lb::backends::reference {

namespace {

void expectFloat(const Tensor& t, const char* what) {
    if (t.dtype() != DataType::Float32)
        fail(what, " should be float32, got ", dtypeName(t.dtype()));
}

Shape spatialOf(const Shape& s) {
    return Shape(s.begin() + 2, s.end());
}

// Fills col[(c * kernelSize + kk) * outSize + p] with the input value each window tap reads.
void im2col(const float* x, int64_t channels, const Geometry& g, float* col) {
    const int64_t kSize = g.kernelSize(), oSize = g.outSize();
    for (int64_t c = 0; c < channels; ++c) {
        const float* xc = x + c * g.inSize();
        for (int64_t kd = 0; kd < g.kernel[0]; ++kd)
            for (int64_t kh = 0; kh < g.kernel[1]; ++kh)
                for (int64_t kw = 0; kw < g.kernel[2]; ++kw) {
                    const int64_t kk = (kd * g.kernel[1] + kh) * g.kernel[2] + kw;
                    float* row = col + (c * kSize + kk) * oSize;
                    for (int64_t od = 0; od < g.out[0]; ++od) {
                        const int64_t id = od * g.stride[0] - g.padBegin[0] + kd * g.dilation[0];
                        for (int64_t oh = 0; oh < g.out[1]; ++oh) {
                            const int64_t ih =
                                oh * g.stride[1] - g.padBegin[1] + kh * g.dilation[1];
                            float* dst = row + (od * g.out[1] + oh) * g.out[2];
                            const bool rowIn = id >= 0 && id < g.in[0] && ih >= 0 && ih < g.in[1];
                            for (int64_t ow = 0; ow < g.out[2]; ++ow) {
                                const int64_t iw =
                                    ow * g.stride[2] - g.padBegin[2] + kw * g.dilation[2];
                                dst[ow] = rowIn && iw >= 0 && iw < g.in[2]
                                              ? xc[(id * g.in[1] + ih) * g.in[2] + iw]
                                              : 0.0f;
                            }
                        }
                    }
                }
    }
}

void addBias(float* y, const Tensor* bias, int64_t channels, int64_t spatial) {
    if (!bias)
        return;
    for (int64_t c = 0; c < channels; ++c)
        for (int64_t p = 0; p < spatial; ++p)
            y[c * spatial + p] += bias->data<float>()[c];
}

} // namespace

std::unique_ptr<Kernel> makeConv(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 3);
    const WindowAttrs window = parseWindow(a);
    const int64_t group = a.getInt("group", 1);
    if (group < 1)
        a.fail("group should be >= 1, got ", group);
    // Constant weights are checked now, so the session reports a wrong kernel_shape at creation.
    if (const Tensor* w = info.constantInput(1);
        w && w->rank() >= 3 && !window.kernel.empty() && window.kernel != spatialOf(w->shape()))
        a.fail("kernel_shape ", shapeToString(window.kernel), " does not match W ",
               shapeToString(w->shape()));
    return makeKernel([=](KernelContext& ctx) {
        const Tensor &x = ctx.in(0), &w = ctx.in(1);
        const Tensor* b = ctx.input(2);
        expectFloat(x, "input X");
        expectFloat(w, "weight W");
        if (x.rank() < 3 || w.rank() != x.rank())
            fail("X ", shapeToString(x.shape()), " and W ", shapeToString(w.shape()),
                 " should both be NxCxD1... tensors of one rank");
        const int64_t n = x.shape()[0], c = x.shape()[1], m = w.shape()[0];
        const int64_t cg = w.shape()[1], mg = m / group;
        if (c != cg * group || m % group != 0)
            fail("X has ", c, " channels and W is ", shapeToString(w.shape()), " with group ",
                 group);
        if (b && (b->numel() != m || b->dtype() != DataType::Float32))
            fail("bias should be float32 with ", m, " values");
        const Shape kernel = spatialOf(w.shape());
        if (!window.kernel.empty() && window.kernel != kernel)
            fail("kernel_shape does not match W ", shapeToString(w.shape()));
        const Geometry g = windowGeometry(window, spatialOf(x.shape()), kernel);
        Shape outShape{n, m};
        for (int64_t d : g.outDims())
            outShape.push_back(d);
        Tensor& y = ctx.output(0, DataType::Float32, outShape);
        const int64_t kdim = cg * g.kernelSize(), oSize = g.outSize();
        const bool pointwise = g.kernelSize() == 1 && g.inSize() == oSize &&
                               g.padBegin == std::array<int64_t, 3>{} &&
                               g.stride == std::array<int64_t, 3>{1, 1, 1};
        std::vector<float> col(pointwise ? 0 : static_cast<size_t>(kdim * oSize));
        for (int64_t i = 0; i < n; ++i)
            for (int64_t gi = 0; gi < group; ++gi) {
                const float* xg = x.data<float>() + (i * c + gi * cg) * g.inSize();
                const float* cols = xg;
                if (!pointwise) {
                    im2col(xg, cg, g, col.data());
                    cols = col.data();
                }
                float* yg = y.data<float>() + (i * m + gi * mg) * oSize;
                gemm(mg, oSize, kdim, w.data<float>() + gi * mg * kdim, kdim, cols, oSize, yg,
                     oSize, false, ctx.threads());
            }
        for (int64_t i = 0; i < n; ++i)
            addBias(y.data<float>() + i * m * oSize, b, m, oSize);
    });
}

std::unique_ptr<Kernel> makeConvTranspose(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 3);
    const WindowAttrs window = parseWindow(a);
    const int64_t group = a.getInt("group", 1);
    const std::vector<int64_t> outputPadding = a.getInts("output_padding");
    const std::vector<int64_t> outputShape = a.getInts("output_shape");
    if (group < 1)
        a.fail("group should be >= 1, got ", group);
    return makeKernel([=](KernelContext& ctx) {
        const Tensor &x = ctx.in(0), &w = ctx.in(1);
        const Tensor* b = ctx.input(2);
        expectFloat(x, "input X");
        expectFloat(w, "weight W");
        if (x.rank() < 3 || x.rank() > 5 || w.rank() != x.rank())
            fail("X and W should be NxCxD1... tensors of one rank (3 to 5)");
        const int64_t n = x.shape()[0], c = x.shape()[1], mg = w.shape()[1], m = mg * group;
        if (w.shape()[0] != c || c % group != 0)
            fail("X has ", c, " channels but W is ", shapeToString(w.shape()), " with group ",
                 group);
        const int64_t cg = c / group;
        if (b && (b->numel() != m || b->dtype() != DataType::Float32))
            fail("bias should be float32 with ", m, " values");
        const Geometry g = transposedGeometry(window, outputPadding, outputShape,
                                              spatialOf(x.shape()), spatialOf(w.shape()));
        Shape outShape{n, m};
        for (int64_t d : g.outDims())
            outShape.push_back(d);
        Tensor& y = ctx.output(0, DataType::Float32, outShape);
        std::fill(y.data<float>(), y.data<float>() + y.numel(), 0.0f);
        const int64_t kSize = g.kernelSize(), iSize = g.inSize(), oSize = g.outSize();
        // cols[mg * kSize, iSize] = W_g^T [mg*kSize, cg] x X_g [cg, iSize], then scattered.
        std::vector<float> wt(static_cast<size_t>(mg * kSize * cg)),
            cols(static_cast<size_t>(mg * kSize * iSize));
        for (int64_t gi = 0; gi < group; ++gi) {
            transpose2d(w.data<float>() + gi * cg * mg * kSize, cg, mg * kSize, wt.data());
            for (int64_t i = 0; i < n; ++i) {
                const float* xg = x.data<float>() + (i * c + gi * cg) * iSize;
                gemm(mg * kSize, iSize, cg, wt.data(), cg, xg, iSize, cols.data(), iSize, false,
                     ctx.threads());
                float* yg = y.data<float>() + (i * m + gi * mg) * oSize;
#pragma omp parallel for num_threads(ctx.threads())
                for (int64_t oc = 0; oc < mg; ++oc)
                    for (int64_t kk = 0; kk < kSize; ++kk) {
                        const int64_t kd = kk / (g.kernel[1] * g.kernel[2]);
                        const int64_t kh = kk / g.kernel[2] % g.kernel[1], kw = kk % g.kernel[2];
                        const float* src = cols.data() + (oc * kSize + kk) * iSize;
                        for (int64_t p = 0; p < iSize; ++p) {
                            const int64_t id = p / (g.in[1] * g.in[2]), ih = p / g.in[2] % g.in[1],
                                          iw = p % g.in[2];
                            const int64_t od =
                                id * g.stride[0] + kd * g.dilation[0] - g.padBegin[0];
                            const int64_t oh =
                                ih * g.stride[1] + kh * g.dilation[1] - g.padBegin[1];
                            const int64_t ow =
                                iw * g.stride[2] + kw * g.dilation[2] - g.padBegin[2];
                            if (od >= 0 && od < g.out[0] && oh >= 0 && oh < g.out[1] && ow >= 0 &&
                                ow < g.out[2])
                                yg[oc * oSize + (od * g.out[1] + oh) * g.out[2] + ow] += src[p];
                        }
                    }
            }
        }
        for (int64_t i = 0; i < n; ++i)
            addBias(y.data<float>() + i * m * oSize, b, m, oSize);
    });
}

std::unique_ptr<Kernel> makeGemm(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 3);
    const float alpha = a.getFloat("alpha", 1.0f), beta = a.getFloat("beta", 1.0f);
    const bool transA = a.getInt("transA", 0) != 0, transB = a.getInt("transB", 0) != 0;
    return makeKernel([=](KernelContext& ctx) {
        const Tensor &ta = ctx.in(0), &tb = ctx.in(1);
        const Tensor* tc = ctx.input(2);
        expectFloat(ta, "A");
        expectFloat(tb, "B");
        if (ta.rank() != 2 || tb.rank() != 2)
            fail("A and B should be matrices, got ", shapeToString(ta.shape()), " and ",
                 shapeToString(tb.shape()));
        const int64_t m = transA ? ta.shape()[1] : ta.shape()[0];
        const int64_t k = transA ? ta.shape()[0] : ta.shape()[1];
        const int64_t kb = transB ? tb.shape()[1] : tb.shape()[0];
        const int64_t n = transB ? tb.shape()[0] : tb.shape()[1];
        if (k != kb)
            fail("inner dimensions differ: ", k, " vs ", kb);
        std::vector<float> at, bt;
        const float* pa = ta.data<float>();
        const float* pb = tb.data<float>();
        if (transA) {
            at.resize(static_cast<size_t>(m * k));
            transpose2d(pa, k, m, at.data());
            pa = at.data();
        }
        if (transB) {
            bt.resize(static_cast<size_t>(k * n));
            transpose2d(pb, n, k, bt.data());
            pb = bt.data();
        }
        Tensor& y = ctx.output(0, DataType::Float32, {m, n});
        gemm(m, n, k, pa, k, pb, n, y.data<float>(), n, false, ctx.threads());
        float* py = y.data<float>();
        for (int64_t i = 0; i < m * n; ++i)
            py[i] *= alpha;
        if (tc && tc->numel() > 0 && beta != 0.0f) {
            expectFloat(*tc, "C");
            const Shape out{m, n};
            if (broadcastShapes(tc->shape(), out) != out)
                fail("C ", shapeToString(tc->shape()), " does not broadcast to ",
                     shapeToString(out));
            const float* pc = tc->data<float>();
            forEachBroadcast(out, {broadcastStrides(tc->shape(), out)}, 1,
                             [&](int64_t i, const int64_t* off) { py[i] += beta * pc[off[0]]; });
        }
    });
}

std::unique_ptr<Kernel> makeMatMul(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 2);
    return makeKernel([](KernelContext& ctx) {
        const Tensor &ta = ctx.in(0), &tb = ctx.in(1);
        expectFloat(ta, "A");
        expectFloat(tb, "B");
        if (ta.rank() < 1 || tb.rank() < 1)
            fail("MatMul inputs must have rank >= 1");
        Shape sa = ta.shape(), sb = tb.shape();
        if (sa.size() == 1)
            sa.insert(sa.begin(), 1);
        if (sb.size() == 1)
            sb.push_back(1);
        const int64_t m = sa[sa.size() - 2], k = sa.back(), n = sb.back();
        if (sb[sb.size() - 2] != k)
            fail("inner dimensions differ: ", shapeToString(ta.shape()), " x ",
                 shapeToString(tb.shape()));
        const Shape batchA(sa.begin(), sa.end() - 2), batchB(sb.begin(), sb.end() - 2);
        const Shape batch = broadcastShapes(batchA, batchB);
        Shape outShape = batch;
        if (ta.rank() > 1)
            outShape.push_back(m);
        if (tb.rank() > 1)
            outShape.push_back(n);
        Tensor& y = ctx.output(0, DataType::Float32, outShape);
        const auto stridesA = broadcastStrides(batchA, batch),
                   stridesB = broadcastStrides(batchB, batch);
        const int64_t batches = product(batch);
        for (int64_t bi = 0; bi < batches; ++bi) {
            int64_t offA = 0, offB = 0, rem = bi;
            for (size_t d = batch.size(); d-- > 0;) {
                const int64_t idx = rem % batch[d];
                rem /= batch[d];
                offA += idx * stridesA[d];
                offB += idx * stridesB[d];
            }
            gemm(m, n, k, ta.data<float>() + offA * m * k, k, tb.data<float>() + offB * k * n, n,
                 y.data<float>() + bi * m * n, n, false, ctx.threads());
        }
    });
}

runtime::Claim claimConv(const KernelInfo& info) {
    using runtime::Claim;
    const auto tooDeep = [](size_t rank) {
        return rank > 2 + static_cast<size_t>(Geometry::kMaxRank);
    };
    const Tensor* w = info.constantInput(1);
    const auto& x = info.hasInput(0) ? info.inputValue(0).shape : std::nullopt;
    const size_t window = ops::parseWindowAttrs(info.node).rank();
    if ((w && tooDeep(w->rank())) || (x && tooDeep(x->size())) ||
        window > static_cast<size_t>(Geometry::kMaxRank))
        return Claim::declined(runtime::Decline::Shape,
                               "more than 3 spatial axes (spatial ranks 1-3 are implemented)");
    return Claim::claimed();
}

} // namespace lb::backends::reference
