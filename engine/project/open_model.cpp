#include "project/open_model.h"

#include "core/error.h"
#include "core/sha256.h"
#include "onnx/importer.h"
#include "passes/complete_shapes.h"

#include <chrono>

namespace lb::project {

namespace {

double msSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
}

// `sha256`: the file's, when the caller has hashed it already.
OpenedModel open(const std::string& path, const std::map<std::string, Shape>& inputShapes,
                 const TaskContext& task, std::string sha256) {
    OpenedModel opened;
    auto start = std::chrono::steady_clock::now();
    onnx::ImportOptions options;
    options.inputShapes = inputShapes;
    onnx::ImportResult imported = onnx::importModel(path, options, task.phase(0.0, 0.9));
    opened.importMs = msSince(start);
    opened.warnings = std::move(imported.warnings);
    passes::completeShapes(imported.graph);
    auto graph = std::make_shared<const ir::Graph>(std::move(imported.graph));
    task.checkCancelled();

    start = std::chrono::steady_clock::now();
    opened.version = ModelVersion(path, sha256.empty() ? sha256File(path) : sha256, inputShapes);
    opened.hashMs = msSince(start);
    task.checkCancelled();

    start = std::chrono::steady_clock::now();
    task.report(0.9, "summary");
    auto summary = std::make_shared<const report::ModelSummary>(report::summarize(*graph, path));
    opened.summaryMs = msSince(start);
    opened.version.setGraph(std::move(graph), std::move(summary));
    task.checkCancelled();
    return opened;
}

} // namespace

OpenedModel openModel(const std::string& path, const std::map<std::string, Shape>& inputShapes,
                      const TaskContext& task) {
    return open(path, inputShapes, task, {});
}

void loadModelVersion(ModelVersion& version, const TaskContext& task) {
    // Hashed first: a changed file is named as changed, whatever its new bytes hold.
    const std::string sha256 = sha256File(version.path());
    if (!version.sha256().empty() && sha256 != version.sha256())
        fail(version.path(), ": the file changed since the project was saved (SHA-256 ", sha256,
             ", expected ", version.sha256(), ")");
    const OpenedModel opened = open(version.path(), version.inputShapes(), task, sha256);
    version.setGraph(opened.version.graph(), opened.version.summary());
}

} // namespace lb::project
