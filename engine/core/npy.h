#pragma once

#include "core/tensor.h"

#include <string>

namespace lb {

// NumPy .npy (format 1.0-3.0, little-endian, C order). Throws naming the file on anything else.
// float16 is numpy's '<f2'. numpy has no bfloat16: writeNpy writes a bfloat16 tensor as float32
// (exact), and runtime::loadInputFiles gives a bfloat16 input a float32 file (rounded to nearest
// even) or a uint16 file (the raw bit patterns, as ml_dtypes' array.view(np.uint16) holds them).
// Here rather than in onnx/ so that code without protobuf (the runtime, a device runner) reads and
// writes tensors in the format the CLI and ONNX Runtime's scripts exchange.
Tensor readNpy(const std::string& path);
void writeNpy(const std::string& path, const Tensor& tensor);

} // namespace lb
