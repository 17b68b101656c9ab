#pragma once

#include "ir/graph.h"
#include "quant/encoding_set.h"

#include <string>
#include <vector>

namespace lb::quant {

// QDQ ONNX export: the user's model with its encodings written as QuantizeLinear /
// DequantizeLinear pairs, the form ONNX Runtime, QNN's converter and TensorRT read.
//
// Storage types under QNN's convention real = (q + offset) * scale, so zero_point = -offset:
// - 8-bit (and narrower) activations: asymmetric -> uint8 with zero_point = -offset; symmetric
//   -> int8 with q shifted by 2^(bw-1) (zero_point = -offset - 2^(bw-1), 0 for AIMET's
//   default symmetric). The grid is the same, so the tensors are bit-exact with the encodings.
//   Narrower than 8 bit: a Clip to the 2^bw levels follows the QuantizeLinear.
// - 16-bit activations: uint16/int16 exist in the default domain only from opset 21, which
//   onnx 1.12's checker does not know; they are written as com.microsoft QuantizeLinear /
//   DequantizeLinear (what ONNX Runtime's own quantizer emits below opset 21).
// - Weights: quantized initializers (int8 symmetric, uint8 asymmetric) + DequantizeLinear,
//   per-axis (`axis`) for per-channel encodings. Biases (and 16/32-bit params): int32 with
//   zero_point 0, scale = s_in * s_w per channel, as the encodings hold them. A param whose
//   encoding has no such form (16-bit asymmetric) is written as its fake-quantized float values.
// - Graph outputs keep their names (the producer then writes "<name>_float"); for other
//   activations the producer keeps the name and readers take "<name>_dequantized".
// The default-domain opset is raised to 13 (per-axis QDQ) through onnx::upgradeOpset.
struct QdqExportResult {
    ir::Graph graph;
    int quantizeNodes = 0;   // QuantizeLinear
    int dequantizeNodes = 0; // DequantizeLinear
    int activations = 0;
    int params = 0;
    std::vector<std::string> notes;   // opset rewrites, 16-bit contrib ops, ...
    std::vector<std::string> skipped; // encodings not exported, one line each naming the tensor
};

// Builds the QDQ graph from the ORIGINAL graph (the one the encodings' names refer to, before
// any LayerBench pass). Per-channel encodings without an axis take the weight's channel axis.
// Throws lb::Error naming the tensor when an encoding does not fit it.
QdqExportResult buildQdqGraph(const ir::Graph& graph, const EncodingSet& encodings);

// buildQdqGraph, serialised and run through the onnx checker (full check, with shape
// inference); a checker failure throws lb::Error naming the model. `result` receives the counts.
std::string exportQdqModelToBytes(const ir::Graph& graph, const EncodingSet& encodings,
                                  QdqExportResult* result = nullptr);
void saveQdqModel(const ir::Graph& graph, const EncodingSet& encodings, const std::string& path,
                  QdqExportResult* result = nullptr);

// One integer tensor of a QDQ graph that exposeQuantizedTensors made a graph output.
struct ExposedTensor {
    std::string name; // the QuantizeLinear output
    std::string op;   // what computes the float tensor it quantizes ("input": a graph input)
    // The quantized tensors that op reads through their DequantizeLinear (weights left out);
    // `onlyQuantized` false when it also reads a float tensor that has no QuantizeLinear.
    std::vector<std::string> reads;
    bool onlyQuantized = true;
};

// A QDQ graph as a probe of ONNX Runtime's fused QLinear kernels (bench/qdq_kernels.js): every
// activation QuantizeLinear output (the integer tensor a fused kernel writes) also becomes a
// graph output, so each one can be compared across ORT's optimization levels. A kernel whose
// quantized inputs came out identical at two levels is compared on its own arithmetic.
std::vector<ExposedTensor> exposeQuantizedTensors(ir::Graph& qdq);

// After exposeQuantizedTensors: every reader of a quantized tensor T reads a new graph input
// "<T>_in" instead, so the graph falls apart into one island per kernel (DequantizeLinear ->
// op -> QuantizeLinear) fed from outside. Fed with the tensors one run of the exposed graph
// gave, each fused kernel computes from the same integers at every ORT optimization level.
// Returns the inputs added, in the order of `exposed`.
std::vector<std::string> isolateQuantizedKernels(ir::Graph& qdq,
                                                 const std::vector<ExposedTensor>& exposed);

} // namespace lb::quant
