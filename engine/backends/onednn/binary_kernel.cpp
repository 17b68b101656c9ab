// Add/Sub/Mul/Div/Max/Min as the oneDNN binary primitive. oneDNN broadcasts only its second
// source into the first (after both have the same rank), so a node is accepted when its second
// input broadcasts into the first, or, for commutative ops, the other way round.
#include "backends/onednn/channel_binary.h"
#include "backends/onednn/fp32_rows.h"
#include "backends/onednn/kernels.h"
#include "backends/onednn/layout.h"
#include "backends/onednn/op_attrs.h"

namespace lb::backends::onednn {

namespace {

using dnnl::algorithm;
using dnnl::binary;

algorithm binaryAlgorithm(const std::string& op) {
    if (op == "Add")
        return algorithm::binary_add;
    if (op == "Sub")
        return algorithm::binary_sub;
    if (op == "Mul")
        return algorithm::binary_mul;
    if (op == "Div")
        return algorithm::binary_div;
    if (op == "Max")
        return algorithm::binary_max;
    return algorithm::binary_min;
}

std::optional<FlatOp> flatOp(const std::string& op) {
    if (op == "Add")
        return FlatOp::Add;
    if (op == "Sub")
        return FlatOp::Sub;
    if (op == "Mul")
        return FlatOp::Mul;
    return std::nullopt;
}

bool commutative(const std::string& op) {
    return op == "Add" || op == "Mul" || op == "Max" || op == "Min";
}

// Can `small` broadcast into `big` (numpy rules, rank padded on the left)?
template <typename ShapeT, typename Same, typename IsOne>
bool broadcastsInto(const ShapeT& small, const ShapeT& big, Same same, IsOne isOne) {
    if (small.size() > big.size())
        return false;
    const size_t offset = big.size() - small.size();
    for (size_t d = 0; d < small.size(); ++d)
        if (!isOne(small[d]) && !same(small[d], big[d + offset]))
            return false;
    return true;
}

bool shapeInto(const Shape& small, const Shape& big) {
    return broadcastsInto(
        small, big, [](int64_t a, int64_t b) { return a == b; }, [](int64_t a) { return a == 1; });
}

Shape padRank(const Shape& s, size_t rank) {
    Shape out(rank - s.size(), 1);
    out.insert(out.end(), s.begin(), s.end());
    return out;
}

std::optional<FlatOp> channelOp(const std::string& op) {
    if (op == "Div")
        return FlatOp::Div;
    return flatOp(op);
}

// The 16-channel blocked descriptor of a rank 3 to 5 shape.
memory::desc blocked16(const Shape& shape) {
    using tag = memory::format_tag;
    return memory::desc(toDims(shape), memory::data_type::f32,
                        shape.size() == 3   ? tag::aBc16b
                        : shape.size() == 4 ? tag::aBcd16b
                                            : tag::aBcde16b);
}

// Is `b` one value per (batch, channel) of `out` ([1 or N, C, 1...], or fewer dimensions of
// that with 1s on the left when plain)?
bool perChannel(const Tensor& b, const Shape& out) {
    if (out.size() < 3 || b.dtype() != DataType::Float32)
        return false;
    if (b.shape().size() != out.size() && (!b.isPlain() || b.shape().size() > out.size()))
        return false;
    const Shape s = padRank(b.shape(), out.size());
    if ((s[0] != 1 && s[0] != out[0]) || s[1] != out[1])
        return false;
    for (size_t d = 2; d < s.size(); ++d)
        if (s[d] != 1)
            return false;
    return true;
}

// A descriptor of `dims` in the format `desc` (of `shape`) has, when it is one of the formats
// oneDNN's primitives hand out here; plain otherwise.
memory::desc sameFormat(const memory::desc& desc, const Shape& shape, const Shape& dims) {
    using tag = memory::format_tag;
    if (shape.size() == 4 && dims.size() == 4)
        for (tag t : {tag::aBcd16b, tag::aBcd8b, tag::acdb, tag::abcd})
            if (desc == memory::desc(toDims(shape), memory::data_type::f32, t))
                return memory::desc(toDims(dims), memory::data_type::f32, t);
    if (shape.size() == 3 && dims.size() == 3)
        for (tag t : {tag::aBc16b, tag::aBc8b, tag::acb, tag::abc})
            if (desc == memory::desc(toDims(shape), memory::data_type::f32, t))
                return memory::desc(toDims(dims), memory::data_type::f32, t);
    return plainDesc(dims);
}

class BinaryKernel : public runtime::Kernel {
public:
    BinaryKernel(const runtime::KernelInfo& info)
        : m_op(info.node.opType),
          m_stays(!info.outputStaysInBackend.empty() && info.outputStaysInBackend[0]) {
        if (m_stays)
            if (auto shape = staticShape(info.graph, info.node.outputs[0]))
                m_storageBound = blockedStorageBound(*shape);
    }

