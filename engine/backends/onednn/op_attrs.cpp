#include "backends/onednn/op_attrs.h"

#include <limits>

namespace lb::backends::onednn {

using dnnl::algorithm;

std::vector<EltwiseStep> activationSteps(const NodeAttrs& a, const std::string& op,
                                         const std::vector<float>& params) {
    auto param = [&](size_t i, float fallback) { return i < params.size() ? params[i] : fallback; };
    if (op == "Relu")
        return {{algorithm::eltwise_relu, 0.0f, 0.0f}};
    if (op == "LeakyRelu")
        return {{algorithm::eltwise_relu, param(0, 0.01f), 0.0f}};
    if (op == "Sigmoid")
        return {{algorithm::eltwise_logistic, 0.0f, 0.0f}};
    if (op == "Tanh")
        return {{algorithm::eltwise_tanh, 0.0f, 0.0f}};
    if (op == "HardSwish")
        return {{algorithm::eltwise_hardswish, 0.0f, 0.0f}};
    if (op == "Swish") // x * sigmoid(alpha x)
        return {{algorithm::eltwise_swish, 1.0f, 0.0f}};
    if (op == "Gelu")
        return {{algorithm::eltwise_gelu_erf, 0.0f, 0.0f}};
    if (op == "HardSigmoid") // max(0, min(1, alpha * x + beta)): 2.6 has no hardsigmoid
        return {{algorithm::eltwise_linear, param(0, 0.2f), param(1, 0.5f)},
                {algorithm::eltwise_clip, 0.0f, 1.0f}};
    if (op == "Clip") {
        const float lo = param(0, std::numeric_limits<float>::lowest());
        const float hi = param(1, std::numeric_limits<float>::max());
        if (!(lo <= hi))
            a.fail("Clip min ", lo, " is above max ", hi);
        return {{algorithm::eltwise_clip, lo, hi}};
    }
    a.fail("activation '", op,
           "' is not one of Relu, Clip, Sigmoid, HardSigmoid, HardSwish, LeakyRelu, Tanh, "
           "Swish, Gelu");
}

std::vector<EltwiseStep> fusedActivation(const NodeAttrs& a) {
    const std::string op = a.getString("activation", "");
    std::vector<EltwiseStep> steps;
    if (!op.empty())
        steps = activationSteps(a, op, a.getFloats("activation_params"));
    const std::vector<float> affine = a.getFloats("output_affine");
    if (!affine.empty()) {
        if (affine.size() != 2)
            a.fail("output_affine takes [scale, shift], got ", affine.size(), " values");
        steps.push_back({dnnl::algorithm::eltwise_linear, affine[0], affine[1]});
    }
    return steps;
}

void appendSteps(dnnl::post_ops& ops, const std::vector<EltwiseStep>& steps) {
    for (const EltwiseStep& s : steps)
        ops.append_eltwise(1.0f, s.algorithm, s.alpha, s.beta);
}

std::optional<Shape> staticShape(const ir::Graph& graph, ir::ValueId value) {
    if (value == ir::kNoValue || !graph.value(value).shape)
        return std::nullopt;
    return concreteShape(*graph.value(value).shape);
}

WindowAttrs parseWindow(const NodeAttrs& a, size_t spatialRank) {
    WindowAttrs w = ops::parseWindowAttrs(a.node());
    if (w.rank() != 0 && w.rank() != spatialRank)
        a.fail("kernel_shape, strides, dilations and pads should match the spatial rank ",
               spatialRank);
    return w;
}

WindowGeometry windowGeometry(const WindowAttrs& w, const Shape& inSpatial,
                              const std::vector<int64_t>& kernel) {
    const size_t rank = inSpatial.size();
    WindowGeometry g;
    g.kernel = kernel;
    for (size_t i = 0; i < rank; ++i) {
        const ops::WindowAxis axis = ops::windowAxis(w, i, rank, inSpatial[i], kernel.at(i));
        int64_t padR = axis.padEnd;
        // oneDNN takes the right padding explicitly: ceil_mode's last window needs more.
        const int64_t effective = (kernel[i] - 1) * axis.dilation + 1;
        const int64_t needed =
            (axis.out - 1) * axis.stride + effective - inSpatial[i] - axis.padBegin;
        if (needed > padR) {
            g.ceilExtra = true;
            padR = needed;
        }
        g.strides.push_back(axis.stride);
        g.dilations.push_back(axis.dilation);
        g.padL.push_back(axis.padBegin);
        g.padR.push_back(padR);
        g.out.push_back(axis.out);
    }
    return g;
}

std::optional<WindowGeometry>
tryDeconvGeometry(const WindowAttrs& w, const std::vector<int64_t>& outputPadding,
                  const std::vector<int64_t>& outputShape, const Shape& inSpatial,
                  const std::vector<int64_t>& kernel, std::string* problem) {
    WindowGeometry g;
    g.kernel = kernel;
    const bool same = w.autoPad == "SAME_UPPER" || w.autoPad == "SAME_LOWER";
    for (size_t i = 0; i < 2; ++i) {
        const int64_t in = inSpatial[i], k = kernel[i];
        const int64_t s = w.strides.empty() ? 1 : w.strides[i];
        const int64_t d = w.dilations.empty() ? 1 : w.dilations[i];
        const int64_t outPad = outputPadding.empty() ? 0 : outputPadding[i];
        const int64_t base = s * (in - 1) + (k - 1) * d + 1; // oneDNN's unpadded output
        int64_t begin = 0, out = 0;
        if (!outputShape.empty() || same) {
            out = !outputShape.empty() ? outputShape[outputShape.size() - 2 + i] : in * s;
            const int64_t total = std::max<int64_t>(0, base + outPad - out);
            begin = w.autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
        } else {
            const int64_t end = w.pads.empty() ? 0 : w.pads[i + 2];
            begin = w.pads.empty() ? 0 : w.pads[i];
            out = base + outPad - begin - end;
        }
        const int64_t right = base - begin - out;
        if (out < 1 || right < 0) {
            if (problem)
                *problem = "output dimension " + std::to_string(i) + " of " + std::to_string(out) +
                           " needs output padding oneDNN's deconvolution does not take";
            return std::nullopt;
        }
        g.strides.push_back(s);
        g.dilations.push_back(d);
        g.padL.push_back(begin);
        g.padR.push_back(right);
        g.out.push_back(out);
    }
    return g;
}

WindowGeometry deconvGeometry(const NodeAttrs& a, const WindowAttrs& w,
                              const std::vector<int64_t>& outputPadding,
                              const std::vector<int64_t>& outputShape, const Shape& inSpatial,
                              const std::vector<int64_t>& kernel) {
    std::string problem;
    const auto g = tryDeconvGeometry(w, outputPadding, outputShape, inSpatial, kernel, &problem);
    if (!g)
        a.fail(problem);
    return *g;
}

} // namespace lb::backends::onednn
