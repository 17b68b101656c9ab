#pragma once

#include "core/tensor.h"
#include "ir/graph.h"
#include "quant/encoding.h"

namespace lb::quant {

// The output-channel axis of a weight, from the node that reads it as its weight input: Conv
// 0, ConvTranspose 1, Gemm 0 when transB = 1 else 1, MatMul the last axis. -1 when no consumer
// reads it as such a weight (or the consumers disagree).
int weightChannelAxis(const ir::Graph& graph, ir::ValueId weight);

// One encoding per slice along `axis` of a float32 weight from that slice's min/max
// (symmetric: scale = max|w| / (2^(bw-1) - 1)). Throws naming `tensor` for a bad axis or dtype.
Encoding perChannelWeightEncoding(const Tensor& weight, int axis, int bitwidth, bool symmetric,
                                  const std::string& tensor = "weight",
                                  SymmetricMode mode = SymmetricMode::Default);

// The 32-bit bias encoding QNN derives: scale = input_scale * weight_scale (per weight
// channel), zero point 0. In the files' unsigned-storage convention that is a symmetric encoding
// with offset -2^31, i.e. offset 0 in QNN's signed int32 (sfixed) storage. `channels` is the
// bias length; a per-tensor weight encoding is broadcast to it.
Encoding biasEncoding(const Encoding& input, const Encoding& weight, int64_t channels,
                      const std::string& tensor = "bias");

} // namespace lb::quant
