#include "backends/reference/kernel_util.h"
#include "backends/reference/kernels.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lb::backends::reference {

namespace {
void expectFloat(const Tensor& t, const char* what) {
    if (t.dtype() != DataType::Float32)
        fail(what, " should be float32, got ", dtypeName(t.dtype()));
}
} // namespace

std::unique_ptr<Kernel> makeSoftmax(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    const bool log = info.node.opType == "LogSoftmax";
    // Before opset 13 the input is coerced to 2-D at `axis` (default 1) and normalized over the
    // whole second part; from 13 on only the one `axis` (default -1) is normalized.
    const bool coerce2d = a.opset() < 13;
    const int64_t axisAttr = a.getInt("axis", coerce2d ? 1 : -1);
    return makeKernel([=](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        expectFloat(x, "input");
        const int64_t rank = x.rank();
        const int64_t axis = normalizeAxis(axisAttr, rank);
        const size_t ax = static_cast<size_t>(axis);
        const int64_t outer = product(x.shape(), 0, ax);
        const int64_t len = coerce2d ? product(x.shape(), ax, rank) : (rank ? x.shape()[ax] : 1);
        const int64_t inner = coerce2d ? 1 : product(x.shape(), ax + 1, rank);
        Tensor& y = ctx.output(0, DataType::Float32, x.shape());
        const float* px = x.data<float>();
        float* py = y.data<float>();
#pragma omp parallel for num_threads(ctx.threads()) if (outer * inner > 64)
        for (int64_t oi = 0; oi < outer * inner; ++oi) {
            const int64_t o = oi / inner, in = oi % inner;
            const float* xs = px + o * len * inner + in;
            float* ys = py + o * len * inner + in;
            float mx = -std::numeric_limits<float>::infinity();
            for (int64_t i = 0; i < len; ++i)
                mx = std::max(mx, xs[i * inner]);
            double sum = 0.0;
            for (int64_t i = 0; i < len; ++i)
                sum += std::exp(static_cast<double>(xs[i * inner] - mx));
            const float logSum = static_cast<float>(std::log(sum));
            for (int64_t i = 0; i < len; ++i) {
                const float shifted = xs[i * inner] - mx;
                ys[i * inner] =
                    log ? shifted - logSum
                        : static_cast<float>(std::exp(static_cast<double>(shifted)) / sum);
            }
        }
    });
}

std::unique_ptr<Kernel> makeBatchNorm(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(5, 5); // spatial, no saved statistics outputs: claimBatchNorm
    const float eps = a.getFloat("epsilon", 1e-5f);
    const float momentum = a.getFloat("momentum", 0.9f);
    // Training mode normalizes with the batch's statistics and outputs the running ones: from
    // opset 14 when training_mode=1, before that when the node has the statistics outputs.
    const bool training =
        a.opset() >= 14 ? a.getInt("training_mode", 0) != 0 : info.node.outputs.size() > 1;
    std::vector<bool> wanted;
    for (size_t i = 0; i < 3; ++i)
        wanted.push_back(i < info.node.outputs.size() && info.node.outputs[i] != ir::kNoValue);
    if (!training && (wanted[1] || wanted[2]))
        a.fail("the running mean and variance outputs need training_mode=1");
    return makeKernel([eps, momentum, training, wanted](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        expectFloat(x, "input X");
        if (x.rank() < 2)
            fail("X should have rank >= 2, got ", shapeToString(x.shape()));
        const int64_t n = x.shape()[0], c = x.shape()[1],
                      size = product(x.shape(), 2, x.shape().size());
        for (size_t i = 1; i < 5; ++i)
            if (ctx.in(i).numel() != c || ctx.in(i).dtype() != DataType::Float32)
                fail("scale, B, mean and var should be float32 with ", c, " values");
        const float* mean = ctx.in(3).data<float>();
        const float* var = ctx.in(4).data<float>();
        std::vector<float> batchMean, batchVar;
        if (training) {
            // Per channel over N and the spatial dimensions; the variance is the biased one.
            batchMean.resize(static_cast<size_t>(c));
            batchVar.resize(static_cast<size_t>(c));
            for (int64_t ch = 0; ch < c; ++ch) {
                double sum = 0.0, sq = 0.0;
                for (int64_t b = 0; b < n; ++b)
                    for (int64_t i = 0; i < size; ++i) {
                        const double v = x.data<float>()[(b * c + ch) * size + i];
                        sum += v;
                        sq += v * v;
                    }
                const double count = static_cast<double>(n * size), m = sum / count;
                batchMean[ch] = static_cast<float>(m);
                batchVar[ch] = static_cast<float>(std::max(0.0, sq / count - m * m));
            }
            for (size_t out = 1; out < 3; ++out) {
                if (!wanted[out])
                    continue;
                const float* running = out == 1 ? mean : var;
                const std::vector<float>& current = out == 1 ? batchMean : batchVar;
                Tensor& r = ctx.output(out, DataType::Float32, {c});
                for (int64_t ch = 0; ch < c; ++ch)
                    r.data<float>()[ch] = running[ch] * momentum + current[ch] * (1.0f - momentum);
            }
            mean = batchMean.data();
            var = batchVar.data();
        }
        std::vector<float> mul(static_cast<size_t>(c)), add(static_cast<size_t>(c));
        for (int64_t ch = 0; ch < c; ++ch) {
            mul[ch] = ctx.in(1).data<float>()[ch] / std::sqrt(var[ch] + eps);
            add[ch] = ctx.in(2).data<float>()[ch] - mean[ch] * mul[ch];
        }
        Tensor& y = ctx.output(0, DataType::Float32, x.shape());
#pragma omp parallel for num_threads(ctx.threads())
        for (int64_t pl = 0; pl < n * c; ++pl) {
            const int64_t ch = pl % c;
            const float* xp = x.data<float>() + pl * size;
            float* yp = y.data<float>() + pl * size;
            for (int64_t i = 0; i < size; ++i)
                yp[i] = xp[i] * mul[ch] + add[ch];
        }
    });
}

