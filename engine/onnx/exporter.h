#pragma once

#include "ir/graph.h"

#include <string>

namespace lb::onnx {

// Serialises the IR back to an ONNX ModelProto (initializers inline). Round-trips what
// importModel reads. Throws lb::Error naming the file on I/O failure.
std::string exportModelToBytes(const ir::Graph& graph);
void saveModel(const ir::Graph& graph, const std::string& path);

} // namespace lb::onnx
