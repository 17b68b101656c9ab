// Add, Sub, Mul, Div: XNNPACK's nd operators, which broadcast numpy-style themselves (up to
// XNN_MAX_TENSOR_DIMS axes), on plain tensors or, next to an NHWC producer, on NHWC.
#include "backends/xnnpack/kernels.h"
#include "backends/xnnpack/xnn_util.h"
#include "core/error.h"

#include <limits>

namespace lb::backends::xnnpack {

namespace {

using Setup = xnn_status (*)(xnn_operator_t, size_t, const size_t*, size_t, const size_t*,
                             const float*, const float*, float*, pthreadpool_t);

int64_t dimOf(const Shape& s, size_t i, size_t rank) {
    return i + s.size() >= rank ? s[i + s.size() - rank] : 1;
}

// The shape XNNPACK sees for input t and its data: as it is, or, for an NHWC run, t's NHWC bytes
// and shape (an NHWC tensor's own; a plain one's when it reads the same, else a copy).
const float* operand(const Tensor& t, bool nhwc, std::vector<size_t>& shape,
                     std::vector<float>& scratch) {
    if (!nhwc) {
        shape.assign(t.shape().begin(), t.shape().end());
        if (shape.empty())
            shape.push_back(1); // XNNPACK takes a scalar as rank 1
        return plainData(t, scratch);
    }
    Shape s(4, 1); // padded to rank 4 (an NHWC partner makes the output 4-D)
    for (size_t i = 0; i < t.shape().size(); ++i)
        s[4 - t.shape().size() + i] = t.shape()[i];
    shape = {static_cast<size_t>(s[0]), static_cast<size_t>(s[2]), static_cast<size_t>(s[3]),
             static_cast<size_t>(s[1])};
    if (isNhwc(t) || s[1] == 1 || s[2] * s[3] == 1)
        return t.data<float>();
    scratch.resize(static_cast<size_t>(t.numel()));
    nchwToNhwc(t.data<float>(), scratch.data(), s[0], s[1], s[2] * s[3]);
    return scratch.data();
}

class BinaryKernel : public runtime::Kernel {
public:
    explicit BinaryKernel(const KernelInfo& info) : m_name(info.node.name) {
        ensureInitialized();
        m_stays = !info.outputStaysInBackend.empty() && info.outputStaysInBackend[0];
        if (info.inputCount() != 2 || !info.hasInput(0) || !info.hasInput(1))
            fail("node ", quoted(m_name), " (", info.node.opType, "): expected 2 inputs");
        constexpr float kInf = std::numeric_limits<float>::infinity();
        xnn_operator_t op = nullptr;
        const std::string& t = info.node.opType;
        if (t == "Add") {
            check(xnn_create_add_nd_f32(-kInf, kInf, 0, &op), "xnn_create_add_nd_f32");
            m_setup = xnn_setup_add_nd_f32;
        } else if (t == "Sub") {
            check(xnn_create_subtract_nd_f32(-kInf, kInf, 0, &op), "xnn_create_subtract_nd_f32");
            m_setup = xnn_setup_subtract_nd_f32;
        } else if (t == "Mul") {
            check(xnn_create_multiply_nd_f32(-kInf, kInf, 0, &op), "xnn_create_multiply_nd_f32");
            m_setup = xnn_setup_multiply_nd_f32;
        } else if (t == "Div") {
            check(xnn_create_divide_nd_f32(-kInf, kInf, 0, &op), "xnn_create_divide_nd_f32");
            m_setup = xnn_setup_divide_nd_f32;
        } else {
            fail("node ", quoted(m_name), ": ", t, " is not an XNNPACK binary op");
        }
        m_op.reset(op);
    }

    void run(runtime::KernelContext& ctx) override {
        const Tensor& a = ctx.in(0);
        const Tensor& b = ctx.in(1);
        const size_t rank = std::max(a.shape().size(), b.shape().size());
        if (rank > XNN_MAX_TENSOR_DIMS)
            fail("rank ", rank, " is above XNNPACK's ", XNN_MAX_TENSOR_DIMS);
        Shape out(rank, 1);
        for (size_t i = 0; i < rank; ++i) {
            const int64_t da = dimOf(a.shape(), i, rank), db = dimOf(b.shape(), i, rank);
            if (da != db && da != 1 && db != 1)
                fail("shapes ", shapeToString(a.shape()), " and ", shapeToString(b.shape()),
                     " do not broadcast");
            out[i] = da == 1 ? db : da;
        }
        // With an NHWC input (rank 4) the op runs on NHWC: the other input is read as NHWC too
        // (as it is when its channel axis or its spatial axes are 1, else copied), and the
        // output is NHWC, copied back to plain unless it stays in the backend.
        const bool nhwc = (isNhwc(a) || isNhwc(b)) && rank == 4;
        Tensor& y = outputTensor(ctx, 0, out, nhwc && m_stays);
        if (y.numel() == 0)
            return;
        std::vector<size_t> sa, sb;
        const float* pa = operand(a, nhwc, sa, m_scratchA);
        const float* pb = operand(b, nhwc, sb, m_scratchB);
        float* py = y.data<float>();
        if (nhwc && !m_stays) {
            m_scratchY.resize(static_cast<size_t>(y.numel()));
            py = m_scratchY.data();
        }
        pthreadpool_t pool = threadPool(ctx.threads());
        check(m_setup(m_op.get(), sa.size(), sa.data(), sb.size(), sb.data(), pa, pb, py, pool),
              "setup (binary nd)");
        check(xnn_run_operator(m_op.get(), pool), "xnn_run_operator (binary nd)");
        if (nhwc && !m_stays)
            nhwcToNchw(py, y.data<float>(), out[0], out[1], out[2] * out[3]);
    }

private:
    std::string m_name;
    Setup m_setup = nullptr;
    Operator m_op;
    bool m_stays = false;
    std::vector<float> m_scratchA, m_scratchB, m_scratchY;
};

} // namespace

KernelPtr makeBinary(const KernelInfo& info) {
    return std::make_unique<BinaryKernel>(info);
}

Claim claimBinary(const KernelInfo& info) {
    if (info.inputCount() != 2 || !info.hasInput(0) || !info.hasInput(1))
        return Claim::claimed(); // invalid: the factory says so
    for (size_t i = 0; i < 2; ++i) {
        const auto& s = info.inputValue(i).shape;
        if (!s)
            return Claim::declined(Decline::Shape, "the rank of input ", i, " is unknown");
        if (s->size() > XNN_MAX_TENSOR_DIMS)
            return Claim::declined(Decline::Shape, "rank ", s->size(), " is above XNNPACK's ",
                                   XNN_MAX_TENSOR_DIMS);
    }
    return Claim::claimed();
}

} // namespace lb::backends::xnnpack
