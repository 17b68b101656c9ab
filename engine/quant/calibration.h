#pragma once

#include "core/progress.h"
#include "core/tensor.h"
#include "ir/graph.h"
#include "quant/calibrators.h"
#include "quant/encoding_set.h"
#include "quant/histogram_observer.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lb::quant {

using Sample = std::map<std::string, Tensor>; // graph input name -> tensor

struct CalibrationConfig {
    CalibrationOptions activations; // method, bitwidth, percentile (asymmetric by default)
    int weightBitwidth = 8;         // weights are symmetric, as QNN's and AIMET's defaults
    bool perChannel = false;
    int biasBitwidth = 32;
    std::string backend = "auto"; // a target: "auto" or a backend's name (backends/registry.h)
    int threads = 1;
};

// Which tensors get encodings, and why the others do not: the names are the original model's
// (what qnn-onnx-converter's quantization_overrides refer to), so calibration runs the graph as
// imported, without LayerBench's passes (fusion would hide the Conv outputs a Relu follows).
// Activations: every graph input and node output that is float32 at run time, except
// Constant outputs and the tensors inside a supergroup: what LayerBench's passes fold or fuse
// away (a Conv/Gemm output in front of its BatchNorm, per-channel affine, Relu / Clip /
// HardSwish / HardSigmoid / ..., the pieces of a decomposed hard-swish or layer norm, the
// scalar affine after the activation) is never quantized, as in QNN's converter and AIMET, so
// the simulation quantizes exactly the tensors the int8 graph materialises
// (materializedActivations in quant/int8_transform.h). Weights: input 1 of Conv, ConvTranspose,
// Gemm and MatMul when it is an initializer or Constant output. Biases: input 2 of Conv,
// ConvTranspose and Gemm.
//
// Runs every sample through a session on `graph` after LayerBench's default passes and feeds one
// HistogramObserver per float activation that survives them (graph inputs and the
// materialized tensors, under their original names). Progress per sample; cancellable between
// samples and nodes.
std::map<std::string, HistogramObserver> observeActivations(const ir::Graph& graph,
                                                            const std::vector<Sample>& samples,
                                                            const CalibrationConfig& config,
                                                            const TaskContext& task = {});

// The encoding a Softmax or Sigmoid output gets whatever calibration saw, as ORT's quantizer
// gives it (and QNN's converter a fixed [0, 1] range): scale 2^-bw, offset 0. A calibrated range
// narrower than [0, 1] gives a finer scale, and for Softmax one finer than 1 / (classes * e^5)
// makes ONNX Runtime's fused QLinearSoftmax overflow (onnx/qdq_graph.cpp). Symmetric
// activations keep their calibrated encoding. nullopt for any other tensor.
std::optional<Encoding> fixedOutputEncoding(const ir::Graph& graph, ir::ValueId value,
                                            const CalibrationOptions& options);

// Encodings from the observed activations and the graph's weights (Softmax and Sigmoid outputs:
// fixedOutputEncoding). Biases need the encodings of
// their node's input and weight; a bias whose input has none (an unobserved tensor) is skipped.
EncodingSet computeEncodings(const ir::Graph& graph,
                             const std::map<std::string, HistogramObserver>& observed,
                             const CalibrationConfig& config);

// The user's overrides replace the computed entries tensor by tensor (an override filed in the
// other section replaces the entry there too, so one tensor never has two encodings). Returns
// how many entries were replaced or added.
int applyOverrides(EncodingSet& encodings, const EncodingSet& overrides);

// The weights and biases calibration quantizes: (node input value, kind "weight" | "bias").
struct ParamUse {
    ir::ValueId value = ir::kNoValue;
    ir::NodeId node = ir::kNoNode;
    bool bias = false;
};
std::vector<ParamUse> quantizedParams(const ir::Graph& graph);

// "minmax" | "percentile" | "mse" | "entropy"; throws lb::Error listing them otherwise.
CalibrationMethod parseCalibrationMethod(const std::string& name);
std::string calibrationMethodName(CalibrationMethod method);

} // namespace lb::quant
