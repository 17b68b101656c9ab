#include "runtime/inputs.h"

#include "core/error.h"
#include "core/half.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace lb::runtime {

namespace fs = std::filesystem;

namespace {

const ir::Value& inputNamed(const ir::Graph& g, const std::string& name) {
    for (ir::ValueId v : realInputs(g))
        if (g.value(v).name == name)
            return g.value(v);
    std::string names;
    for (ir::ValueId v : realInputs(g))
        names += (names.empty() ? "" : ", ") + quoted(g.value(v).name);
    fail("the model has no input ", quoted(name), " (inputs: ", names, ")");
}

Tensor readRaw(const std::string& path, const ir::Value& input) {
    auto shape = input.shape ? concreteShape(*input.shape) : std::nullopt;
    if (!shape)
        fail(path, ": a .raw file needs input ", quoted(input.name),
             " to have a fixed shape, it is ",
             input.shape ? shapeToString(*input.shape) : std::string("unknown"),
             " (fix it with --shape)");
    if (input.dtype != DataType::Float32 && input.dtype != DataType::Undefined)
        fail(path, ": .raw files hold float32, input ", quoted(input.name), " is ",
             dtypeName(input.dtype), " (use .npy)");
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in)
        fail(path, ": cannot open");
    const auto bytes = static_cast<int64_t>(in.tellg());
    Tensor t(DataType::Float32, *shape);
    if (bytes != static_cast<int64_t>(t.byteSize()))
        fail(path, ": holds ", bytes, " bytes, input ", quoted(input.name), " of shape ",
             shapeToString(*shape), " needs ", t.byteSize(), " bytes of float32");
    in.seekg(0);
    in.read(static_cast<char*>(t.rawData()), bytes);
    return t;
}

// numpy has no bfloat16 (core/npy.h): a bfloat16 input takes float32 values, rounded to nearest
// even, or uint16 bit patterns as they are.
Tensor asBfloat16(const Tensor& t, const std::string& path, const ir::Value& input) {
    Tensor out(DataType::BFloat16, t.shape());
    if (t.dtype() == DataType::UInt16) {
        if (t.byteSize())
            std::memcpy(out.rawData(), t.rawData(), t.byteSize());
    } else if (t.dtype() == DataType::Float32) {
        for (int64_t i = 0; i < t.numel(); ++i)
            out.data<uint16_t>()[i] = floatToBfloat16(t.data<float>()[i]);
    } else {
        fail(path, ": holds ", dtypeName(t.dtype()), ", bfloat16 input ", quoted(input.name),
             " takes float32 values or uint16 bit patterns (numpy has no bfloat16)");
    }
    return out;
}

// What an input takes, for errors: "a tensor of float32", "a sequence of tensors of float32",
// "an optional sequence of tensors of float32".
std::string takesText(const ir::Value& input) {
    const std::string type =
        input.dtype == DataType::Undefined ? std::string() : " of " + dtypeName(input.dtype);
    const std::string tensor = "tensor" + type;
    const std::string sequence = "sequence of tensors" + type;
    switch (input.kind) {
    case ValueKind::Sequence:
        return "a " + sequence + " (a SequenceProto .pb)";
    case ValueKind::Optional:
        return input.elementKind == ValueKind::Sequence
                   ? "an optional " + sequence + " (an OptionalProto .pb)"
                   : "an optional " + tensor + " (an OptionalProto .pb, or a .npy)";
    case ValueKind::Tensor:
        break;
    }
    return "a " + tensor;
}

// `read`, with its error prefixed by the input it was for and what that input takes.
Tensor readFor(const std::string& path, const ir::Value& input, const TensorFileReader& read) {
    try {
        return read(path, input.kind);
    } catch (const Error& e) {
        fail("input ", quoted(input.name), " takes ", takesText(input), ": ", e.what());
    }
}

void checkShape(const std::string& path, const Tensor& t, const ir::Value& input,
                const std::string& what) {
    if (!input.shape)
        return;
    bool ok = input.shape->size() == t.shape().size();
    for (size_t d = 0; ok && d < t.shape().size(); ++d)
        ok = !(*input.shape)[d].isKnown() || (*input.shape)[d].value == t.shape()[d];
    if (!ok)
        fail(path, ": ", what, "has shape ", shapeToString(t.shape()), ", input ",
             quoted(input.name), " takes ", shapeToString(*input.shape));
}

