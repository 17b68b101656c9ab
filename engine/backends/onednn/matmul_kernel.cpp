// Gemm / FusedGemm / MatMul / FusedMatMul / StridedMatMul as the oneDNN matmul primitive. A
// constant B is reordered once into the format oneDNN prefers (Gemm's alpha folded into it); Gemm's
// beta * C and FusedMatMul's Bias become the primitive's bias, the fused activation its post-op.
#include "backends/onednn/fp32_gemv.h"
#include "backends/onednn/fp32_packed_gemm.h"
#include "backends/onednn/kernels.h"
#include "backends/onednn/layout.h"
#include "backends/onednn/op_attrs.h"

namespace lb::backends::onednn {

namespace {

using dnnl::matmul;
using f32 = float;

// Row-major strides of dims, or of the transposed last two dims when `transposed`.
memory::desc stridedDesc(memory::dims dims, bool transposed) {
    const size_t r = dims.size();
    memory::dims strides(r, 1);
    if (transposed)
        std::swap(dims[r - 1], dims[r - 2]);
    for (size_t d = r - 1; d-- > 0;)
        strides[d] = strides[d + 1] * dims[d + 1];
    if (transposed) {
        std::swap(dims[r - 1], dims[r - 2]);
        std::swap(strides[r - 1], strides[r - 2]);
    }
    return memory::desc(dims, memory::data_type::f32, strides);
}

class MatMulKernel : public runtime::Kernel {
public:
    explicit MatMulKernel(const runtime::KernelInfo& info) : m_attrs(info.graph, info.node) {
        const NodeAttrs& a = m_attrs;
        m_fusedMatMul = info.node.opType == "FusedMatMul";
        const bool strided = info.node.opType == "StridedMatMul";
        m_gemm = info.node.opType != "MatMul" && !m_fusedMatMul && !strided;
        if (m_fusedMatMul && (info.inputCount() < 3 || info.inputCount() > 4 || !info.hasInput(0) ||
                              !info.hasInput(1) || !info.constantInput(2)))
            a.fail("expected A, B, a constant Bias and an optional Z, got ", info.inputCount(),
                   " inputs");
        m_hasZ = m_fusedMatMul && info.inputCount() == 4 && info.hasInput(3);
        if (info.inputCount() < 2 ||
            info.inputCount() > (m_fusedMatMul ? 4u
                                 : m_gemm      ? 3u
                                               : 2u) ||
            !info.hasInput(0) || !info.hasInput(1))
            a.fail("expected A, B", m_gemm ? " and optional C" : "", ", got ", info.inputCount(),
                   " inputs");
        if (m_gemm) {
            m_transA = a.getInt("transA", 0) != 0;
            m_transB = a.getInt("transB", 0) != 0;
            m_alpha = a.getFloat("alpha", 1.0f);
            m_beta = a.getFloat("beta", 1.0f);
        } else if (strided) { // lowering::fuseMatMulTranspose: folded Transposes and scale
            m_transA = a.getInt("transA", 0) != 0;
            m_transB = a.getInt("transB", 0) != 0;
            m_alpha = a.getFloat("alpha", 1.0f);
        }
        m_steps = info.node.opType == "FusedGemm" || m_fusedMatMul ? fusedActivation(a)
                                                                   : std::vector<EltwiseStep>{};
        // Known ranks, batch dims B can broadcast, a constant B for alpha and a constant C for
        // beta: claimMatMul declined the rest.
        const auto& sa = info.inputValue(0).shape;
        const auto& sb = info.inputValue(1).shape;
        if (m_gemm && (sa->size() != 2 || sb->size() != 2))
            a.fail("Gemm expects 2-D A and B, got ranks ", sa->size(), " and ", sb->size());
        if (const Tensor* b = info.constantInput(1))
            m_b = *b;
        if (m_fusedMatMul) {
            m_c = *info.constantInput(2);
            m_hasC = true;
        } else if (m_gemm && info.hasInput(2)) {
            const auto& sc = info.inputValue(2).shape;
            if (sc->size() > 2)
                a.fail("C should have rank <= 2, got ", shapeToString(*sc));
            if (const Tensor* c = info.constantInput(2))
                m_c = *c;
            m_hasC = true;
            if (m_c.empty())
                m_cShape = concreteShape(*sc).value_or(Shape{-1});
        }
        const auto x = staticShape(info.graph, info.node.inputs[0]);
        const auto bShape =
            m_b.empty() ? staticShape(info.graph, info.node.inputs[1]) : m_b.shape();
        if (x && bShape && m_cShape != Shape{-1}) {
            ThreadScope scope(info.threads);
            build(*x, *bShape);
        }
    }

