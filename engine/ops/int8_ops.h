#pragma once

// The ops of a real int8 graph (quant/int8_transform.h), domain ai.layerbench. Tensors called
// "u8" below hold uint8 values q with real = (q + offset) * scale (QNN's convention, offset <= 0).
// The reference backend's kernels (backends/reference/int8_*kernels.cpp) are the definition of
// every op's bytes; another backend is checked against them byte for byte.
//
// Arithmetic every op shares, written out where the ops below say "real" and "quantize":
//   real_e(q)     = (q + offset_e) * scale_e as a float32 product (ops::dequantizeValue), the
//                   value the simulation's FakeQuant gives;
//   quantize_e(v) = ops::quantizeValue at 8 bits: v / scale_e in float32 (a true division, not a
//                   product with 1 / scale), rounded to nearest with ties to even, minus offset_e,
//                   saturated to [0, 255] (NaN -> 0).
//   Float steps are float32 unless said otherwise, each rounded on its own (no fused
//   multiply-add). Tensors are plain row-major NCHW as far as the spec goes (a backend may keep
//   private layouts in between).
//
// QConv(X u8, W s8, [B f32], [Z u8]) -> Y u8
//     The ONNX Conv attributes (kernel_shape, strides, pads, dilations, group, auto_pad), plus
//     x_scale float, x_offset int       X's encoding (per-tensor)
//     w_scales floats                   one per output channel (one value: per-tensor); the real
//                                       weight is W * w_scales[c]
//     y_scale float, y_offset int       Y's encoding (per-tensor)
//     activation, activation_params, output_affine   as FusedConv (ops/fused_ops.h)
//     z_scale float, z_offset int       with Z (FusedConv's residual): Z's encoding
//   B is the real-valued bias. Y = quantize(affine(activation(conv(real X, real W) + B
//   [+ real Z]))),
//   rounding to nearest and saturating to [0, 255]. Exactly:
//     acc   = sum over the window's taps (and the group's input channels) of (q_x + x_offset) * W,
//             in int32; a tap in the padding is a real 0 and adds nothing (so the padding is not
//             the byte 0 but the zero point). A node whose window holds so many products that
//             int32 could overflow (more than 65,793 for an offset in [-255, 0]) is rejected;
//     v     = acc * (x_scale * w_scales[c]) + B[c] + real_z(q_z), summed in double and rounded
//             once to float32;
//     v     = activation(v) (ops::Activation::apply, float32), then v * scale + shift with
//             output_affine's [scale, shift] (two float32 roundings);
//     q_y   = quantize_y(v).
// QAdd(A u8, B u8) -> Y u8, QConcat(X0 u8, ...) -> Y u8 (attribute axis), QResize(X u8) -> Y u8
//     (nearest, whole H/W factors, output shape from the graph)
//     x_scales floats, x_offsets ints   one per input; y_scale float, y_offset int
//   Y = quantize(op(real inputs)): the simulation's float op between FakeQuants, bit for bit.
//   QAdd: quantize_y(real_a(q_a) + real_b(q_b)), the sum in float32; same shapes, no broadcasting.
//   QConcat / QResize: each byte requantized, quantize_y(real_x(q)); QResize's output pixel (y, x)
//   reads input pixel (y / fy, x / fx).
//   QAdd and QConcat (axis 1) may carry a folded nearest QResize per input: x_upsample ints
//   [fy, fx] per input, and x_pre_scales / x_pre_offsets, the encoding the input bytes are in
//   (requantized to x_scales / x_offsets first, as the QResize did).
//   That is, input k's bytes are first quantize_xk(real_prek(q)), then upsampled as QResize
//   does, then go through the op as above.
// QGlobalAveragePool(X u8 [N,C,H,W]) -> Y u8 [N,C,1,1]: the mean of the real values (summed
//     exactly in integers), quantized. x_scales / x_offsets (one entry), y_scale, y_offset.
//     Exactly: mean = sum(q) / (H * W) and (mean + x_offset) * x_scale in double, rounded once
//     to float32, then quantize_y.
// QMul(X u8 [N,C,H,W], G u8 [N,C,1,1]) -> Y u8: the squeeze-excitation gate, Y = quantize(X * G)
//     with x_scales / x_offsets for X and G; with residual = 1 (and m_scale, m_offset: the
//     product's own encoding) Y = quantize(X + quantize_m(X * G)), the block's residual Add fused.
//     Either way one 256-entry table per (n, c), so the bytes are the simulation's.
//     Exactly, with p = real_x(q) * real_g(G[n, c]) in float32: quantize_y(p), or with residual
//     quantize_y(real_x(q) + real_m(quantize_m(p))), the sum in float32.
// QConvTranspose(X u8, W s8 [C_in, C_out/group, kH, kW], [B f32]) -> Y u8
//     The ONNX ConvTranspose attributes, plus x_scale / x_offset, w_scales (one per output
//     channel, or one), y_scale / y_offset as QConv: Y = quantize(convT(real X, real W) + B).
//     Exactly as QConv: acc the int32 sum of (q_x + x_offset) * W over the input pixels and taps
//     that reach an output (output_padding, output_shape, auto_pad and pads as ONNX says; pads
//     crop the full output), then the same float steps (activation and output_affine too when
//     the node carries them; the rewrite gives it none).
// QLut(X u8, T u8 [256]) -> Y u8: Y = T[X], any layout (the output keeps the input's). T is the
//     output byte of every input byte: a unary elementwise float op between two 8-bit
//     FakeQuants, tabulated at transform time by running that op (quant/int8_rewrite_unary.cpp).
//     Attribute `op`: the op it replaces (for display).
// QMaxPool(X u8) -> Y u8: MaxPool's attributes, x_scales / x_offsets (one entry), y_scale,
//     y_offset; the max of the bytes requantized (both steps are increasing, so they commute).
//     Taps in the padding do not take part; Y = quantize_y(real_x(max byte)). No Indices output.
// Quantize(X f32) -> Y u8        attributes scale float, offset int (per-tensor, 8-bit):
//                                quantize_e(x)
// Dequantize(X u8) -> Y f32      attributes scale float, offset int: real_e(q)

#include "ir/graph.h"

namespace lb::ops {

inline constexpr const char* kQConvOp = "QConv";
inline constexpr const char* kQuantizeOp = "Quantize";
inline constexpr const char* kDequantizeOp = "Dequantize";
inline constexpr const char* kQAddOp = "QAdd";
inline constexpr const char* kQConcatOp = "QConcat";
inline constexpr const char* kQResizeOp = "QResize";
inline constexpr const char* kQGlobalAveragePoolOp = "QGlobalAveragePool";
inline constexpr const char* kQMulOp = "QMul";
inline constexpr const char* kQMaxPoolOp = "QMaxPool";
inline constexpr const char* kQConvTransposeOp = "QConvTranspose";
inline constexpr const char* kQLutOp = "QLut";

inline bool isInt8Op(const ir::Node& node) {
    return node.domain == "ai.layerbench" &&
           (node.opType == kQConvOp || node.opType == kQuantizeOp || node.opType == kDequantizeOp ||
            node.opType == kQAddOp || node.opType == kQConcatOp || node.opType == kQResizeOp ||
            node.opType == kQGlobalAveragePoolOp || node.opType == kQMulOp ||
            node.opType == kQMaxPoolOp || node.opType == kQConvTransposeOp ||
            node.opType == kQLutOp);
}

} // namespace lb::ops