    void run(runtime::KernelContext& ctx) override {
        ThreadScope scope(ctx.threads());
        const Tensor* a = &ctx.in(0);
        const Tensor* b = &ctx.in(1);
        if (a->dtype() != DataType::Float32 || b->dtype() != DataType::Float32)
            fail("expected float32 inputs, got ", dtypeName(a->dtype()), " and ",
                 dtypeName(b->dtype()));
        if (!shapeInto(b->shape(), a->shape())) {
            if (!commutative(m_op) || !shapeInto(a->shape(), b->shape()))
                fail("shapes ", shapeToString(a->shape()), " and ", shapeToString(b->shape()),
                     " do not broadcast the way oneDNN's binary primitive needs");
            std::swap(a, b);
        }
        const Shape& outShape = a->shape();
        if (a->numel() == 0) {
            ctx.output(0, DataType::Float32, outShape);
            return;
        }
        // Same layouts, or a scalar second input: one flat loop over the stored elements (padding
        // included: zero op zero stays zero, and so does zero times a scalar).
        if (const std::optional<FlatOp> op = flatOp(m_op)) {
            const memory::desc da = descOf(*a);
            const bool padded = da.get_size() != static_cast<size_t>(a->numel()) * sizeof(float);
            const bool scalar = b->numel() == 1 && b->isPlain();
            if ((b->shape() == outShape && descOf(*b) == da) ||
                (scalar && (!padded || *op == FlatOp::Mul))) {
                const memory dst = m_out.prepare(ctx, 0, outShape, da, m_stays);
                binaryFlat(*op, a->data<float>(), b->data<float>(),
                           static_cast<float*>(dst.get_data_handle()),
                           static_cast<int64_t>(da.get_size() / sizeof(float)), scalar);
                m_out.finish();
                cpuStream().wait();
                return;
            }
        }
        // One value per (batch, channel) on any layout (squeeze-excitation's Mul, a per-channel
        // Add): one loop instead of oneDNN's reference binary for 8-channel blocks.
        const std::optional<FlatOp> op = channelOp(m_op);
        if (op && perChannel(*b, outShape)) {
            const memory::desc da = descOf(*a);
            const auto la = m_layoutA.of(da, outShape);
            // b's values sit at n * stride + c in every layout of a [N, C, 1...] tensor.
            const auto lb = b->isPlain() ? std::optional<ChannelLayout>(ChannelLayout{})
                                         : m_layoutB.of(descOf(*b), b->shape());
            if (la && lb) {
                const int64_t channels = outShape[1];
                const int64_t batchStride =
                    b->shape().size() < outShape.size() || b->shape()[0] == 1 ? 0
                    : lb->block > 1 ? (channels + lb->block - 1) / lb->block * lb->block
                                    : channels;
                // 8-channel blocks (a grouped convolution's output) leave as 16-channel ones,
                // the layout the backend's convolutions read from 16 channels up.
                const bool widen = la->block == 8 && channels >= 16 && m_stays;
                const memory dst =
                    m_out.prepare(ctx, 0, outShape, widen ? blocked16(outShape) : da, m_stays);
                float* y = static_cast<float*>(dst.get_data_handle());
                if (widen)
                    channelBinary8To16(*op, a->data<float>(), b->data<float>(), batchStride, y, *la,
                                       ctx.threads());
                else
                    channelBinary(*op, a->data<float>(), b->data<float>(), batchStride, y, *la,
                                  ctx.threads());
                m_out.finish();
                cpuStream().wait();
                return;
            }
        }
        // A bias row added to every row of a plain tensor (the PaddleOCR rec head's
        // [1, 40, 6625] + [6625]): a direct loop, twice as fast as the binary primitive.
        if (m_op == "Add" && a->isPlain() && b->isPlain() && !outShape.empty() &&
            b->numel() == outShape.back() && b->numel() > 1 &&
            (b->shape().empty() ? 1 : b->shape().back()) == outShape.back()) {
            const float* bias = b->data<float>();
            Tensor& y = ctx.output(0, DataType::Float32, outShape);
            addRowVector(a->data<float>(), bias, y.data<float>(), a->numel() / b->numel(),
                         b->numel(), ctx.threads());
            return;
        }
        // Blocked layouts are used as they are. The second input is brought into the first one's
        // format (oneDNN's jit binary wants that, also for per-channel and scalar operands; with
        // mixed formats it runs a reference loop 100x slower); a lower-rank one is viewed with
        // leading 1s. When oneDNN cannot combine the layouts, both go plain (once).
        const size_t rank = std::max<size_t>(outShape.size(), 1);
        const Tensor bView = b->shape().size() == outShape.size()
                                 ? *b
                                 : toPlainTensor(*b, 1).reshaped(padRank(b->shape(), rank));
        memory::desc da;
        for (int attempt = 0; attempt < 2; ++attempt) {
            da = m_plainInputs ? plainDesc(a->shape()) : descOf(*a);
            const memory::desc db = m_plainInputs ? plainDesc(bView.shape())
                                                  : sameFormat(da, a->shape(), bView.shape());
            if ((m_prim && da == m_da && db == m_db) || build(da, db))
                break;
            if (m_plainInputs)
                fail("oneDNN has no binary ", m_op, " for ", shapeToString(a->shape()), " and ",
                     shapeToString(b->shape()));
            m_plainInputs = true;
        }
        const memory srcA = m_convertA.convert(*a, da);
        const memory srcB = m_convertB.convert(bView, m_srcB);
        dnnl::stream& s = cpuStream();
        memory dst = m_out.prepare(ctx, 0, outShape, m_da, m_stays);
        m_prim.execute(s, {{DNNL_ARG_SRC_0, srcA}, {DNNL_ARG_SRC_1, srcB}, {DNNL_ARG_DST, dst}});
        m_out.finish();
        s.wait();
    }

