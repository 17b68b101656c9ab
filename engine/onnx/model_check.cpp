// checkModelBytes (onnx/exporter.h).
#include "core/error.h"
#include "onnx/exporter.h"

#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

namespace lb::onnx {

namespace {

std::string firstLine(const std::string& s) {
    return s.substr(0, s.find('\n'));
}

} // namespace

void checkModelBytes(const std::string& bytes, const std::string& what) {
    ::onnx::ModelProto model;
    if (!model.ParseFromString(bytes))
        fail(what, ": the exported model does not parse back");
    try {
        ::onnx::checker::check_model(model);
        ::onnx::shape_inference::InferShapes(model, ::onnx::OpSchemaRegistry::Instance(),
                                             ::onnx::ShapeInferenceOptions(true, 1, false));
    } catch (const std::exception& e) {
        fail(what, ": onnx checker: ", firstLine(e.what()));
    }
}

} // namespace lb::onnx
