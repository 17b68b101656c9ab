#pragma once

#include "core/progress.h"
#include "core/shape.h"
#include "ir/graph.h"

#include <map>
#include <string>
#include <vector>

namespace lb::onnx {

struct ImportOptions {
    // Fixes inputs with symbolic (or any) dims before shape inference: {"x", {1,3,640,640}}.
    std::map<std::string, Shape> inputShapes;
    bool runChecker = true;
    bool inferShapes = true;
};

struct ImportResult {
    ir::Graph graph;
    std::string path;
    std::vector<std::string> warnings; // e.g. shape inference notes; shown, never fatal
};

// Reads an ONNX model file into the IR: initializers (external data resolved inside the model's
// folder), Constant nodes, opsets, subgraphs, then runs the onnx checker and shape inference.
// Throws lb::Error with a one-line message naming the file and the problem (missing, not ONNX,
// truncated, cycle, dangling input, unsupported IR/opset version, overflowing shape, ...).
ImportResult importModel(const std::string& path, const ImportOptions& options = {},
                         const TaskContext& task = {});
// The same from bytes already in memory; `baseDir` resolves external data.
ImportResult importModelFromBytes(const std::string& bytes, const std::string& displayName,
                                  const std::string& baseDir, const ImportOptions& options = {},
                                  const TaskContext& task = {});

// Parses "x=1x3x640x640" as given to --shape.
std::pair<std::string, Shape> parseInputShapeArg(const std::string& arg);

} // namespace lb::onnx