    void run(runtime::KernelContext& ctx) override {
        ThreadScope scope(ctx.threads());
        const Tensor& a = ctx.in(0);
        const Tensor& b = ctx.in(1);
        if (m_hasC && m_c.empty() && ctx.in(2).shape() != m_cShape) {
            m_cShape = ctx.in(2).shape();
            m_aShape.clear();
        }
        if (a.shape() != m_aShape || b.shape() != m_bShape)
            build(a.shape(), b.shape());
        if (m_gemv) {
            const memory src = m_convertA.convert(a, plainDesc(a.shape()));
            Tensor& y = ctx.output(0, DataType::Float32, m_outShape);
            m_gemv->run(static_cast<const f32*>(src.get_data_handle()), m_rows, y.data<f32>(),
                        m_gemvBias.empty() ? nullptr : m_gemvBias.data(), m_steps, ctx.threads());
            return;
        }
        if (m_packedGemm) {
            const memory src = m_convertA.convert(a, plainDesc(a.shape()));
            Tensor& y = ctx.output(0, DataType::Float32, m_outShape);
            m_packedGemm->run(static_cast<const f32*>(src.get_data_handle()), m_rows, y.data<f32>(),
                              ctx.threads());
            if (m_hasC) // FusedMatMul's bias (no activation takes this path)
                addRowBias(y.data<f32>(), m_rows, m_packedGemm->n());
            if (m_hasZ) { // and its residual
                const f32* z = static_cast<const f32*>(residual(ctx).get_data_handle());
                f32* out = y.data<f32>();
                for (int64_t i = 0, n = y.numel(); i < n; ++i)
                    out[i] += z[i];
            }
            return;
        }
        dnnl::stream& s = cpuStream();
        const memory src(m_pd.src_desc(), cpuEngine(),
                         m_convertA.convert(a, plainDesc(a.shape())).get_data_handle());
        std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src}};
        args[DNNL_ARG_WEIGHTS] =
            !m_b.empty() ? m_packed
                         : memory(m_pd.weights_desc(), cpuEngine(),
                                  m_convertB.convert(b, plainDesc(b.shape())).get_data_handle());
        if (m_hasC) {
            const Tensor& c = m_c.empty() ? ctx.in(2) : m_bias;
            args[DNNL_ARG_BIAS] =
                memory(m_pd.bias_desc(), cpuEngine(),
                       m_convertC.convert(c, plainDesc(c.shape())).get_data_handle());
        }
        if (m_hasZ)
            args[DNNL_ARG_ATTR_MULTIPLE_POST_OP(m_zPostOp) | DNNL_ARG_SRC_1] =
                memory(m_zDesc, cpuEngine(), residual(ctx).get_data_handle());
        Tensor& y = ctx.output(0, DataType::Float32, m_outShape);
        args[DNNL_ARG_DST] = memory(m_pd.dst_desc(), cpuEngine(), y.rawData());
        m_prim.execute(s, args);
        s.wait();
    }