std::unique_ptr<Kernel> makeInstanceNorm(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(3, 3);
    const float eps = a.getFloat("epsilon", 1e-5f);
    return makeKernel([eps](KernelContext& ctx) {
        const Tensor &x = ctx.in(0), &scale = ctx.in(1), &bias = ctx.in(2);
        expectFloat(x, "input");
        if (x.rank() < 3)
            fail("X should be NxCxD1..., got ", shapeToString(x.shape()));
        const int64_t n = x.shape()[0], c = x.shape()[1],
                      size = product(x.shape(), 2, x.shape().size());
        if (scale.numel() != c || bias.numel() != c)
            fail("scale and B should have ", c, " values");
        Tensor& y = ctx.output(0, DataType::Float32, x.shape());
#pragma omp parallel for num_threads(ctx.threads())
        for (int64_t pl = 0; pl < n * c; ++pl) {
            const int64_t ch = pl % c;
            const float* xp = x.data<float>() + pl * size;
            float* yp = y.data<float>() + pl * size;
            double mean = 0.0, var = 0.0;
            for (int64_t i = 0; i < size; ++i)
                mean += xp[i];
            mean /= static_cast<double>(size);
            for (int64_t i = 0; i < size; ++i)
                var += (xp[i] - mean) * (xp[i] - mean);
            var /= static_cast<double>(size);
            const float inv = static_cast<float>(1.0 / std::sqrt(var + eps));
            for (int64_t i = 0; i < size; ++i)
                yp[i] = (xp[i] - static_cast<float>(mean)) * inv * scale.data<float>()[ch] +
                        bias.data<float>()[ch];
        }
    });
}

std::unique_ptr<Kernel> makeLayerNorm(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 3);
    const int64_t axisAttr = a.getInt("axis", -1);
    const float eps = a.getFloat("epsilon", 1e-5f);
    return makeKernel([=](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        const Tensor& scale = ctx.in(1);
        const Tensor* bias = ctx.input(2);
        expectFloat(x, "input");
        const int64_t axis = normalizeAxis(axisAttr, x.rank());
        const int64_t outer = product(x.shape(), 0, axis),
                      inner = product(x.shape(), axis, x.rank());
        const Shape normShape(x.shape().begin() + axis, x.shape().end());
        const auto strideOf = [&](const Tensor& t) {
            if (broadcastShapes(t.shape(), normShape) != normShape)
                fail("scale/B ", shapeToString(t.shape()), " does not broadcast to ",
                     shapeToString(normShape));
            return broadcastStrides(t.shape(), normShape);
        };
        // Index maps from a normalized-slice element to the scale / bias element.
        std::vector<int64_t> scaleIdx(static_cast<size_t>(inner)),
            biasIdx(static_cast<size_t>(inner));
        forEachBroadcast(normShape, {strideOf(scale), bias ? strideOf(*bias) : strideOf(scale)}, 1,
                         [&](int64_t i, const int64_t* off) {
                             scaleIdx[i] = off[0];
                             biasIdx[i] = off[1];
                         });
        Tensor& y = ctx.output(0, DataType::Float32, x.shape());
        Shape statShape = x.shape();
        for (size_t d = static_cast<size_t>(axis); d < statShape.size(); ++d)
            statShape[d] = 1;
        float* meanOut = ctx.outputCount() > 1
                             ? ctx.output(1, DataType::Float32, statShape).data<float>()
                             : nullptr;
        float* invOut = ctx.outputCount() > 2
                            ? ctx.output(2, DataType::Float32, statShape).data<float>()
                            : nullptr;
#pragma omp parallel for num_threads(ctx.threads())
        for (int64_t o = 0; o < outer; ++o) {
            const float* xp = x.data<float>() + o * inner;
            float* yp = y.data<float>() + o * inner;
            double mean = 0.0, var = 0.0;
            for (int64_t i = 0; i < inner; ++i)
                mean += xp[i];
            mean /= static_cast<double>(inner);
            for (int64_t i = 0; i < inner; ++i)
                var += (xp[i] - mean) * (xp[i] - mean);
            var /= static_cast<double>(inner);
            const float inv = static_cast<float>(1.0 / std::sqrt(var + eps));
            for (int64_t i = 0; i < inner; ++i) {
                float v =
                    (xp[i] - static_cast<float>(mean)) * inv * scale.data<float>()[scaleIdx[i]];
                yp[i] = bias ? v + bias->data<float>()[biasIdx[i]] : v;
            }
            if (meanOut)
                meanOut[o] = static_cast<float>(mean);
            if (invOut)
                invOut[o] = inv;
        }
    });
}

// Inference (training_mode 0, one output) with per-channel statistics (spatial 1).
runtime::Claim claimBatchNorm(const KernelInfo& info) {
    const NodeAttrs a(info.graph, info.node);
    if (info.node.outputs.size() > 3)
        return runtime::Claim::declined(runtime::Decline::Attribute,
                                        "the saved mean and variance outputs (opset < 14 training "
                                        "mode) are not implemented");
    if (a.opset() < 9 && a.getInt("spatial", 1) == 0)
        return runtime::Claim::declined(runtime::Decline::Attribute,
                                        "spatial=0 is not implemented");
    return runtime::Claim::claimed();
}

} // namespace lb::backends::reference
