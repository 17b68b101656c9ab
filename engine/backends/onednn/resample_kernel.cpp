// Resize (opset >= 11) and Upsample as the oneDNN resampling primitive on whatever layout the
// input has (blocked stays blocked), in the configurations where it computes what ONNX does:
//
// nearest, whole-number spatial factors: oneDNN's source index is round((x + 0.5) / f - 0.5); for
// a whole factor f that equals floor(x / f), which is what ONNX's asymmetric/floor and
// half_pixel/round_prefer_* give too (no ties arise), so only those modes are accepted
// (tf_half_pixel_for_nearest rounds differently). PP-OCR det's FPN upsamples by 2, 4 and 8 so.
//
// linear (Resize-11+ only; Upsample and Resize-10 are asymmetric): oneDNN's source coordinate is
// (x + 0.5) * in / out - 0.5 with the two neighbours clamped into the input, which is ONNX's
// half_pixel where the scale is out / in: sizes given (stretch), or scales with in * scale == out.
// pytorch_half_pixel is the same except for an output length of 1 (ONNX samples 0 there).
// half_pixel_symmetric (opset 19, newer than the importer reads) is declined. exclude_outside
// changes nothing for linear (an outside neighbour is clamped onto the inside one it would be
// renormalised into); antialias and keep_aspect_ratio_policy other than stretch are declined.
// Up- and downsampling both (2 taps, as ONNX without antialias). DeepLabV3's 16x16 -> 256x256 head
// and its ASPP pooling branch broadcast (1x1 -> 16x16) run so.
//
// Other modes, fractional factors, non-constant roi/scales/sizes and resizing N or C are declined
// (the reference backend runs them).
#include "backends/onednn/kernels.h"
#include "backends/onednn/layout.h"
#include "backends/onednn/op_attrs.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace lb::backends::onednn {

namespace {

using dnnl::resampling_forward;

class ResampleKernel : public runtime::Kernel {
public:
    ResampleKernel(const runtime::KernelInfo& info, Shape in, Shape out, dnnl::algorithm algorithm)
        : m_in(std::move(in)), m_outShape(std::move(out)), m_algorithm(algorithm),
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
            // The input's layout out (blocked stays blocked): a plain -> plain linear
            // resampling, to save the reorder of an output that leaves the backend, took 14 ms
            // for DeepLabV3's 21x256x256 head against 1.3 ms blocked plus a 1.2 ms reorder.
            const memory::desc dstAny(toDims(m_outShape), memory::data_type::f32,
                                      memory::format_tag::any);
            resampling_forward::desc d(dnnl::prop_kind::forward_inference, m_algorithm, src,
                                       dstAny);
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

    std::string implementation() const override {
        return m_built ? std::string(m_pd.impl_info_str()) : std::string();
    }

