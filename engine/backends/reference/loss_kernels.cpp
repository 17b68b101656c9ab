// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss: inputs (N, C) or (N, C, d1, ..., dk),
// targets (N) or (N, d1, ..., dk), an optional per-class weight, ignore_index, and the three
// reductions. The spatial dimensions are handled as one flattened D.

#include "backends/reference/kernel_util.h"
#include "backends/reference/kernels.h"

#include <cmath>
#include <limits>
#include <optional>

namespace lb::backends::reference {

namespace {

enum class Reduction { None, Sum, Mean };

Reduction parseReduction(const NodeAttrs& a) {
    const std::string r = a.getString("reduction", "mean");
    if (r == "none")
        return Reduction::None;
    if (r == "sum")
        return Reduction::Sum;
    if (r == "mean")
        return Reduction::Mean;
    a.fail("reduction should be 'none', 'sum' or 'mean', got '", r, "'");
}

struct LossAttrs {
    Reduction reduction = Reduction::Mean;
    std::optional<int64_t> ignoreIndex;
};

LossAttrs parseLoss(const NodeAttrs& a) {
    LossAttrs l;
    l.reduction = parseReduction(a);
    if (a.has("ignore_index"))
        l.ignoreIndex = a.getInt("ignore_index", 0);
    return l;
}

// The loss of `logProb` (N, C, D flattened) against `target` (N, D): -logProb[n][t][d] * w[t],
// zero where t is ignore_index; written to output 0 as the node's reduction says.
template <typename T>
void nllInto(KernelContext& ctx, const LossAttrs& l, const T* logProb, const Shape& inShape,
             const Tensor& target, const Tensor* weight) {
    const int64_t n = inShape[0], c = inShape[1], d = product(inShape, 2, inShape.size());
    Shape targetShape{n};
    targetShape.insert(targetShape.end(), inShape.begin() + 2, inShape.end());
    if (target.shape() != targetShape)
        fail("target shape ", shapeToString(target.shape()), " does not match input ",
             shapeToString(inShape), " (expected ", shapeToString(targetShape), ")");
    const std::vector<int64_t> t = toInt64s(target, "target");
    if (weight &&
        (weight->rank() != 1 || weight->shape()[0] != c || weight->dtype() != ctx.in(0).dtype()))
        fail("weight should be a 1-D ", dtypeName(ctx.in(0).dtype()), " tensor of ", c,
             " values, got ", dtypeName(weight->dtype()), " ", shapeToString(weight->shape()));
    const T* w = weight ? weight->data<T>() : nullptr;
    std::vector<double> loss(static_cast<size_t>(n * d));
    double sum = 0.0, weightSum = 0.0;
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < d; ++j) {
            const int64_t cls = t[i * d + j];
            double value = 0.0, wt = 0.0;
            if (!l.ignoreIndex || cls != *l.ignoreIndex) {
                if (cls < 0 || cls >= c)
                    fail("target ", cls, " is out of range for ", c, " classes");
                wt = w ? static_cast<double>(w[cls]) : 1.0;
                value = -static_cast<double>(logProb[(i * c + cls) * d + j]) * wt;
            }
            loss[i * d + j] = value;
            sum += value;
            weightSum += wt;
        }
    const DataType type = ctx.in(0).dtype();
    if (l.reduction == Reduction::None) {
        Tensor& y = ctx.output(0, type, targetShape);
        for (size_t i = 0; i < loss.size(); ++i)
            y.data<T>()[i] = static_cast<T>(loss[i]);
        return;
    }
    Tensor& y = ctx.output(0, type, {});
    y.data<T>()[0] = static_cast<T>(l.reduction == Reduction::Sum ? sum : sum / weightSum);
}

void expectLossInput(const Tensor& x) {
    if (x.dtype() != DataType::Float32 && x.dtype() != DataType::Float64)
        fail("input should be float32 or float64, got ", dtypeName(x.dtype()));
    if (x.rank() < 2)
        fail("input should be (N, C) or (N, C, d1, ...), got ", shapeToString(x.shape()));
}

} // namespace

std::unique_ptr<Kernel> makeNegativeLogLikelihoodLoss(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 3);
    const LossAttrs l = parseLoss(a);
    return makeKernel([l](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        expectLossInput(x);
        const auto run = [&](auto tag) {
            using T = decltype(tag);
            nllInto<T>(ctx, l, x.data<T>(), x.shape(), ctx.in(1), ctx.input(2));
        };
        x.dtype() == DataType::Float32 ? run(float{}) : run(double{});
    });
}

std::unique_ptr<Kernel> makeSoftmaxCrossEntropyLoss(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 3);
    const LossAttrs l = parseLoss(a);
    const bool wantLogProb = info.node.outputs.size() > 1 && info.node.outputs[1] != ir::kNoValue;
    return makeKernel([l, wantLogProb](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        expectLossInput(x);
        const auto run = [&](auto tag) {
            using T = decltype(tag);
            const int64_t n = x.shape()[0], c = x.shape()[1],
                          d = product(x.shape(), 2, x.shape().size());
            Tensor logProb =
                wantLogProb ? ctx.output(1, x.dtype(), x.shape()) : Tensor(x.dtype(), x.shape());
            const T* px = x.data<T>();
            T* lp = logProb.data<T>();
            // log-softmax over the class axis (1)
            for (int64_t i = 0; i < n; ++i)
                for (int64_t j = 0; j < d; ++j) {
                    const T* xs = px + i * c * d + j;
                    T* ys = lp + i * c * d + j;
                    double mx = -std::numeric_limits<double>::infinity();
                    for (int64_t k = 0; k < c; ++k)
                        mx = std::max(mx, static_cast<double>(xs[k * d]));
                    double s = 0.0;
                    for (int64_t k = 0; k < c; ++k)
                        s += std::exp(static_cast<double>(xs[k * d]) - mx);
                    const double logSum = std::log(s) + mx;
                    for (int64_t k = 0; k < c; ++k)
                        ys[k * d] = static_cast<T>(static_cast<double>(xs[k * d]) - logSum);
                }
            nllInto<T>(ctx, l, lp, x.shape(), ctx.in(1), ctx.input(2));
        };
        x.dtype() == DataType::Float32 ? run(float{}) : run(double{});
    });
}

} // namespace lb::backends::reference
