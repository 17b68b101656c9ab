// LayerNormalization (ONNX-17 semantics; the passes emit it in ai.layerbench for older opsets)
// as oneDNN's layer_normalization_forward on a [outer, inner] view of the input, with constant
// Scale and B of `inner` values; inputs of up to kDirectElements run fp32_rows' loop instead
// (rec's 40x120 rows: the primitive call costs more than the arithmetic).
#include "backends/onednn/fp32_rows.h"
#include "backends/onednn/kernels.h"
#include "backends/onednn/layout.h"
#include "backends/onednn/op_attrs.h"

namespace lb::backends::onednn {

namespace {

using dnnl::layer_normalization_forward;
using dnnl::normalization_flags;

class LayerNormKernel : public runtime::Kernel {
public:
    LayerNormKernel(int64_t axis, float epsilon, Tensor scale, Tensor bias)
        : m_axis(axis), m_epsilon(epsilon), m_scale(std::move(scale)), m_bias(std::move(bias)) {}

    void run(runtime::KernelContext& ctx) override {
        ThreadScope scope(ctx.threads());
        const Tensor& x = ctx.in(0);
        const int64_t rank = x.rank();
        const int64_t axis = m_axis < 0 ? m_axis + rank : m_axis;
        if (axis < 0 || axis >= rank)
            fail("axis ", m_axis, " is outside the input ", shapeToString(x.shape()));
        int64_t outer = 1, inner = 1;
        for (int64_t d = 0; d < rank; ++d)
            (d < axis ? outer : inner) *= x.shape()[static_cast<size_t>(d)];
        if (inner != m_scale.numel())
            fail("Scale has ", m_scale.numel(), " values, the normalized axes of ",
                 shapeToString(x.shape()), " hold ", inner);
        if (x.numel() == 0) {
            ctx.output(0, DataType::Float32, x.shape());
            return;
        }
        if (x.numel() <= kDirectElements) {
            const memory src = m_src.convert(x, plainDesc(x.shape()));
            Tensor& y = ctx.output(0, DataType::Float32, x.shape());
            layerNormRows(static_cast<const float*>(src.get_data_handle()), m_scale.data<float>(),
                          m_bias.data<float>(), y.data<float>(), outer, inner, m_epsilon);
            return;
        }
        const Shape view{outer, inner};
        if (view != m_builtFor) {
            const auto flags = normalization_flags::use_scale | normalization_flags::use_shift;
            m_pd = layer_normalization_forward::primitive_desc(
                layer_normalization_forward::desc(dnnl::prop_kind::forward_inference,
                                                  plainDesc(view), m_epsilon, flags),
                cpuEngine());
            m_prim = layer_normalization_forward(m_pd);
            m_builtFor = view;
        }
        const memory src = m_src.convert(x, plainDesc(x.shape()));
        Tensor& y = ctx.output(0, DataType::Float32, x.shape());
        dnnl::stream& s = cpuStream();
        m_prim.execute(
            s, {{DNNL_ARG_SRC, memory(plainDesc(view), cpuEngine(), src.get_data_handle())},
                {DNNL_ARG_DST, memory(plainDesc(view), cpuEngine(), y.rawData())},
                {DNNL_ARG_SCALE, memory(plainDesc({inner}), cpuEngine(), m_scale.rawData())},
                {DNNL_ARG_SHIFT, memory(plainDesc({inner}), cpuEngine(), m_bias.rawData())}});
        s.wait();
    }

private:
    static constexpr int64_t kDirectElements = 1 << 16;

    int64_t m_axis;
    float m_epsilon;
    Tensor m_scale, m_bias;
    Shape m_builtFor;
    layer_normalization_forward::primitive_desc m_pd;
    layer_normalization_forward m_prim;
    InputConverter m_src;
};

} // namespace

KernelPtr makeLayerNorm(const KernelInfo& info) {
    const NodeAttrs a(info.graph, info.node);
    if (info.inputCount() < 2 || info.inputCount() > 3 || !info.hasInput(0))
        a.fail("expected X, Scale and optional B, got ", info.inputCount(), " inputs");
    // Constant Scale and B, no statistics outputs, float32 statistics: claimLayerNorm.
    const Tensor* scale = info.constantInput(1);
    const Tensor* bias = info.hasInput(2) ? info.constantInput(2) : nullptr;
    if (scale->dtype() != DataType::Float32 ||
        (bias && (bias->dtype() != DataType::Float32 || bias->numel() != scale->numel())))
        a.fail("Scale and B should be float32 tensors of the same size");
    Tensor b = bias ? bias->clone() : Tensor(DataType::Float32, {scale->numel()});
    return std::make_unique<LayerNormKernel>(a.getInt("axis", -1), a.getFloat("epsilon", 1e-5f),
                                             scale->clone(), std::move(b));
}

// layer_normalization_forward with constant Scale and B; the Mean and InvStdDev outputs and
// other statistics types are declined.
Claim claimLayerNorm(const KernelInfo& info) {
    const NodeAttrs a(info.graph, info.node);
    for (size_t o = 1; o < info.node.outputs.size(); ++o)
        if (info.node.outputs[o] != ir::kNoValue)
            return Claim::declined(Decline::Input,
                                   "the Mean and InvStdDev outputs are not produced");
    if (a.getInt("stash_type", 1) != 1)
        return Claim::declined(Decline::Attribute, "stash_type ", a.getInt("stash_type", 1),
                               " (statistics in float32 only)");
    if (info.inputCount() < 2 || !info.hasInput(1))
        return Claim::claimed(); // invalid: the factory says what is missing
    for (size_t i = 1; i < 3 && i < info.inputCount(); ++i)
        if (info.hasInput(i) && !info.constantInput(i))
            return Claim::declined(Decline::Input, i == 1 ? "Scale" : "B",
                                   " is not a constant initializer");
    return Claim::claimed();
}

} // namespace lb::backends::onednn
