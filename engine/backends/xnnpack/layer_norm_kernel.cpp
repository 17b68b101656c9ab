// LayerNormalization (ONNX-17 semantics; also ai.layerbench's for older opsets, ops/fused_ops.h)
// on the XNNPACK backend. XNNPACK's 2022 snapshot has no layer-norm operator, so this kernel is
// OURS, not XNNPACK's: a plain C++ loop written so the compiler vectorizes it (eight independent
// float accumulators, unit-stride rows), run over the rows on the backend's pthreadpool
// (pthreadpool_parallelize_1d), the same pool XNNPACK's operators use. Before it, rec's layer
// norms ran on the reference backend's OpenMP loop while the pool's workers spun beside it (at 2
// threads 66% of rec's time in 5 nodes). Statistics are two-pass (mean, then the centred sum of
// squares) in float with eight partial sums; the reference accumulates in double, so results
// agree to rounding (xnnpack_test.cpp compares them).
#include "backends/xnnpack/kernels.h"
#include "backends/xnnpack/xnn_util.h"
#include "core/error.h"
#include "ops/node_attrs.h"

#include <cmath>

namespace lb::backends::xnnpack {

namespace {

constexpr int64_t kLanes = 8;

float rowSum(const float* x, int64_t n) {
    float acc[kLanes] = {};
    int64_t i = 0;
    for (; i + kLanes <= n; i += kLanes)
        for (int64_t j = 0; j < kLanes; ++j)
            acc[j] += x[i + j];
    float s = 0.0f;
    for (; i < n; ++i)
        s += x[i];
    for (float a : acc)
        s += a;
    return s;
}

float centredSquares(const float* x, int64_t n, float mean) {
    float acc[kLanes] = {};
    int64_t i = 0;
    for (; i + kLanes <= n; i += kLanes)
        for (int64_t j = 0; j < kLanes; ++j) {
            const float d = x[i + j] - mean;
            acc[j] += d * d;
        }
    float s = 0.0f;
    for (; i < n; ++i)
        s += (x[i] - mean) * (x[i] - mean);
    for (float a : acc)
        s += a;
    return s;
}

struct Rows {
    const float* x;
    float* y;
    const float* scale; // `inner` values (broadcast expanded)
    const float* bias;  // `inner` values, or nullptr
    int64_t inner;
    float eps;
};

void normalizeRow(void* context, size_t row) {
    const Rows& r = *static_cast<const Rows*>(context);
    const float* x = r.x + static_cast<int64_t>(row) * r.inner;
    float* y = r.y + static_cast<int64_t>(row) * r.inner;
    const float n = static_cast<float>(r.inner);
    const float mean = rowSum(x, r.inner) / n;
    const float inv = 1.0f / std::sqrt(centredSquares(x, r.inner, mean) / n + r.eps);
    const float* s = r.scale;
    if (r.bias) {
        const float* b = r.bias;
        for (int64_t i = 0; i < r.inner; ++i)
            y[i] = (x[i] - mean) * inv * s[i] + b[i];
    } else {
        for (int64_t i = 0; i < r.inner; ++i)
            y[i] = (x[i] - mean) * inv * s[i];
    }
}

// `t`'s values broadcast (numpy rules) to `shape`, flattened; fails naming `what` otherwise.
std::vector<float> expandTo(const Tensor& t, const Shape& shape, const ops::NodeAttrs& a,
                            const char* what) {
    if (t.dtype() != DataType::Float32)
        a.fail(what, " should be float32, got ", dtypeName(t.dtype()));
    if (t.rank() > static_cast<int64_t>(shape.size()))
        a.fail(what, " ", shapeToString(t.shape()), " does not broadcast to ",
               shapeToString(shape));
    const size_t lead = shape.size() - static_cast<size_t>(t.rank());
    std::vector<int64_t> strides(shape.size(), 0);
    int64_t stride = 1;
    for (size_t d = shape.size(); d-- > lead;) {
        const int64_t dim = t.shape()[d - lead];
        if (dim != 1 && dim != shape[d])
            a.fail(what, " ", shapeToString(t.shape()), " does not broadcast to ",
                   shapeToString(shape));
        strides[d] = dim == 1 ? 0 : stride;
        stride *= dim;
    }
    int64_t total = 1;
    for (int64_t d : shape)
        total *= d;
    std::vector<float> out(static_cast<size_t>(total));
    const float* src = t.data<float>();
    for (int64_t i = 0; i < total; ++i) {
        int64_t rem = i, off = 0;
        for (size_t d = shape.size(); d-- > 0;) {
            off += (rem % shape[d]) * strides[d];
            rem /= shape[d];
        }
        out[static_cast<size_t>(i)] = src[off];
    }
    return out;
}

class LayerNormKernel : public runtime::Kernel {
public:
    explicit LayerNormKernel(const KernelInfo& info) : m_attrs(info.graph, info.node) {
        m_attrs.expectInputs(2, 3);
        m_axis = m_attrs.getInt("axis", -1);
        m_eps = m_attrs.getFloat("epsilon", 1e-5f);
        m_constant = info.constantInput(1) && (!info.hasInput(2) || info.constantInput(2));
    }

