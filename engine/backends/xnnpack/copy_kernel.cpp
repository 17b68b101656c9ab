// Nearest Resize / Upsample by whole factors and channel Concat of 4-D float tensors, as NHWC
// copies in the backend (XNNPACK 2022 has no nearest resize; a channel concat is a strided copy
// of each pixel's channels). They keep PP-OCR det's FPN inside the NHWC chain: on the reference
// backend its six upsamples took 540 of 770 ms at 640x640, most of it converting layouts.
//
// Resize: for a whole factor f, ONNX's nearest index is floor(x / f) in the asymmetric + floor and
// the half_pixel + round_prefer_* modes (no ties arise), so only those are claimed; constant
// scales / sizes, static shapes, N and C unchanged.
#include "backends/xnnpack/kernels.h"
#include "backends/xnnpack/xnn_util.h"
#include "core/error.h"
#include "ops/node_attrs.h"

#include <cstring>

namespace lb::backends::xnnpack {

namespace {

std::optional<Shape> knownShape(const ir::Graph& g, ir::ValueId v) {
    const auto& s = g.value(v).shape;
    return s ? concreteShape(*s) : std::nullopt;
}

// A 4-D input in NHWC order: its own data, or `scratch` filled from the plain tensor.
const float* nhwcData(const Tensor& t, std::vector<float>& scratch) {
    if (isNhwc(t))
        return t.data<float>();
    const Shape& s = t.shape();
    scratch.resize(static_cast<size_t>(t.numel()));
    nchwToNhwc(t.data<float>(), scratch.data(), s[0], s[1], s[2] * s[3]);
    return scratch.data();
}

class CopyKernel : public runtime::Kernel {
public:
    explicit CopyKernel(const KernelInfo& info) : m_attrs(info.graph, info.node) {
        m_concat = info.node.opType == "Concat";
        m_stays = outputStays(info);
        const auto out = knownShape(info.graph, info.node.outputs.at(0));
        if (!out || out->size() != 4)
            m_attrs.fail("expected a static 4-D output shape");
        m_outShape = *out;
    }

