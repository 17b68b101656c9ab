#pragma once

#include "core/tensor.h"

#include <string>

namespace lb {

// NumPy .npy (format 1.0-3.0, little-endian, C order). Throws naming the file on anything else.
// Here rather than in onnx/ so that code without protobuf (the runtime, a device runner) reads and
// writes tensors in the format the CLI and ONNX Runtime's scripts exchange.
Tensor readNpy(const std::string& path);
void writeNpy(const std::string& path, const Tensor& tensor);

} // namespace lb
