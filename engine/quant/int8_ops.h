#pragma once

// The ops of a real int8 graph (quant/int8_transform.h), domain ai.layerbench. Tensors called
// "u8" below hold uint8 values q with real = (q + offset) * scale (QNN's convention, offset <= 0).
//
// QConv(X u8, W s8, [B f32]) -> Y u8
//     The ONNX Conv attributes (kernel_shape, strides, pads, dilations, group, auto_pad), plus
//     x_scale float, x_offset int       X's encoding (per-tensor)
//     w_scales floats                   one per output channel (one value: per-tensor); the real
//                                       weight is W * w_scales[c]
//     y_scale float, y_offset int       Y's encoding (per-tensor)
//     activation, activation_params, output_affine   as FusedConv (ops/fused_ops.h)
//   B is the real-valued bias. Y = quantize(affine(activation(conv(real X, real W) + B))),
//   rounding to nearest and saturating to [0, 255].
// Quantize(X f32) -> Y u8        attributes scale float, offset int (per-tensor, 8-bit)
// Dequantize(X u8) -> Y f32      attributes scale float, offset int

#include "ir/graph.h"

namespace lb::quant {

inline constexpr const char* kQConvOp = "QConv";
inline constexpr const char* kQuantizeOp = "Quantize";
inline constexpr const char* kDequantizeOp = "Dequantize";

inline bool isInt8Op(const ir::Node& node) {
    return node.domain == "ai.layerbench" &&
           (node.opType == kQConvOp || node.opType == kQuantizeOp || node.opType == kDequantizeOp);
}

} // namespace lb::quant