    std::string implementation() const override {
        if (m_gemv)
            return "gemv:avx512"; // fp32_gemv.cpp
        if (m_packedGemm)
            return "packed_gemm:avx512"; // fp32_packed_gemm.cpp
        return m_prim ? m_pd.impl_info_str() : std::string();
    }

private:
    void build(const Shape& sa, const Shape& sb) {
        const NodeAttrs& at = m_attrs;
        if (sa.size() < 2 || sb.size() < 2 || sb.size() > sa.size())
            at.fail("unsupported shapes A ", shapeToString(sa), ", B ", shapeToString(sb));
        const size_t r = sa.size();
        memory::dims ad = toDims(sa), bd = toDims(padRank(sb, r));
        const int64_t m = ad[r - (m_transA ? 1 : 2)], k = ad[r - (m_transA ? 2 : 1)];
        const int64_t kb = bd[r - (m_transB ? 1 : 2)], n = bd[r - (m_transB ? 2 : 1)];
        if (k != kb)
            at.fail("inner dimensions of A ", shapeToString(sa), " and B ", shapeToString(sb),
                    " differ");
        m_outShape = Shape(sa.begin(), sa.end() - 2);
        m_outShape.push_back(m);
        m_outShape.push_back(n);
        memory::dims srcDims = ad, wDims = bd;
        srcDims[r - 2] = m, srcDims[r - 1] = k;
        wDims[r - 2] = k, wDims[r - 1] = n;
        for (size_t d = 0; d + 2 < r; ++d)
            if (wDims[d] != 1 && wDims[d] != srcDims[d])
                at.fail("batch dims of B ", shapeToString(sb), " do not broadcast into A ",
                        shapeToString(sa));
        memory::dims dstDims = toDims(m_outShape);
        // A constant 2-D B against A [..., M, K]: one [rows, K] x [K, N] matmul, for which oneDNN
        // packs B into a blocked format (BA16a64b) that streams faster than the plain one it
        // keeps for the batched form (0.8 against 1.0 ms for rec's 40x120x6625 head).
        const bool collapse = !m_b.empty() && sb.size() == 2 && !m_transA && r > 2;
        if (collapse) {
            int64_t rows = 1;
            for (size_t d = 0; d + 1 < r; ++d)
                rows *= srcDims[d];
            srcDims = {rows, k};
            wDims = {k, n};
            dstDims = {rows, n};
        }
        if (useGemv(sa, sb, m, n)) {
            if (!m_gemv)
                m_gemv = std::make_shared<PackedGemv>(m_b.data<f32>(), k, n, m_transB, m_alpha);
            m_rows = collapse ? srcDims[0] : m;
            m_aShape = sa;
            m_bShape = sb;
            m_gemvBias.clear();
            if (m_hasC) {
                const f32* c = m_c.data<f32>();
                const float scale = m_fusedMatMul ? 1.0f : m_beta;
                for (int64_t j = 0; j < n; ++j)
                    m_gemvBias.push_back(scale * c[m_c.numel() == 1 ? 0 : j]);
            }
            return;
        }
        m_gemv.reset();
        if (collapse && m_steps.empty() && m_alpha == 1.0f && !m_transB &&
            (!m_hasC || m_fusedMatMul) &&
            k * n * static_cast<int64_t>(sizeof(f32)) >= kPackedGemmBytes &&
            PackedGemm::available()) {
            if (!m_packedGemm)
                m_packedGemm = std::make_shared<PackedGemm>(m_b.data<f32>(), k, n);
            m_rows = srcDims[0];
            m_aShape = sa;
            m_bShape = sb;
            if (m_hasC && m_bias.empty())
                m_bias = m_c;
            return;
        }
        const auto f = memory::data_type::f32;
        const memory::desc srcDesc = stridedDesc(srcDims, m_transA);
        const memory::desc wPlain = stridedDesc(wDims, m_transB);
        const memory::desc wDesc =
            m_b.empty() ? wPlain : memory::desc(wDims, f, memory::format_tag::any);
        memory::desc biasDesc;
        Shape biasShape;
        if (m_fusedMatMul) {
            if (m_c.numel() != n)
                at.fail("Bias has ", m_c.numel(), " values, expected N = ", n);
            biasShape = Shape(dstDims.size(), 1);
            biasShape.back() = n;
            biasDesc = plainDesc(biasShape);
        } else if (m_hasC) {
            const Shape cs = m_c.empty() ? m_cShape : m_c.shape();
            const Shape padded = padRank(cs, 2);
            if ((padded[0] != 1 && padded[0] != m) || (padded[1] != 1 && padded[1] != n))
                at.fail("C of shape ", shapeToString(cs), " does not broadcast to ", m, "x", n);
            biasDesc = plainDesc(padded);
        }
        dnnl::post_ops ops;
        // A constant B takes alpha in its packed copy (below); a computed one gets it as the first
        // post-op, applied to the accumulators before they are stored.
        if (m_alpha != 1.0f && m_b.empty())
            ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_linear, m_alpha, 0.0f);
        // FusedMatMul's residual Z (Y's shape) before the activation, as FusedConv's.
        m_zDesc = plainDesc(Shape(dstDims.begin(), dstDims.end()));
        m_zPostOp = ops.len();
        if (m_hasZ)
            ops.append_binary(dnnl::algorithm::binary_add, m_zDesc);
        appendSteps(ops, m_steps);
        dnnl::primitive_attr attr;
        attr.set_post_ops(ops);
        try {
            const auto desc = m_hasC
                                  ? matmul::desc(srcDesc, wDesc, biasDesc,
                                                 memory::desc(dstDims, f, memory::format_tag::any))
                                  : matmul::desc(srcDesc, wDesc,
                                                 memory::desc(dstDims, f, memory::format_tag::any));
            m_pd = matmul::primitive_desc(desc, attr, cpuEngine());
        } catch (const dnnl::error& e) {
            at.fail("oneDNN has no matmul for A ", shapeToString(sa), ", B ", shapeToString(sb),
                    ": ", e.what());
        }
        if (!(m_pd.dst_desc() == plainDesc(Shape(dstDims.begin(), dstDims.end()))))
            at.fail("oneDNN chose a non-plain matmul output");
        m_prim = matmul(m_pd);
        m_aShape = sa;
        m_bShape = sb;
        if (!m_b.empty()) {
            std::vector<f32> scaled(m_b.span<const f32>().begin(), m_b.span<const f32>().end());
            for (f32& v : scaled)
                v *= m_alpha;
            packWeights(m_packed, m_pd.weights_desc(), wPlain, scaled.data());
        }
        if (m_fusedMatMul) {
            m_bias = Tensor(DataType::Float32, biasShape);
            std::copy_n(m_c.data<f32>(), n, m_bias.data<f32>());
        } else if (!m_c.empty()) {
            m_bias = Tensor(DataType::Float32, padRank(m_c.shape(), 2));
            for (int64_t i = 0; i < m_c.numel(); ++i)
                m_bias.data<f32>()[i] = m_beta * m_c.data<f32>()[i];
        }
    }

    // A few rows of A (the classifier at batch 1) against a constant 2-D B, with a bias of one
    // value per column or one for all, no residual and activations PackedGemv computes: one pass
    // over the weights as dot products (fp32_gemv.h). Not for a batched B or a transposed A.
    bool useGemv(const Shape& sa, const Shape& sb, int64_t m, int64_t n) const {
        if (m_b.empty() || sb.size() != 2 || m_transA || m_hasZ || !PackedGemv::available() ||
            !PackedGemv::supports(m_steps))
            return false;
        int64_t rows = 1;
        for (size_t d = 0; d + 2 < sa.size(); ++d)
            rows *= sa[d];
        if (rows * m > PackedGemv::kMaxRows)
            return false;
        if (m_hasC && (m_c.empty() || (m_c.numel() != 1 && m_c.numel() != n) ||
                       (m_c.rank() == 2 && m_c.shape()[0] != 1)))
            return false;
        return true;
    }

    // FusedMatMul's Z, plain.
    memory residual(runtime::KernelContext& ctx) {
        const Tensor& z = ctx.in(3);
        if (z.shape() != m_outShape)
            m_attrs.fail("Z has shape ", shapeToString(z.shape()), ", expected the output's ",
                         shapeToString(m_outShape));
        return m_convertZ.convert(z, plainDesc(z.shape()));
    }

    void addRowBias(f32* y, int64_t rows, int64_t n) const {
        const f32* bias = m_bias.data<f32>();
        for (int64_t r = 0; r < rows; ++r, y += n)
            for (int64_t j = 0; j < n; ++j)
                y[j] += bias[j];
    }

    static Shape padRank(const Shape& s, size_t rank) {
        Shape out(rank > s.size() ? rank - s.size() : 0, 1);
        out.insert(out.end(), s.begin(), s.end());
        return out;
    }

    // Weights at least this large stream from memory each run: PackedGemm prefetches them.
    static constexpr int64_t kPackedGemmBytes = int64_t{1} << 20;

    NodeAttrs m_attrs;
    std::shared_ptr<PackedGemm> m_packedGemm; // a large constant 2-D B (fp32_packed_gemm.h)
    std::shared_ptr<PackedGemv> m_gemv;       // a few rows against a constant B (fp32_gemv.h)
    int64_t m_rows = 0;
    bool m_gemm = false, m_fusedMatMul = false, m_transA = false, m_transB = false, m_hasC = false,
         m_hasZ = false;
    float m_alpha = 1.0f, m_beta = 1.0f;
    std::vector<EltwiseStep> m_steps;
    Tensor m_b, m_c, m_bias;
    std::vector<f32> m_gemvBias; // beta * C as N values
    Shape m_aShape, m_bShape, m_cShape, m_outShape;
    matmul::primitive_desc m_pd;
    matmul m_prim;
    memory m_packed;
    InputConverter m_convertA, m_convertB, m_convertC, m_convertZ;
    memory::desc m_zDesc;
    int m_zPostOp = 0;
};

} // namespace

