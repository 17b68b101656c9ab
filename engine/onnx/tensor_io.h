#pragma once

#include "core/npy.h"
#include "core/tensor.h"

#include <string>

namespace lb::onnx {

struct NamedTensor {
    std::string name; // TensorProto.name; empty for .npy files
    Tensor tensor;
};

// Reads a serialized TensorProto (.pb, as in the ONNX test data sets). Throws lb::Error naming
// the file when it is missing, not a TensorProto, or its data does not match its shape.
NamedTensor readTensorProtoFile(const std::string& path);
void writeTensorProtoFile(const std::string& path, const Tensor& tensor,
                          const std::string& name = {});

// NumPy .npy: core/npy.h, which needs no protobuf; named here too for callers of this header.
using lb::readNpy;
using lb::writeNpy;

// A serialized SequenceProto (of tensors) or OptionalProto (of a tensor or a sequence), as the
// ONNX test data sets keep sequence and optional values; the kind says which to expect.
Tensor readValueProtoFile(const std::string& path, ValueKind kind);

// Either format, chosen by the extension (.npy, otherwise TensorProto).
Tensor readTensorFile(const std::string& path);

// A value of the given kind from a file (what `run --input` reads for an input of that kind):
// .npy holds one tensor (a tensor, or the tensor of an optional); any other file is a serialized
// TensorProto, SequenceProto or OptionalProto as the kind says. Throws lb::Error naming the file
// when it cannot hold that kind.
Tensor readValueFile(const std::string& path, ValueKind kind);
// A sequence as a SequenceProto, an optional as an OptionalProto (an empty one with elem_type
// UNDEFINED), a tensor as a TensorProto: what ONNX's test data and onnx.numpy_helper read.
void writeValueProtoFile(const std::string& path, const Tensor& value,
                         const std::string& name = {});

} // namespace lb::onnx
