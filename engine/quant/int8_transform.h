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
    int int8Nodes = 0;          // QConv nodes
    int borderNodes = 0;        // Quantize / Dequantize
    // Every other compute node of the transformed graph (FakeQuant excluded), by name -> why it
    // runs in float with fake-quantized outputs instead of int8.
    std::map<std::string, std::string> simulated;
    // "N nodes int8, M simulated: <count> <reason>, ..." (one line).
    std::string summary() const;
};

// Real int8 execution as a graph transform, on the user's graph (the names the encodings use):
//   1. the quantization simulation (applyFakeQuant) on the graph as imported;
//   2. LayerBench's default passes, which fold BatchNorm and per-channel affine steps into the
//      Conv weights and fuse the activation: since calibration gives no encoding to the tensors
//      these passes remove (materializedActivations), every FakeQuant is still there after them;
//   3. every Conv / FusedConv between two 8-bit per-tensor FakeQuants whose weights had a
//      symmetric 8-bit encoding becomes a QConv (quant/int8_ops.h) on uint8 tensors: the folded
//      weights are still on a per-channel 8-bit grid (fq(W) * a[c]), which is recovered exactly and
//      checked; the output FakeQuant becomes a Dequantize, the input gets a Quantize unless it
//      comes from another QConv (then the uint8 tensor is read directly);
//   4. Quantize / Dequantize nobody reads are removed.
// What cannot run exactly in int8 keeps the simulation (float kernel + FakeQuant), and the
// result says why, per node. The graph is left optimized (do not run the passes again).
Int8Result applyInt8(ir::Graph& graph, const EncodingSet& encodings, const TaskContext& task = {});

// The activation tensors the int8 graph materialises: graph inputs and the node outputs that
// survive LayerBench's default passes (those passes fold Conv + BatchNorm + affine and fuse the
// activation, as QNN's converter and AIMET's supergroups do, so the Conv output in front of a
// Relu is never quantized). Calibration gives encodings to these only.
std::set<std::string> materializedActivations(const ir::Graph& graph);

} // namespace lb::quant
