#pragma once

// Window geometry and activation post-ops shared by the oneDNN kernels and their claim functions
// (kernels.h), which read attributes with ops::NodeAttrs. Errors name the node.

#include "core/error.h"
#include "ir/graph.h"
#include "ops/node_attrs.h"
#include "ops/window.h"

#include <oneapi/dnnl/dnnl.hpp>
#include <optional>
#include <string>
#include <vector>

namespace lb::backends::onednn {

using ops::NodeAttrs;

// One oneDNN eltwise step; an ONNX activation is one or two of them.
struct EltwiseStep {
    dnnl::algorithm algorithm;
    float alpha = 0.0f;
    float beta = 0.0f;
};

// The eltwise steps of activation `op` (Relu, Clip, Sigmoid, HardSigmoid, HardSwish, LeakyRelu,
// Tanh) with ONNX parameters `params` in the order the backend's header comment documents;
// empty params take ONNX's defaults. Fails for other ops.
std::vector<EltwiseStep> activationSteps(const NodeAttrs& a, const std::string& op,
                                         const std::vector<float>& params);
// FusedConv/FusedGemm: the steps of the `activation` attribute (none when absent).
std::vector<EltwiseStep> fusedActivation(const NodeAttrs& a);
void appendSteps(dnnl::post_ops& ops, const std::vector<EltwiseStep>& steps);

// A static (known) shape of input/output slot, or nullopt.
std::optional<Shape> staticShape(const ir::Graph& graph, ir::ValueId value);

// Sliding-window geometry for Conv and pools (ONNX pads, auto_pad, ceil_mode resolved).

struct WindowGeometry {
    std::vector<int64_t> kernel, strides, dilations; // dilations as ONNX (1 = dense)
    std::vector<int64_t> padL, padR, out;
    bool ceilExtra = false; // ceil_mode added padding beyond the declared pads
};

using ops::WindowAttrs;
// ops::parseWindowAttrs for kernels of `spatialRank` spatial axes (fails for another rank).
WindowAttrs parseWindow(const NodeAttrs& a, size_t spatialRank);

// ONNX's geometry (ops::windowAxis) with the right padding oneDNN needs for ceil_mode. Fails when
// the window does not fit (the session names the node).
WindowGeometry windowGeometry(const WindowAttrs& w, const Shape& inSpatial,
                              const std::vector<int64_t>& kernel);

// ConvTranspose on 2 spatial axes as oneDNN's deconvolution takes it: strides, dilations
// (ONNX's, 1 = dense), left and right padding, and the output size, from the pads, auto_pad
// SAME_*, output_shape (empty when absent) and output_padding (empty when absent). nullopt, with
// the axis at fault in *problem, when the output needs padding beyond oneDNN's unpadded output
// (a valid ConvTranspose the backend declines).
std::optional<WindowGeometry>
tryDeconvGeometry(const WindowAttrs& w, const std::vector<int64_t>& outputPadding,
                  const std::vector<int64_t>& outputShape, const Shape& inSpatial,
                  const std::vector<int64_t>& kernel, std::string* problem);
// The same, failing naming the node and the axis.
WindowGeometry deconvGeometry(const NodeAttrs& a, const WindowAttrs& w,
                              const std::vector<int64_t>& outputPadding,
                              const std::vector<int64_t>& outputShape, const Shape& inSpatial,
                              const std::vector<int64_t>& kernel);

} // namespace lb::backends::onednn
