#include "onnx/importer.h"

#include "core/error.h"
#include "onnx/proto_convert.h"

#include <filesystem>
#include <fstream>
#include <google/protobuf/arena.h>
#include <google/protobuf/io/coded_stream.h>
#include <limits>
#include <onnx/checker.h>
#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>
#include <sstream>

namespace lb::onnx {

namespace fs = std::filesystem;
using namespace detail;

namespace {

// IR versions onnx 1.12 understands.
constexpr int64_t kMaxIrVersion = 8;

std::string firstLine(const std::string& text) {
    const auto end = text.find('\n');
    return end == std::string::npos ? text : text.substr(0, end);
}

void checkVersions(const ::onnx::ModelProto& model, const std::string& file) {
    if (model.ir_version() <= 0 || model.ir_version() > kMaxIrVersion)
        fail(file, ": IR version ", model.ir_version(), " is not supported (expected 1 to ",
             kMaxIrVersion, ")");
    const auto ranges = ::onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
    bool hasDefault = false;
    for (const auto& opset : model.opset_import()) {
        const std::string domain = opset.domain() == "ai.onnx" ? "" : opset.domain();
        auto it = ranges.find(domain);
        if (domain.empty())
            hasDefault = true;
        if (it != ranges.end() && opset.version() > it->second.second)
            fail(file, ": opset ", opset.version(), " of domain ",
                 lb::quoted(domain.empty() ? "ai.onnx" : domain),
                 " is newer than this build supports (up to ", it->second.second, ")");
        if (it != ranges.end() && opset.version() < 1)
            fail(file, ": opset ", opset.version(), " of domain ",
                 lb::quoted(domain.empty() ? "ai.onnx" : domain), " is invalid");
    }
    if (!hasDefault)
        fail(file, ": no opset import for the default domain 'ai.onnx'");
}

void fixInputShapes(::onnx::ModelProto& model, const ImportOptions& options,
                    const std::string& file) {
    if (options.inputShapes.empty())
        return;
    auto& graph = *model.mutable_graph();
    std::set<std::string> initializers;
    for (const auto& t : graph.initializer())
        initializers.insert(t.name());
    for (const auto& [name, shape] : options.inputShapes) {
        ::onnx::ValueInfoProto* input = nullptr;
        for (auto& v : *graph.mutable_input())
            if (v.name() == name && !initializers.count(name))
                input = &v;
        if (!input) {
            std::string names;
            for (const auto& v : graph.input())
                if (!initializers.count(v.name()))
                    names += (names.empty() ? "" : ", ") + lb::quoted(v.name());
            fail(file, ": --shape names input ", lb::quoted(name), " but the model's inputs are ",
                 names);
        }
        auto* tensorType = input->mutable_type()->mutable_tensor_type();
        const auto& declared = tensorType->shape();
        if (tensorType->has_shape() && declared.dim_size() != static_cast<int>(shape.size()))
            fail(file, ": input ", lb::quoted(name), " has rank ", declared.dim_size(),
                 " but the shape given is ", shapeToString(shape));
        auto* dims = tensorType->mutable_shape();
        dims->clear_dim();
        for (int64_t d : shape)
            dims->add_dim()->set_dim_value(d);
    }
    // Stale intermediate shapes would conflict with the new ones; inference recomputes them.
    graph.clear_value_info();
    for (auto& out : *graph.mutable_output())
        if (out.type().has_tensor_type() && out.type().tensor_type().has_shape())
            for (auto& d :
                 *out.mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim())
                d.Clear(); // keeps the rank, forgets the dims
}

} // namespace

std::pair<std::string, Shape> parseInputShapeArg(const std::string& arg) {
    const auto eq = arg.rfind('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == arg.size())
        fail("shape argument ", lb::quoted(arg), ": expected NAME=DIMS like x=1x3x640x640");
    return {arg.substr(0, eq), parseShape(arg.substr(eq + 1))};
}

ImportResult importModelFromBytes(const std::string& bytes, const std::string& displayName,
                                  const std::string& baseDir, const ImportOptions& options,
                                  const TaskContext& task) {
    const std::string& file = displayName;
    task.report(0.0, "parse");
    checkModelWireFormat(bytes, file);
    // The proto lives in an arena: parsing a 100,000-node file makes a million small messages
    // and strings, and freeing them one by one took longer than parsing them.
    google::protobuf::ArenaOptions arenaOptions;
    arenaOptions.start_block_size = 64 * 1024;
    arenaOptions.max_block_size = 4 * 1024 * 1024;
    google::protobuf::Arena arena(arenaOptions);
    ::onnx::ModelProto& model = *google::protobuf::Arena::CreateMessage<::onnx::ModelProto>(&arena);
    {
        google::protobuf::io::CodedInputStream stream(
            reinterpret_cast<const uint8_t*>(bytes.data()), static_cast<int>(bytes.size()));
        stream.SetTotalBytesLimit(std::numeric_limits<int>::max());
        if (!model.ParseFromCodedStream(&stream) || !stream.ConsumedEntireMessage())
            fail(file, ": not an ONNX model (the protobuf inside is malformed)");
    }
    task.checkCancelled();
    checkVersions(model, file);
    inlineExternalData(model, SourceInfo{file, baseDir});
    task.report(0.2, "check");
    auto& graphProto = *model.mutable_graph();
    nameUnnamedNodes(graphProto);
    checkDanglingInputs(graphProto, {}, file);
    sortNodesTopologically(graphProto, file);
    checkShapes(graphProto, file);
    fixInputShapes(model, options, file);
    task.checkCancelled();
    if (options.runChecker) {
        try {
            ::onnx::checker::check_model(model);
        } catch (const ::onnx::checker::ValidationError& e) {
            fail(file, ": onnx checker: ", firstLine(e.what()));
        } catch (const std::exception& e) {
            fail(file, ": onnx checker: ", firstLine(e.what()));
        }
    }
    ImportResult result;
    result.path = displayName;
    task.report(0.4, "infer");
    task.checkCancelled();
    if (options.inferShapes) {
        try {
            ::onnx::ShapeInferenceOptions inferOptions(false, 0, true);
            ::onnx::shape_inference::InferShapes(model, ::onnx::OpSchemaRegistry::Instance(),
                                                 inferOptions);
        } catch (const std::exception& e) {
            result.warnings.push_back(file + ": shape inference stopped: " + firstLine(e.what()));
        }
        checkShapes(graphProto, file);
    }
    task.report(0.7, "convert");
    task.checkCancelled();
    ir::Graph& graph = result.graph;
    graph.irVersion = model.ir_version();
    graph.producerName = model.producer_name();
    graph.producerVersion = model.producer_version();
    for (const auto& opset : model.opset_import())
        graph.opsetImports[opset.domain() == "ai.onnx" ? "" : opset.domain()] = opset.version();
    for (const auto& kv : model.metadata_props())
        graph.metadata.emplace_back(kv.key(), kv.value());
    graphFromProto(graphProto, graph, SourceInfo{file, baseDir});
    task.report(1.0, "convert");
    return result;
}

ImportResult importModel(const std::string& path, const ImportOptions& options,
                         const TaskContext& task) {
    std::error_code ec;
    if (!fs::exists(path, ec))
        fail(path, ": no such file");
    if (fs::is_directory(path, ec))
        fail(path, ": is a folder, expected an .onnx file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        fail(path, ": cannot open the file for reading");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad())
        fail(path, ": read error");
    fs::path folder = fs::path(path).parent_path();
    if (folder.empty())
        folder = ".";
    return importModelFromBytes(buffer.str(), path, folder.string(), options, task);
}

} // namespace lb::onnx