    void run(runtime::KernelContext& ctx) override {
        const Shape& o = m_outShape;
        const int64_t n = o[0], c = o[1], h = o[2], w = o[3];
        Tensor& y = outputTensor(ctx, 0, o, m_stays);
        float* out = m_stays ? y.data<float>() : (m_out.resize(size_t(y.numel())), m_out.data());
        m_scratch.resize(ctx.inputCount());
        if (m_concat) {
            int64_t at = 0;
            for (size_t k = 0; k < ctx.inputCount(); ++k) {
                const Tensor& x = ctx.in(k);
                const Shape& s = x.shape();
                if (x.dtype() != DataType::Float32 || x.rank() != 4 || s[0] != n || s[2] != h ||
                    s[3] != w || at + s[1] > c)
                    m_attrs.fail("input ", k, " of shape ", shapeToString(s),
                                 " does not fit the output ", shapeToString(o));
                const float* in = nhwcData(x, m_scratch[k]);
                const int64_t ck = s[1];
                for (int64_t p = 0; p < n * h * w; ++p)
                    std::memcpy(out + p * c + at, in + p * ck, size_t(ck) * sizeof(float));
                at += ck;
            }
            if (at != c)
                m_attrs.fail("the inputs hold ", at, " channels, the output ", c);
        } else {
            const Tensor& x = ctx.in(0);
            const Shape& s = x.shape();
            if (x.dtype() != DataType::Float32 || x.rank() != 4 || s[0] != n || s[1] != c ||
                h % s[2] != 0 || w % s[3] != 0)
                m_attrs.fail("expected an input whole factors below ", shapeToString(o), ", got ",
                             shapeToString(s));
            const float* in = nhwcData(x, m_scratch[0]);
            const int64_t fy = h / s[2], fx = w / s[3];
            for (int64_t b = 0; b < n; ++b)
                for (int64_t oy = 0; oy < h; ++oy)
                    for (int64_t ox = 0; ox < w; ++ox)
                        std::memcpy(out + ((b * h + oy) * w + ox) * c,
                                    in + ((b * s[2] + oy / fy) * s[3] + ox / fx) * c,
                                    size_t(c) * sizeof(float));
        }
        if (!m_stays)
            nhwcToNchw(out, y.data<float>(), n, c, h * w);
    }

private:
    ops::NodeAttrs m_attrs;
    bool m_concat = false, m_stays = false;
    Shape m_outShape;
    std::vector<float> m_out;
    std::vector<std::vector<float>> m_scratch;
};

Claim claimShapes(const KernelInfo& info, bool sameSpatial) {
    if (info.node.outputs.size() != 1)
        return Claim::declined(Decline::Input, "more than one output");
    const auto out = knownShape(info.graph, info.node.outputs[0]);
    if (!out || out->size() != 4)
        return Claim::declined(Decline::Shape, "the output is not known to be 4-D");
    for (size_t i = 0; i < (sameSpatial ? info.inputCount() : 1); ++i) {
        if (!info.hasInput(i))
            return Claim::declined(Decline::Input, "an omitted input");
        const auto in = knownShape(info.graph, info.node.inputs[i]);
        if (!in || in->size() != 4)
            return Claim::declined(Decline::Shape, "input ", i, " is not known to be 4-D");
        if ((*in)[0] != (*out)[0])
            return Claim::declined(Decline::Shape, "the batch changes");
        if (sameSpatial && ((*in)[2] != (*out)[2] || (*in)[3] != (*out)[3]))
            return Claim::declined(Decline::Shape, "inputs of other spatial sizes");
        if (!sameSpatial && ((*in)[1] != (*out)[1] || (*in)[2] < 1 || (*in)[3] < 1 ||
                             (*out)[2] % (*in)[2] != 0 || (*out)[3] % (*in)[3] != 0))
            return Claim::declined(Decline::Shape, "output ", shapeToString(*out),
                                   " is not a whole-factor upscale of ", shapeToString(*in));
    }
    return Claim::claimed();
}

} // namespace

KernelPtr makeCopy(const KernelInfo& info) {
    return std::make_unique<CopyKernel>(info);
}

Claim claimCopy(const KernelInfo& info) {
    const ops::NodeAttrs a(info.graph, info.node);
    if (info.node.opType == "Concat") {
        const int64_t axis = a.getInt("axis", 1);
        if (axis != 1 && axis != -3)
            return Claim::declined(Decline::Attribute, "axis ", axis, " (channels only)");
        return claimShapes(info, true);
    }
    const bool legacy = info.node.opType == "Upsample" || a.opset() < 11;
    if (info.node.opType == "Upsample" && a.opset() < 9)
        return Claim::declined(Decline::Attribute, "Upsample before opset 9");
    const std::string mode = a.getString("mode", "nearest");
    if (mode != "nearest")
        return Claim::declined(Decline::Attribute, "mode '", mode, "' (nearest only)");
    if (!legacy) {
        const std::string coords = a.getString("coordinate_transformation_mode", "half_pixel");
        const std::string nearest = a.getString("nearest_mode", "round_prefer_floor");
        const bool floorMode = coords == "asymmetric" && nearest == "floor";
        const bool centred = (coords == "half_pixel" || coords == "pytorch_half_pixel") &&
                             (nearest == "round_prefer_floor" || nearest == "round_prefer_ceil");
        if (!floorMode && !centred)
            return Claim::declined(Decline::Attribute, "coordinate_transformation_mode '", coords,
                                   "' with nearest_mode '", nearest, "'");
    }
    for (size_t i = 1; i < info.inputCount(); ++i)
        if (info.hasInput(i) && !info.constantInput(i))
            return Claim::declined(Decline::Input, "input ", i,
                                   " (roi / scales / sizes) is not a constant");
    return claimShapes(info, false);
}

} // namespace lb::backends::xnnpack
