#pragma once

#include "core/tensor.h"

#include <string>

namespace lb {

// NumPy .npy (format 1.0-3.0, little-endian, C order). Throws naming the file on anything else.
// float16 is numpy's '<f2'; strings are numpy's fixed-width '<U' (UTF-32, read and written as
// UTF-8 tensors). numpy has no bfloat16: writeNpy writes its bit patterns as uint16 (as ONNX's
// test data stores them), and runtime::loadInputFiles gives a bfloat16 input a float32 file
// (rounded to nearest even) or a uint16 file (the bit patterns, as ml_dtypes'
// array.view(np.uint16) holds them).
// Here rather than in onnx/ so that code without protobuf (the runtime, a device runner) reads and
// writes tensors in the format the CLI and ONNX Runtime's scripts exchange.
Tensor readNpy(const std::string& path);
void writeNpy(const std::string& path, const Tensor& tensor);

} // namespace lb
