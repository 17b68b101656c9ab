#include "args.h"

#include "core/error.h"
#include "onnx/importer.h"

namespace lb::cli {

std::pair<std::string, Shape> parseShapeOption(const std::string& value) {
    try {
        return onnx::parseInputShapeArg(value);
    } catch (const Error& e) {
        throw UsageError(e.what());
    }
}

void addShapeOption(std::map<std::string, Shape>& shapes, const std::string& value) {
    auto [name, shape] = parseShapeOption(value);
    shapes.insert_or_assign(name, std::move(shape));
}

} // namespace lb::cli
