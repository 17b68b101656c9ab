#pragma once

#include "ir/graph.h"
#include "quant/encoding_set.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace lb::quant {

struct FakeQuantResult {
    // Original tensor name -> the value that carries its quantized version in the transformed
    // graph (the same name for node outputs, "<input>__fq" for graph inputs).
    std::map<std::string, std::string> quantizedValue;
    int activations = 0; // FakeQuant nodes inserted
    int params = 0;      // weights/biases replaced by their fake-quantized values
    // Encodings that were not simulated, one line each (float encodings, non-float tensors).
    std::vector<std::string> skipped;
};

// Quantization simulation as a graph transform, on the graph whose tensor names the encodings
// use (the user's model, before any pass). Every activation with an encoding gets a FakeQuant
// node (ops/fake_quant_op.h): the producer now writes "<name>__float" and the FakeQuant writes
// <name>, so graph outputs keep their names and every reader sees the quantized tensor; a graph
// input X gets FakeQuant(X) -> "X__fq" read by all of X's consumers. Every param (initializer or
// Constant output) with an encoding is replaced by its fake-quantized values (a Constant becomes
// an initializer). Per-channel encodings without an axis take it from weightChannelAxis.
// `only`, when given, restricts the transform to those tensor names (isolated sensitivity runs).
// Tensors the graph does not have are ignored here (checkNames reports them). Throws lb::Error
// naming the tensor when an encoding does not fit it (channel count, bad scale).
FakeQuantResult applyFakeQuant(ir::Graph& graph, const EncodingSet& encodings,
                               const std::set<std::string>* only = nullptr);

// The float32 data of a param: its initializer or its Constant node's value; nullptr otherwise.
const Tensor* paramTensor(const ir::Graph& graph, ir::ValueId value);

} // namespace lb::quant