    size_t outputStorageBytes(size_t output) const override {
        return output == 0 ? m_storageBound : 0;
    }

private:
    bool build(const memory::desc& da, const memory::desc& db) {
        try {
            const binary::primitive_desc pd(binary::desc(binaryAlgorithm(m_op), da, db, da),
                                            cpuEngine());
            m_prim = binary(pd);
            m_srcB = pd.src1_desc();
        } catch (const dnnl::error&) {
            return false; // the caller retries with plain layouts, then names the shapes
        }
        m_da = da;
        m_db = db;
        return true;
    }

    // channelLayout() of the last descriptor seen (building descriptors to compare costs more
    // than the loop on SE blocks' small tensors).
    struct LayoutCache {
        std::optional<ChannelLayout> of(const memory::desc& desc, const Shape& shape) {
            if (!m_valid || !(desc == m_desc) || shape != m_shape) {
                m_layout = channelLayout(desc, shape);
                m_desc = desc;
                m_shape = shape;
                m_valid = true;
            }
            return m_layout;
        }
        bool m_valid = false;
        memory::desc m_desc;
        Shape m_shape;
        std::optional<ChannelLayout> m_layout;
    };

    std::string m_op;
    bool m_stays;
    LayoutCache m_layoutA, m_layoutB;
    bool m_plainInputs = false;
    size_t m_storageBound = 0;
    memory::desc m_da, m_db, m_srcB;
    binary m_prim;
    InputConverter m_convertA, m_convertB;
    OutputWriter m_out;
};

} // namespace

KernelPtr makeBinary(const KernelInfo& info) {
    const NodeAttrs a(info.graph, info.node);
    if (info.inputCount() != 2 || !info.hasInput(0) || !info.hasInput(1))
        a.fail("expected two inputs, got ", info.inputCount());
    return std::make_unique<BinaryKernel>(info);
}

// Two inputs whose shapes are known well enough to see that the second broadcasts into the first
// (or, for commutative ops, the first into the second): Min and Max of one or three inputs, and
// broadcasting on both sides, are valid ONNX oneDNN's binary primitive does not do.
Claim claimBinary(const KernelInfo& info) {
    if (info.inputCount() != 2 || !info.hasInput(0) || !info.hasInput(1))
        return Claim::declined(Decline::Input, info.inputCount(),
                               " inputs; oneDNN's binary primitive takes two");
    const auto& s0 = info.inputValue(0).shape;
    const auto& s1 = info.inputValue(1).shape;
    if (!s0 || !s1)
        return Claim::declined(
            Decline::Shape, "input ranks are unknown, so oneDNN's broadcasting cannot be checked");
    auto same = [](const Dim& x, const Dim& y) {
        return (x.isKnown() && x.value == y.value) ||
               (!x.isKnown() && !x.param.empty() && x.param == y.param);
    };
    auto isOne = [](const Dim& x) { return x.isKnown() && x.value == 1; };
    const bool forward = broadcastsInto(*s1, *s0, same, isOne);
    const bool swapped = commutative(info.node.opType) && broadcastsInto(*s0, *s1, same, isOne);
    if (!forward && !swapped)
        return Claim::declined(Decline::Shape, "shapes ", shapeToString(*s0), " and ",
                               shapeToString(*s1), " need broadcasting ",
                               commutative(info.node.opType) ? "of both inputs"
                                                             : "of the first input",
                               ", which oneDNN's binary primitive does not do");
    return Claim::claimed();
}

} // namespace lb::backends::onednn
