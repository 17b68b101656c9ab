#include "core/error.h"
#include "onnx/proto_convert.h"

#include <charconv>
#include <filesystem>
#include <fstream>

namespace lb::onnx::detail {

namespace fs = std::filesystem;

namespace {

bool isInside(const fs::path& folder, const fs::path& file) {
    auto f = folder.begin();
    auto p = file.begin();
    for (; f != folder.end(); ++f, ++p) {
        if (f->empty() && std::next(f) == folder.end())
            break; // trailing separator
        if (p == file.end() || *f != *p)
            return false;
    }
    return true;
}

int64_t parseNumber(const std::string& text, const std::string& context, const char* key) {
    int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v < 0)
        fail(context, ": external data ", key, " ", lb::quoted(text),
             " is not a non-negative integer");
    return v;
}

void resolveTensor(::onnx::TensorProto& tensor, const SourceInfo& source, const std::string& what) {
    if (tensor.data_location() != ::onnx::TensorProto::EXTERNAL)
        return;
    const std::string context = source.displayName + ": " + what;
    std::string location;
    int64_t offset = 0;
    int64_t length = -1;
    for (const auto& kv : tensor.external_data()) {
        if (kv.key() == "location")
            location = kv.value();
        else if (kv.key() == "offset")
            offset = parseNumber(kv.value(), context, "offset");
        else if (kv.key() == "length")
            length = parseNumber(kv.value(), context, "length");
    }
    if (location.empty())
        fail(context, ": external data has no location");
    std::error_code ec;
    const fs::path folder = fs::weakly_canonical(fs::absolute(source.baseDir), ec);
    const fs::path rel(location);
    if (rel.is_absolute())
        fail(context, ": external data location ", lb::quoted(location),
             " is absolute; expected a path inside the model folder ", lb::quoted(folder.string()));
    const fs::path target = fs::weakly_canonical(folder / rel, ec);
    if (ec || !isInside(folder, target))
        fail(context, ": external data location ", lb::quoted(location),
             " escapes the model folder ", lb::quoted(folder.string()));
    std::ifstream in(target, std::ios::binary);
    if (!fs::is_regular_file(target, ec) || !in)
        fail(context, ": external data file ", lb::quoted(location),
             " is missing or unreadable in ", lb::quoted(folder.string()));
    const auto fileSize = static_cast<int64_t>(fs::file_size(target, ec));
    if (offset > fileSize)
        fail(context, ": external data offset ", offset, " is past the end of ",
             lb::quoted(location), " (", fileSize, " bytes)");
    if (length < 0)
        length = fileSize - offset;
    if (length > fileSize - offset)
        fail(context, ": external data offset ", offset, " + length ", length,
             " reads past the end of ", lb::quoted(location), " (", fileSize, " bytes)");
    std::string data(static_cast<size_t>(length), '\0');
    in.seekg(offset);
    if (!in.read(data.data(), length))
        fail(context, ": cannot read ", length, " bytes of external data from ",
             lb::quoted(location));
    tensor.set_raw_data(std::move(data));
    tensor.clear_external_data();
    tensor.set_data_location(::onnx::TensorProto::DEFAULT);
}

void resolveGraph(::onnx::GraphProto& graph, const SourceInfo& source);

void resolveAttribute(::onnx::AttributeProto& attr, const SourceInfo& source,
                      const std::string& nodeName) {
    const std::string what =
        "node " + lb::quoted(nodeName) + " attribute " + lb::quoted(attr.name());
    if (attr.has_t())
        resolveTensor(*attr.mutable_t(), source, what);
    for (auto& t : *attr.mutable_tensors())
        resolveTensor(t, source, what);
    if (attr.has_g())
        resolveGraph(*attr.mutable_g(), source);
    for (auto& g : *attr.mutable_graphs())
        resolveGraph(g, source);
}

void resolveGraph(::onnx::GraphProto& graph, const SourceInfo& source) {
    for (auto& init : *graph.mutable_initializer())
        resolveTensor(init, source, "initializer " + lb::quoted(init.name()));
    for (auto& node : *graph.mutable_node())
        for (auto& attr : *node.mutable_attribute())
            resolveAttribute(attr, source, node.name());
}

} // namespace

void inlineExternalData(::onnx::ModelProto& model, const SourceInfo& source) {
    resolveGraph(*model.mutable_graph(), source);
}

} // namespace lb::onnx::detail
