// Gemm and MatMul with a constant 2-D B through xnn_create_fully_connected_nc_f32: A's leading
// axes are the batch (MatMul's 1-D A is one row), B is packed once at creation (alpha folded into
// it), and Gemm's beta * C becomes the bias when C is one row of N values (or a scalar).
#include "backends/xnnpack/kernels.h"
#include "backends/xnnpack/xnn_util.h"
#include "core/error.h"
#include "ops/node_attrs.h"

#include <limits>

namespace lb::backends::xnnpack {

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

class GemmKernel : public runtime::Kernel {
public:
    explicit GemmKernel(const KernelInfo& info) : m_attrs(info.graph, info.node) {
        ensureInitialized();
        const bool gemm = info.node.opType == "Gemm";
        m_gemm = gemm;
        m_attrs.expectInputs(2, gemm ? 3 : 2);
        const Tensor* b = info.constantInput(1);
        if (!b || b->dtype() != DataType::Float32 || b->rank() != 2)
            m_attrs.fail("expected a constant float32 2-D B");
        const bool transB = gemm && m_attrs.getInt("transB", 0) != 0;
        m_k = transB ? b->shape()[1] : b->shape()[0];
        m_n = transB ? b->shape()[0] : b->shape()[1];
        const float alpha = gemm ? m_attrs.getFloat("alpha", 1.0f) : 1.0f;
        std::vector<float> weights(b->data<float>(), b->data<float>() + b->numel());
        if (alpha != 1.0f)
            for (float& v : weights)
                v *= alpha;
        std::vector<float> bias;
        if (gemm && info.hasInput(2)) {
            const Tensor* c = info.constantInput(2);
            if (!c || (c->numel() != m_n && c->numel() != 1))
                m_attrs.fail("expected a constant C of ", m_n, " values or one");
            const float beta = m_attrs.getFloat("beta", 1.0f);
            bias.resize(static_cast<size_t>(m_n));
            for (int64_t j = 0; j < m_n; ++j)
                bias[static_cast<size_t>(j)] = beta * c->data<float>()[c->numel() == 1 ? 0 : j];
        }
        xnn_operator_t op = nullptr;
        check(xnn_create_fully_connected_nc_f32(
                  static_cast<size_t>(m_k), static_cast<size_t>(m_n), static_cast<size_t>(m_k),
                  static_cast<size_t>(m_n), weights.data(), bias.empty() ? nullptr : bias.data(),
                  -kInf, kInf, transB ? 0 : XNN_FLAG_TRANSPOSE_WEIGHTS, &op),
              "xnn_create_fully_connected_nc_f32");
        m_op.reset(op);
    }

    void run(runtime::KernelContext& ctx) override {
        const Tensor& a = ctx.in(0);
        const float* aData = plainData(a, m_plain);
        const bool vector = a.rank() == 1 && !m_gemm; // MatMul: [K] x [K, N] -> [N]
        if ((a.rank() < 2 && !vector) || a.rank() == 0 || a.shape().back() != m_k)
            m_attrs.fail("expected A with ", m_k, " columns", m_gemm ? " (2-D)" : "", ", got ",
                         shapeToString(a.shape()));
        Shape out = a.shape();
        out.back() = m_n;
        Tensor& y = ctx.output(0, DataType::Float32, out);
        const int64_t rows = a.numel() / m_k;
        if (rows == 0)
            return;
        pthreadpool_t pool = threadPool(ctx.threads());
        check(xnn_setup_fully_connected_nc_f32(m_op.get(), static_cast<size_t>(rows), aData,
                                               y.data<float>(), pool),
              "xnn_setup_fully_connected_nc_f32");
        check(xnn_run_operator(m_op.get(), pool), "xnn_run_operator (fully connected)");
    }

private:
    ops::NodeAttrs m_attrs;
    bool m_gemm = false;
    int64_t m_k = 0, m_n = 0;
    Operator m_op;
    std::vector<float> m_plain; // an NHWC input in plain order
};

} // namespace

KernelPtr makeGemm(const KernelInfo& info) {
    return std::make_unique<GemmKernel>(info);
}

Claim claimGemm(const KernelInfo& info) {
    if (info.inputCount() < 2 || !info.hasInput(0) || !info.hasInput(1))
        return Claim::claimed(); // invalid: the factory says what is missing
    const Tensor* b = info.constantInput(1);
    if (!b)
        return Claim::declined(Decline::Input, "B is not a constant initializer (XNNPACK's "
                                               "fully connected packs its weights)");
    if (b->rank() != 2)
        return Claim::declined(Decline::Shape, "B ", shapeToString(b->shape()),
                               " is not 2-D (XNNPACK's fully connected takes a matrix)");
    // A of any rank, known or not (MatMul's 1-D A is one row; the int8 simulation's graphs do
    // not always know A's rank): the kernel checks A's columns at run time.
    if (info.node.opType != "Gemm")
        return Claim::claimed();
    const ops::NodeAttrs a(info.graph, info.node);
    if (a.getInt("transA", 0) != 0)
        return Claim::declined(Decline::Attribute, "transA=1 (XNNPACK reads A row-major)");
    if (info.inputCount() > 2 && info.hasInput(2)) {
        const Tensor* c = info.constantInput(2);
        if (!c)
            return Claim::declined(Decline::Input, "C is not a constant initializer");
        const int64_t n = a.getInt("transB", 0) != 0 ? b->shape()[0] : b->shape()[1];
        if (c->numel() != 1 && !(c->numel() == n && c->shape().back() == n))
            return Claim::declined(Decline::Shape, "C ", shapeToString(c->shape()),
                                   " is not one row of ", n, " values (XNNPACK adds a bias)");
    }
    return Claim::claimed();
}

} // namespace lb::backends::xnnpack
