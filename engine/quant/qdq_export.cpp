#include "quant/qdq_export.h"

#include "core/error.h"
#include "onnx/exporter.h"

#include <fstream>

namespace lb::quant {

std::string exportQdqModelToBytes(const ir::Graph& graph, const EncodingSet& encodings,
                                  QdqExportResult* result) {
    QdqExportResult r = buildQdqGraph(graph, encodings);
    std::string bytes = onnx::exportModelToBytes(r.graph);
    onnx::checkModelBytes(bytes, "QDQ export of " + quoted(graph.name));
    if (result)
        *result = std::move(r);
    return bytes;
}

void saveQdqModel(const ir::Graph& graph, const EncodingSet& encodings, const std::string& path,
                  QdqExportResult* result) {
    const std::string bytes = exportQdqModelToBytes(graph, encodings, result);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        fail(path, ": cannot open for writing");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out)
        fail(path, ": write failed");
}

} // namespace lb::quant
