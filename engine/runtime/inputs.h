#pragma once

#include "core/tensor.h"
#include "ir/graph.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace lb::runtime {

// Reads one value file that is not .raw, for an input of the given kind: onnx::readValueFile
// (.npy, and TensorProto / SequenceProto / OptionalProto .pb), or lb::readNpy (core/npy.h) where
// protobuf is not linked. The runtime reads .raw itself and leaves the other formats to the
// caller, so it needs no protobuf.
using TensorFileReader = std::function<Tensor(const std::string& path, ValueKind kind)>;

// Input tensors for a run, from files:
//  - NAME=FILE.raw (float32, the input's declared shape), any other file through `read`
//    (NAME=FILE.npy of any dtype the model takes, NAME=FILE.pb with onnx::readValueFile);
//    sequence and optional inputs take the value of their kind (an optional input a .npy
//    tensor too, as a present optional);
//  - a QNN-style input_list.txt: one line per sample, either "path" for a single-input model or
//    "name:=path name2:=path2"; relative paths are relative to the list's folder.
// Errors name the file, the input and what was expected (kind, size, dtype, shape).
std::map<std::string, Tensor> loadInputFiles(const ir::Graph& graph,
                                             const std::map<std::string, std::string>& files,
                                             const TensorFileReader& read);
// Every sample of an input list (each a full set of inputs).
std::vector<std::map<std::string, Tensor>>
loadInputList(const ir::Graph& graph, const std::string& listPath, const TensorFileReader& read);

// Random inputs for the graph's inputs: floats uniform in [0, 1), integers in [0, 10), bools
// 0/1. Inputs with unknown dims throw an lb::Error that says to fix them (--shape NAME=DIMS).
// Sequence and optional inputs have no random form: those `given` already are left out, any
// other throws an lb::Error naming it and what it takes.
std::map<std::string, Tensor> randomInputs(const ir::Graph& graph, uint64_t seed,
                                           const std::map<std::string, Tensor>& given = {});

// Graph inputs that are real inputs (not initializers with a default value).
std::vector<ir::ValueId> realInputs(const ir::Graph& graph);

// "x:0/y" -> "x_0_y": characters outside A-Za-z0-9_.- replaced by '_' (for output files).
std::string safeFileName(const std::string& name);

} // namespace lb::runtime