// A sequence or optional input: the value's kind, its element's kind, and every tensor's dtype
// and shape as the model declares them.
Tensor readValueInput(const std::string& path, const ir::Value& input,
                      const TensorFileReader& read) {
    if (fs::path(path).extension() == ".raw")
        fail(path, ": input ", quoted(input.name), " takes ", takesText(input),
             "; a .raw file holds one float32 tensor");
    Tensor value = readFor(path, input, read);
    if (value.kind() != input.kind)
        fail(path, ": input ", quoted(input.name), " takes ", takesText(input),
             ", the file holds another kind of value");
    const Tensor* sequence = &value;
    if (value.isOptional()) {
        if (value.items().empty())
            return value; // none: nothing more to check
        sequence = &value.items().front();
        const bool isSequence = sequence->isSequence();
        if (isSequence != (input.elementKind == ValueKind::Sequence))
            fail(path, ": input ", quoted(input.name), " takes ", takesText(input),
                 ", the file holds an optional ", isSequence ? "sequence" : "tensor");
        if (!isSequence) {
            if (input.dtype != DataType::Undefined && sequence->dtype() != input.dtype)
                fail(path, ": holds ", dtypeName(sequence->dtype()), ", input ",
                     quoted(input.name), " takes ", takesText(input));
            checkShape(path, *sequence, input, "");
            return value;
        }
    }
    for (size_t i = 0; i < sequence->items().size(); ++i) {
        const Tensor& item = sequence->items()[i];
        const std::string what = "element " + std::to_string(i) + " ";
        if (input.dtype != DataType::Undefined && item.dtype() != input.dtype)
            fail(path, ": ", what, "holds ", dtypeName(item.dtype()), ", input ",
                 quoted(input.name), " takes ", takesText(input));
        checkShape(path, item, input, what);
    }
    return value;
}

Tensor readInput(const std::string& path, const ir::Value& input, const TensorFileReader& read) {
    if (input.kind != ValueKind::Tensor)
        return readValueInput(path, input, read);
    const std::string ext = fs::path(path).extension().string();
    Tensor t = ext == ".raw" ? readRaw(path, input) : readFor(path, input, read);
    if (t.kind() != ValueKind::Tensor)
        fail(path, ": input ", quoted(input.name), " takes ", takesText(input),
             ", the file holds a sequence or an optional");
    if (input.dtype == DataType::BFloat16 && t.dtype() != DataType::BFloat16)
        t = asBfloat16(t, path, input);
    if (input.dtype != DataType::Undefined && t.dtype() != input.dtype)
        fail(path, ": holds ", dtypeName(t.dtype()), ", input ", quoted(input.name), " takes ",
             dtypeName(input.dtype));
    checkShape(path, t, input, "");
    return t;
}

} // namespace

std::vector<ir::ValueId> realInputs(const ir::Graph& graph) {
    std::vector<ir::ValueId> out;
    for (ir::ValueId v : graph.inputs())
        if (!graph.isInitializer(v))
            out.push_back(v);
    return out;
}

std::map<std::string, Tensor> loadInputFiles(const ir::Graph& graph,
                                             const std::map<std::string, std::string>& files,
                                             const TensorFileReader& read) {
    std::map<std::string, Tensor> out;
    for (const auto& [name, path] : files)
        out[name] = readInput(path, inputNamed(graph, name), read);
    return out;
}