    size_t outputStorageBytes(size_t output) const override {
        return output == 0 ? m_storageBound : 0;
    }

private:
    Shape m_in, m_outShape;
    dnnl::algorithm m_algorithm;
    bool m_stays;
    bool m_built = false;
    size_t m_storageBound = 0;
    memory::desc m_src;
    resampling_forward::primitive_desc m_pd;
    resampling_forward m_prim;
    OutputWriter m_out;
};

// The scale ONNX uses along each axis of a rank-`rank` Resize: from the constant scales (input 2,
// or Upsample's input 1) or, when sizes (input 3) are given, sizes / in; axes (opset 18) name the
// axes they speak of. nullopt when neither is a non-empty constant (the caller declined that).
std::optional<std::vector<double>> constantScales(const KernelInfo& info, const NodeAttrs& a,
                                                  bool legacy, const Shape& in) {
    const size_t rank = in.size();
    std::vector<int64_t> axes = a.getInts("axes");
    for (int64_t& axis : axes)
        axis = axis < 0 ? axis + static_cast<int64_t>(rank) : axis;
    if (axes.empty())
        for (size_t d = 0; d < rank; ++d)
            axes.push_back(static_cast<int64_t>(d));
    std::vector<double> scales(rank, 1.0);
    const Tensor* sizes = legacy ? nullptr : info.constantInput(3);
    const Tensor* sc = info.constantInput(legacy ? 1 : 2);
    if (sizes && sizes->numel() > 0 && sizes->dtype() == DataType::Int64 &&
        static_cast<size_t>(sizes->numel()) == axes.size()) {
        for (size_t i = 0; i < axes.size(); ++i)
            scales[axes[i]] =
                static_cast<double>(sizes->data<int64_t>()[i]) / static_cast<double>(in[axes[i]]);
        return scales;
    }
    if (sc && sc->numel() > 0 && sc->dtype() == DataType::Float32 &&
        static_cast<size_t>(sc->numel()) == axes.size()) {
        for (size_t i = 0; i < axes.size(); ++i)
            scales[axes[i]] = sc->data<float>()[i];
        return scales;
    }
    return std::nullopt;
}

// Why the kernel cannot run this node, or "" (the configurations of the header comment: constant
// roi/scales/sizes, static 3-D to 5-D shapes, N and C kept). `reason` gets the decline's code;
// `algorithm` the primitive's algorithm when it can.
std::string resampleProblem(const KernelInfo& info, Decline& reason, dnnl::algorithm& algorithm) {
    const NodeAttrs a(info.graph, info.node);
    const bool legacy = info.node.opType == "Upsample" || a.opset() < 11;
    reason = Decline::Attribute;
    if (info.node.opType == "Upsample" && a.opset() < 9)
        return "Upsample before opset 9 (scales attribute) is not implemented";
    const std::string mode = a.getString("mode", "nearest");
    const bool linear = mode == "linear" || mode == "bilinear";
    if (mode != "nearest" && !linear)
        return "mode '" + mode + "' is not implemented (nearest, and linear in half-pixel modes)";
    if (linear && legacy)
        return "linear " + info.node.opType + (info.node.opType == "Resize" ? "-10" : "") +
               " (asymmetric coordinates) is not implemented";
    const std::string coords =
        legacy ? "asymmetric" : a.getString("coordinate_transformation_mode", "half_pixel");
    if (!legacy && !linear) { // Upsample and Resize-10: asymmetric + floor
        const std::string nearest = a.getString("nearest_mode", "round_prefer_floor");
        const bool asymmetricFloor = coords == "asymmetric" && nearest == "floor";
        const bool centred = (coords == "half_pixel" || coords == "pytorch_half_pixel") &&
                             (nearest == "round_prefer_floor" || nearest == "round_prefer_ceil");
        if (!asymmetricFloor && !centred)
            return "coordinate_transformation_mode '" + coords + "' with nearest_mode '" + nearest +
                   "' is not implemented";
    }
    if (linear) {
        if (coords != "half_pixel" && coords != "pytorch_half_pixel")
            return "linear with coordinate_transformation_mode '" + coords +
                   "' is not implemented (half_pixel, pytorch_half_pixel)";
        if (a.getInt("antialias", 0) != 0)
            return "linear with antialias is not implemented";
        if (const std::string policy = a.getString("keep_aspect_ratio_policy", "stretch");
            policy != "stretch")
            return "keep_aspect_ratio_policy '" + policy + "' is not implemented (stretch only)";
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
        if ((*in)[d] < 1 || (*out)[d] < 1)
            return "resizing " + shapeToString(*in) + " to " + shapeToString(*out);
    if (!linear) {
        algorithm = dnnl::algorithm::resampling_nearest;
        for (size_t d = 2; d < in->size(); ++d)
            if ((*out)[d] < (*in)[d] || (*out)[d] % (*in)[d] != 0)
                return "output " + shapeToString(*out) + " is not a whole-number upscale of " +
                       shapeToString(*in);
        return {};
    }
    algorithm = dnnl::algorithm::resampling_linear;
    const auto scales = constantScales(info, a, legacy, *in);
    if (!scales) {
        reason = Decline::Input;
        return "neither scales nor sizes is a non-empty constant of the expected type";
    }
    for (size_t d = 2; d < in->size(); ++d) {
        // oneDNN maps with out / in; ONNX with the given scale (a float: allow its rounding).
        const double inD = static_cast<double>((*in)[d]), outD = static_cast<double>((*out)[d]);
        if (std::abs((*scales)[d] * inD - outD) > 1e-6 * outD)
            return "linear scale " + std::to_string((*scales)[d]) + " along axis " +
                   std::to_string(d) + " is not output / input (" + shapeToString(*in) + " to " +
                   shapeToString(*out) + "): oneDNN maps with output / input";
        if (coords == "pytorch_half_pixel" && (*out)[d] == 1 && (*in)[d] > 1)
            return "pytorch_half_pixel to an output length of 1 (ONNX samples index 0 there)";
    }
    return {};
}

} // namespace

KernelPtr makeResample(const KernelInfo& info) {
    const NodeAttrs a(info.graph, info.node);
    if (info.inputCount() < 1 || !info.hasInput(0) || info.node.outputs.size() != 1)
        a.fail("expected input X and one output");
    Decline reason = Decline::Attribute;
    dnnl::algorithm algorithm = dnnl::algorithm::resampling_nearest;
    if (const std::string problem = resampleProblem(info, reason, algorithm); !problem.empty())
        a.fail(problem); // claimResample declined it
    return std::make_unique<ResampleKernel>(info, *staticShape(info.graph, info.node.inputs[0]),
                                            *staticShape(info.graph, info.node.outputs[0]),
                                            algorithm);
}

Claim claimResample(const KernelInfo& info) {
    Decline reason = Decline::Attribute;
    dnnl::algorithm algorithm = dnnl::algorithm::resampling_nearest;
    if (const std::string problem = resampleProblem(info, reason, algorithm); !problem.empty())
        return Claim::declined(reason, problem);
    return Claim::claimed();
}

} // namespace lb::backends::onednn