KernelPtr makeMatMul(const KernelInfo& info) {
    return std::make_unique<MatMulKernel>(info);
}

// oneDNN's matmul needs the ranks, 2-D or more on both sides, and batch dims of B that equal A's
// or are 1; Gemm's alpha is folded into a constant B and beta into a constant C.
Claim claimMatMul(const KernelInfo& info) {
    if (info.inputCount() < 2 || !info.hasInput(0) || !info.hasInput(1))
        return Claim::claimed(); // invalid: the factory says what is missing
    const NodeAttrs a(info.graph, info.node);
    const bool fusedMatMul = info.node.opType == "FusedMatMul";
    const bool gemm =
        info.node.opType != "MatMul" && info.node.opType != "StridedMatMul" && !fusedMatMul;
    const auto& sa = info.inputValue(0).shape;
    const auto& sb = info.inputValue(1).shape;
    if (!sa || !sb)
        return Claim::declined(Decline::Shape, "the input ranks are unknown");
    if (fusedMatMul) { // lowering/fusions.h makes it with a constant 2-D B and N bias values
        const Tensor* b = info.constantInput(1);
        const Tensor* bias = info.inputCount() >= 3 ? info.constantInput(2) : nullptr;
        if (!b || b->rank() != 2 || !bias || bias->numel() != b->shape()[1])
            return Claim::declined(Decline::Input,
                                   "FusedMatMul needs a constant 2-D B and N constant bias values");
        if (info.inputCount() > 4 ||
            (info.inputCount() == 4 && info.hasInput(3) &&
             info.inputValue(3).shape != info.graph.value(info.node.outputs[0]).shape))
            return Claim::declined(Decline::Shape, "FusedMatMul's Z must have the output's shape");
    }
    if (!gemm) {
        if (sa->size() < 2 || sb->size() < 2)
            return Claim::declined(Decline::Shape, "MatMul with a 1-D input (ranks ", sa->size(),
                                   " and ", sb->size(), ")");
        for (size_t d = 0; d + 2 < sb->size(); ++d) {
            const Dim& bd = (*sb)[d];
            if (sb->size() > sa->size() ||
                !(bd == Dim::known(1) ||
                  (bd.isKnown() && (*sa)[d + sa->size() - sb->size()] == bd)))
                return Claim::declined(Decline::Shape, "batch dims of B ", shapeToString(*sb),
                                       " neither equal A's ", shapeToString(*sa), " nor are 1");
        }
        return Claim::claimed();
    }
    if (a.getFloat("alpha", 1.0f) != 1.0f && !info.constantInput(1))
        return Claim::declined(Decline::Input, "alpha other than 1 needs a constant B");
    if (info.inputCount() > 2 && info.hasInput(2)) {
        if (!info.inputValue(2).shape)
            return Claim::declined(Decline::Shape, "the shape of C is unknown");
        if (a.getFloat("beta", 1.0f) != 1.0f && !info.constantInput(2))
            return Claim::declined(Decline::Input, "beta other than 1 needs a constant C");
    }
    return Claim::claimed();
}

} // namespace lb::backends::onednn
