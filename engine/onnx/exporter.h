#pragma once

#include "ir/graph.h"

#include <string>

namespace lb::onnx {

// Serialises the IR back to an ONNX ModelProto (initializers inline). Round-trips what
// importModel reads. Throws lb::Error naming the file on I/O failure.
std::string exportModelToBytes(const ir::Graph& graph);
void saveModel(const ir::Graph& graph, const std::string& path);

// The onnx checker on a serialised model, then shape inference in its strict mode (type checks,
// node errors thrown): what onnx.checker.check_model(full_check=True) does in Python. Throws
// lb::Error "<what>: onnx checker: <the checker's first line>".
void checkModelBytes(const std::string& bytes, const std::string& what);

} // namespace lb::onnx
