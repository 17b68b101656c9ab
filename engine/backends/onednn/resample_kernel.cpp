// Resize (opset >= 11) and Upsample in nearest mode with whole-number spatial factors, as the
// oneDNN resampling primitive on whatever layout the input has (blocked stays blocked). oneDNN's
// nearest source index is round((x + 0.5) / f - 0.5); for a whole factor f that equals
// floor(x / f), which is what ONNX's asymmetric/floor and half_pixel/round_prefer_* give too (no
// ties arise), so only those modes are accepted (tf_half_pixel_for_nearest rounds differently).
// Other modes, fractional factors and resizing N or C are declined (the reference backend runs
// them). PP-OCR det's FPN upsamples by 2, 4 and 8 this way.
#include "backends/onednn/kernels.h"
#include "backends/onednn/layout.h"
#include "backends/onednn/op_attrs.h"

#include <algorithm>

namespace lb::backends::onednn {

namespace {

using dnnl::resampling_forward;

class ResampleKernel : public runtime::Kernel {
public:
    ResampleKernel(const runtime::KernelInfo& info, Shape in, Shape out)
        : m_in(std::move(in)), m_outShape(std::move(out)),
          m_stays(!info.outputStaysInBackend.empty() && info.outputStaysInBackend[0]) {
        if (m_stays)
            m_storageBound = blockedStorageBound(m_outShape);
    }

    void run(runtime::KernelContext& ctx) override {
        ThreadScope scope(ctx.threads());
        const Tensor& x = ctx.in(0);
        if (x.dtype() != DataType::Float32)
            fail("expected a float32 input, got ", dtypeName(x.dtype()));
        if (x.shape() != m_in)
            fail("expected input of shape ", shapeToString(m_in),
                 " (the shape the kernel was "
                 "planned for), got ",
                 shapeToString(x.shape()));
        const memory::desc src = descOf(x);
        if (!m_built || !(src == m_src)) {
            const memory::desc dstAny(toDims(m_outShape), memory::data_type::f32,
                                      memory::format_tag::any);
            resampling_forward::desc d(dnnl::prop_kind::forward_inference,
                                       dnnl::algorithm::resampling_nearest, src, dstAny);
            m_pd = resampling_forward::primitive_desc(d, cpuEngine());
            m_prim = resampling_forward(m_pd);
            m_src = src;
            m_built = true;
        }
        dnnl::stream& s = cpuStream();
        memory srcMem(src, cpuEngine(), const_cast<void*>(x.rawData()));
        memory dst = m_out.prepare(ctx, 0, m_outShape, m_pd.dst_desc(), m_stays);
        m_prim.execute(s, {{DNNL_ARG_SRC, srcMem}, {DNNL_ARG_DST, dst}});
        m_out.finish();
        s.wait();
    }

    size_t outputStorageBytes(size_t output) const override {
        return output == 0 ? m_storageBound : 0;
    }

private:
    Shape m_in, m_outShape;
    bool m_stays;
    bool m_built = false;
    size_t m_storageBound = 0;
    memory::desc m_src;
    resampling_forward::primitive_desc m_pd;
    resampling_forward m_prim;
    OutputWriter m_out;
};

// Why the kernel cannot run this node, or "" (the configurations it implements: nearest, in the
// coordinate/nearest modes where whole-factor nearest equals floor(x / f), constant
// roi/scales/sizes, static 3-D to 5-D shapes with whole-number spatial upscales). `reason`
// gets the decline's code.
std::string resampleProblem(const KernelInfo& info, Decline& reason) {
    const NodeAttrs a(info.graph, info.node);
    const bool legacy = info.node.opType == "Upsample" || a.opset() < 11;
    reason = Decline::Attribute;
    if (info.node.opType == "Upsample" && a.opset() < 9)
        return "Upsample before opset 9 (scales attribute) is not implemented";
    const std::string mode = a.getString("mode", "nearest");
    if (mode != "nearest")
        return "mode '" + mode + "' is not implemented (nearest only)";
    if (!legacy) { // Upsample and Resize-10: asymmetric + floor
        const std::string coords = a.getString("coordinate_transformation_mode", "half_pixel");
        const std::string nearest = a.getString("nearest_mode", "round_prefer_floor");
        const bool asymmetricFloor = coords == "asymmetric" && nearest == "floor";
        const bool centred = (coords == "half_pixel" || coords == "pytorch_half_pixel") &&
                             (nearest == "round_prefer_floor" || nearest == "round_prefer_ceil");
        if (!asymmetricFloor && !centred)
            return "coordinate_transformation_mode '" + coords + "' with nearest_mode '" + nearest +
                   "' is not implemented";
    }
    // Scales/sizes must be constants so the statically inferred output shape is the real one.
    reason = Decline::Input;
    for (size_t i = 1; i < info.inputCount(); ++i)
        if (info.hasInput(i) && !info.constantInput(i))
            return "input " + std::to_string(i) +
                   " (roi/scales/sizes) is not a constant initializer";
    reason = Decline::Shape;
    if (info.inputCount() < 1 || !info.hasInput(0) || info.node.outputs.size() != 1)
        return {}; // invalid: the factory says so
    const auto in = staticShape(info.graph, info.node.inputs[0]);
    const auto out = staticShape(info.graph, info.node.outputs[0]);
    if (!in || !out)
        return "input and output shapes are not static";
    if (in->size() < 3 || in->size() > 5 || out->size() != in->size())
        return "resizing " + shapeToString(*in) + " to " + shapeToString(*out) +
               " (3-D to 5-D only)";
    if ((*out)[0] != (*in)[0] || (*out)[1] != (*in)[1])
        return "resizing the batch or channel dimension is not implemented";
    for (size_t d = 2; d < in->size(); ++d)
        if ((*in)[d] < 1 || (*out)[d] < (*in)[d] || (*out)[d] % (*in)[d] != 0)
            return "output " + shapeToString(*out) + " is not a whole-number upscale of " +
                   shapeToString(*in);
    return {};
}

} // namespace

KernelPtr makeResample(const KernelInfo& info) {
    const NodeAttrs a(info.graph, info.node);
    if (info.inputCount() < 1 || !info.hasInput(0) || info.node.outputs.size() != 1)
        a.fail("expected input X and one output");
    Decline reason = Decline::Attribute;
    if (const std::string problem = resampleProblem(info, reason); !problem.empty())
        a.fail(problem); // claimResample declined it
    return std::make_unique<ResampleKernel>(info, *staticShape(info.graph, info.node.inputs[0]),
                                            *staticShape(info.graph, info.node.outputs[0]));
}

Claim claimResample(const KernelInfo& info) {
    Decline reason = Decline::Attribute;
    if (const std::string problem = resampleProblem(info, reason); !problem.empty())
        return Claim::declined(reason, problem);
    return Claim::claimed();
}

} // namespace lb::backends::onednn
