#include "onnx/qdq_export.h"

#include "core/error.h"
#include "onnx/exporter.h"

#include <fstream>
#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

namespace lb::onnx {

namespace {

std::string firstLine(const std::string& s) {
    return s.substr(0, s.find('\n'));
}

// The checker, then shape inference in its strict mode (type checks, node errors thrown): what
// onnx.checker.check_model(full_check=True) does in Python.
void checkQdqModel(const std::string& bytes, const std::string& what) {
    ::onnx::ModelProto model;
    if (!model.ParseFromString(bytes))
        fail(what, ": the exported QDQ model does not parse back");
    try {
        ::onnx::checker::check_model(model);
        ::onnx::shape_inference::InferShapes(model, ::onnx::OpSchemaRegistry::Instance(),
                                             ::onnx::ShapeInferenceOptions(true, 1, false));
    } catch (const std::exception& e) {
        fail(what, ": onnx checker: ", firstLine(e.what()));
    }
}

} // namespace

std::string exportQdqModelToBytes(const ir::Graph& graph, const quant::EncodingSet& encodings,
                                  QdqExportResult* result) {
    QdqExportResult r = buildQdqGraph(graph, encodings);
    std::string bytes = exportModelToBytes(r.graph);
    checkQdqModel(bytes, "QDQ export of " + quoted(graph.name));
    if (result)
        *result = std::move(r);
    return bytes;
}

void saveQdqModel(const ir::Graph& graph, const quant::EncodingSet& encodings,
                  const std::string& path, QdqExportResult* result) {
    const std::string bytes = exportQdqModelToBytes(graph, encodings, result);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        fail(path, ": cannot open for writing");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out)
        fail(path, ": write failed");
}

} // namespace lb::onnx