    void run(runtime::KernelContext& ctx) override {
        const Tensor& x = ctx.in(0);
        if (x.dtype() != DataType::Float32)
            m_attrs.fail("expected a float32 X, got ", dtypeName(x.dtype()));
        const float* xData = plainData(x, m_plain);
        const int64_t rank = x.rank();
        const int64_t axis = m_axis < 0 ? m_axis + rank : m_axis;
        if (axis < 0 || axis >= rank)
            m_attrs.fail("axis ", m_axis, " is out of range for X ", shapeToString(x.shape()));
        const Shape normShape(x.shape().begin() + axis, x.shape().end());
        if (normShape != m_normShape) { // scale / bias expanded once per normalized shape
            m_scale = expandTo(ctx.in(1), normShape, m_attrs, "Scale");
            m_bias = ctx.input(2) ? expandTo(*ctx.input(2), normShape, m_attrs, "B")
                                  : std::vector<float>();
            m_normShape = normShape;
        } else if (!m_constant) {
            m_scale = expandTo(ctx.in(1), normShape, m_attrs, "Scale");
            if (ctx.input(2))
                m_bias = expandTo(*ctx.input(2), normShape, m_attrs, "B");
        }
        Tensor& y = ctx.output(0, DataType::Float32, x.shape());
        const int64_t inner = static_cast<int64_t>(m_scale.size());
        if (x.numel() == 0 || inner == 0)
            return;
        Rows rows{xData,          y.data<float>(),
                  m_scale.data(), m_bias.empty() ? nullptr : m_bias.data(),
                  inner,          m_eps};
        pthreadpool_parallelize_1d(threadPool(ctx.threads()), normalizeRow, &rows,
                                   static_cast<size_t>(x.numel() / inner), 0);
    }

private:
    ops::NodeAttrs m_attrs;
    bool m_constant = false; // Scale and B are initializers: expand them once
    int64_t m_axis = -1;
    float m_eps = 1e-5f;
    Shape m_normShape;
    std::vector<float> m_scale, m_bias, m_plain;
};

} // namespace

KernelPtr makeLayerNorm(const KernelInfo& info) {
    return std::make_unique<LayerNormKernel>(info);
}

Claim claimLayerNorm(const KernelInfo& info) {
    for (size_t i = 1; i < info.node.outputs.size(); ++i)
        if (info.node.outputs[i] != ir::kNoValue)
            return Claim::declined(Decline::Input, "the Mean / InvStdDev outputs (the backend's "
                                                   "layer norm writes Y only)");
    const ops::NodeAttrs a(info.graph, info.node);
    if (a.getInt("stash_type", 1) != 1)
        return Claim::declined(Decline::Attribute, "stash_type ", a.getInt("stash_type", 1),
                               " (the backend computes the statistics in float32)");
    return Claim::claimed();
}

} // namespace lb::backends::xnnpack