std::vector<std::map<std::string, Tensor>>
loadInputList(const ir::Graph& graph, const std::string& listPath, const TensorFileReader& read) {
    std::ifstream in(listPath);
    if (!in)
        fail(listPath, ": cannot open input list");
    const fs::path base = fs::path(listPath).parent_path();
    const auto inputs = realInputs(graph);
    std::vector<std::map<std::string, Tensor>> samples;
    std::string line;
    int lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty() || line[0] == '#')
            continue;
        std::istringstream words(line);
        std::string word;
        std::map<std::string, std::string> files;
        while (words >> word) {
            const auto sep = word.find(":=");
            std::string name, path;
            if (sep == std::string::npos) {
                if (inputs.size() != 1)
                    fail(listPath, ":", lineNo, ": ", quoted(word),
                         " has no 'name:=' but the model has ", inputs.size(), " inputs");
                name = graph.value(inputs[0]).name;
                path = word;
            } else {
                name = word.substr(0, sep);
                path = word.substr(sep + 2);
            }
            if (fs::path(path).is_relative())
                path = (base / path).string();
            files[name] = path;
        }
        try {
            samples.push_back(loadInputFiles(graph, files, read));
        } catch (const Error& e) {
            fail(listPath, ":", lineNo, ": ", e.what());
        }
        for (ir::ValueId v : inputs)
            if (!samples.back().count(graph.value(v).name))
                fail(listPath, ":", lineNo, ": no file for input ", quoted(graph.value(v).name));
    }
    if (samples.empty())
        fail(listPath, ": the input list has no samples");
    return samples;
}

std::map<std::string, Tensor> randomInputs(const ir::Graph& graph, uint64_t seed,
                                           const std::map<std::string, Tensor>& given) {
    std::mt19937_64 rng(seed);
    std::map<std::string, Tensor> out;
    for (ir::ValueId v : realInputs(graph)) {
        const ir::Value& info = graph.value(v);
        if (info.kind != ValueKind::Tensor) {
            if (given.count(info.name))
                continue;
            fail("input ", quoted(info.name), " takes ", takesText(info),
                 ", which has no random form: give it with --input ", info.name, "=FILE");
        }
        auto shape = info.shape ? concreteShape(*info.shape) : std::nullopt;
        if (!shape)
            fail("input ", quoted(info.name), " has shape ",
                 info.shape ? shapeToString(*info.shape) : std::string("?"),
                 " with unknown dims: fix them with --shape ", info.name, "=DIMS");
        const DataType type = info.dtype == DataType::Undefined ? DataType::Float32 : info.dtype;
        Tensor t(type, *shape);
        std::uniform_real_distribution<float> unit(0.0f, 1.0f);
        for (int64_t i = 0; i < t.numel(); ++i) {
            switch (type) {
            case DataType::Float32:
                t.data<float>()[i] = unit(rng);
                break;
            case DataType::Float64:
                t.data<double>()[i] = unit(rng);
                break;
            case DataType::Float16:
                t.data<uint16_t>()[i] = floatToHalf(unit(rng));
                break;
            case DataType::BFloat16:
                t.data<uint16_t>()[i] = floatToBfloat16(unit(rng));
                break;
            case DataType::Int64:
                t.data<int64_t>()[i] = static_cast<int64_t>(rng() % 10);
                break;
            case DataType::Int32:
                t.data<int32_t>()[i] = static_cast<int32_t>(rng() % 10);
                break;
            case DataType::Int16:
                t.data<int16_t>()[i] = static_cast<int16_t>(rng() % 10);
                break;
            case DataType::UInt16:
                t.data<uint16_t>()[i] = static_cast<uint16_t>(rng() % 10);
                break;
            case DataType::UInt32:
                t.data<uint32_t>()[i] = static_cast<uint32_t>(rng() % 10);
                break;
            case DataType::UInt64:
                t.data<uint64_t>()[i] = rng() % 10;
                break;
            case DataType::UInt8:
                t.data<uint8_t>()[i] = static_cast<uint8_t>(rng() % 256);
                break;
            case DataType::Int8:
                t.data<int8_t>()[i] = static_cast<int8_t>(rng() % 256);
                break;
            case DataType::Bool:
                t.data<uint8_t>()[i] = static_cast<uint8_t>(rng() % 2);
                break;
            default:
                fail("input ", quoted(info.name), ": random values of type ", dtypeName(type),
                     " are not supported");
            }
        }
        out[info.name] = std::move(t);
    }
    return out;
}

std::string safeFileName(const std::string& name) {
    std::string out = name;
    for (char& c : out)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-'))
            c = '_';
    if (out.empty() || out == "." || out == "..")
        out = "_" + out;
    return out;
}

} // namespace lb::runtime
