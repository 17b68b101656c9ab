#pragma once

#include "core/progress.h"
#include "core/shape.h"
#include "project/model_version.h"

#include <map>
#include <string>
#include <vector>

namespace lb::project {

struct OpenedModel {
    ModelVersion version;              // loaded: graph, summary and node map set
    std::vector<std::string> warnings; // the importer's (shape inference notes); never fatal
    double importMs = 0;               // reading and checking the file, ONNX shape inference
    double hashMs = 0;                 // the file's SHA-256
    double summaryMs = 0;
};

// Opens a model file as a version: imports it with `inputShapes` fixing symbolic dims, completes
// the shapes ONNX's inference leaves open (passes::completeShapes), hashes the file and
// summarizes the graph. Progress: "import" stages up to 0.9, then "summary". Throws lb::Error
// naming the file and the problem; lb::Cancelled when cancelled.
OpenedModel openModel(const std::string& path, const std::map<std::string, Shape>& inputShapes,
                      const TaskContext& task = {});

// Reads the model of a version from a project file again (its path and input shapes) and sets
// its graph. Throws lb::Error naming the file when it is gone or its bytes changed since the
// project was saved (another SHA-256).
void loadModelVersion(ModelVersion& version, const TaskContext& task = {});

} // namespace lb::project
