#pragma once

#include "core/progress.h"
#include "ir/graph.h"
#include "quant/encoding_set.h"
#include "quant/fake_quant_transform.h"

#include <map>
#include <set>
#include <string>

namespace lb::quant {

struct Int8Result {
    FakeQuantResult simulation; // the FakeQuant transform the int8 graph starts from
    int int8Nodes = 0;          // int8 ops from the user's nodes (QConv, QAdd, QMul, QLut, ...)
    int borderNodes = 0;        // Quantize / Dequantize
    // Every other compute node of the transformed graph (FakeQuant excluded), by name -> why it
    // runs in float with fake-quantized outputs instead of int8.
    std::map<std::string, std::string> simulated;
    // "N nodes int8, M simulated: <count> <reason>, ..." (one line).
    std::string summary() const;
};

// Real int8 execution as one graph transform on the whole graph, for tests and tools that want
// the int8 graph itself (a run lowers per backend instead: quant/int8_lowering.h), on the user's
// graph (the names the encodings use):
//   1. the quantization simulation (applyFakeQuant) on the graph as imported;
//   2. LayerBench's default passes, which fold BatchNorm and per-channel affine steps into the
//      Conv weights and fuse the activation: since calibration gives no encoding to the tensors
//      these passes remove (materializedActivations), every FakeQuant is still there after them;
//   3. every node between 8-bit per-tensor FakeQuants that an int8 op covers is rewritten
//      (quant/int8_rewrite.h; ops in ops/int8_ops.h) on uint8 tensors, its output FakeQuant
//      becoming a Dequantize for float readers and its inputs reading the uint8 tensor of the
//      int8 op in front (or a new Quantize):
//      - Conv / FusedConv with symmetric 8-bit weights -> QConv: the folded weights are still on
//        a per-channel 8-bit grid (fq(W) * a[c]), which is recovered exactly and checked;
//      - ConvTranspose -> QConvTranspose (int8_rewrite_deconv.cpp);
//      - Add, Concat, nearest Resize, GlobalAveragePool, the [N,C,1,1] gate Mul with its
//        residual Add (int8_rewrite_data.cpp);
//      - unary elementwise ops -> QLut, a 256-entry table (int8_rewrite_unary.cpp);
//   4. Quantize / Dequantize nobody reads are removed, and a QResize read only by a QAdd or a
//      channel QConcat is folded into it.
// What cannot run exactly in int8 keeps the simulation (float kernel + FakeQuant), and the
// result says why, per node. The graph is left optimized (do not run the passes again).
Int8Result applyInt8(ir::Graph& graph, const EncodingSet& encodings, const TaskContext& task = {});

// The summary of an int8 graph (the result of applyInt8, or a session's graph after the
// backends' int8 lowering): `int8Nodes` int8 ops made from the user's nodes, `why` the reason of
// each node a rewrite left simulated (others: "no int8 kernel").
Int8Result summarizeInt8(const ir::Graph& graph, FakeQuantResult simulation, int int8Nodes,
                         const std::map<std::string, std::string>& why);

// The activation tensors the int8 graph materialises: graph inputs and the node outputs that
// survive LayerBench's default passes (those passes fold Conv + BatchNorm + affine and fuse the
// activation, as QNN's converter and AIMET's supergroups do, so the Conv output in front of a
// Relu is never quantized). Calibration gives encodings to these only.
std::set<std::string> materializedActivations(const ir::Graph& graph);

} // namespace lb::quant
