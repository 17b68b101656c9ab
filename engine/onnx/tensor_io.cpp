#include "onnx/tensor_io.h"

#include "core/error.h"
#include "onnx/proto_convert.h"

#include <onnx/onnx-data.pb.h>

#include <fstream>
#include <sstream>

namespace lb::onnx {

namespace {

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        fail(quoted(path), ": cannot open file");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

void writeFile(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out || !out.write(bytes.data(), static_cast<std::streamsize>(bytes.size())))
        fail(quoted(path), ": cannot write file");
}

} // namespace

NamedTensor readTensorProtoFile(const std::string& path) {
    const std::string bytes = readFile(path);
    ::onnx::TensorProto proto;
    if (!proto.ParseFromString(bytes))
        fail(quoted(path), ": not a serialized TensorProto");
    const auto slash = path.find_last_of('/');
    detail::SourceInfo source{path, slash == std::string::npos ? "." : path.substr(0, slash)};
    if (proto.data_location() == ::onnx::TensorProto::EXTERNAL)
        fail(quoted(path), ": tensors with external data are not supported here");
    return {proto.name(), detail::tensorFromProto(proto, source, "tensor " + quoted(proto.name()))};
}

void writeTensorProtoFile(const std::string& path, const Tensor& tensor, const std::string& name) {
    ::onnx::TensorProto proto;
    detail::tensorToProto(tensor, name, &proto);
    std::string bytes;
    if (!proto.SerializeToString(&bytes))
        fail(quoted(path), ": cannot serialize tensor");
    writeFile(path, bytes);
}

namespace {

Tensor sequenceFromProto(const ::onnx::SequenceProto& proto, const std::string& path) {
    if (proto.elem_type() != ::onnx::SequenceProto::TENSOR &&
        proto.elem_type() != ::onnx::SequenceProto::UNDEFINED)
        fail(quoted(path), ": only sequences of tensors are supported");
    const auto slash = path.find_last_of('/');
    detail::SourceInfo source{path, slash == std::string::npos ? "." : path.substr(0, slash)};
    std::vector<Tensor> items;
    for (const auto& t : proto.tensor_values())
        items.push_back(detail::tensorFromProto(t, source, "sequence element"));
    const DataType type = items.empty() ? DataType::Undefined : items[0].dtype();
    return Tensor::sequence(type, std::move(items));
}

} // namespace

Tensor readValueProtoFile(const std::string& path, ValueKind kind) {
    const std::string bytes = readFile(path);
    if (kind == ValueKind::Tensor)
        return readTensorProtoFile(path).tensor;
    if (kind == ValueKind::Sequence) {
        ::onnx::SequenceProto proto;
        if (!proto.ParseFromString(bytes))
            fail(quoted(path), ": not a serialized SequenceProto");
        return sequenceFromProto(proto, path);
    }
    ::onnx::OptionalProto proto;
    if (!proto.ParseFromString(bytes))
        fail(quoted(path), ": not a serialized OptionalProto");
    const auto slash = path.find_last_of('/');
    detail::SourceInfo source{path, slash == std::string::npos ? "." : path.substr(0, slash)};
    if (proto.has_tensor_value()) {
        const Tensor item = detail::tensorFromProto(proto.tensor_value(), source, "optional");
        return Tensor::optional(item.dtype(), &item);
    }
    if (proto.has_sequence_value()) {
        const Tensor item = sequenceFromProto(proto.sequence_value(), path);
        return Tensor::optional(item.dtype(), &item);
    }
    return Tensor::optional(DataType::Undefined, nullptr);
}

Tensor readTensorFile(const std::string& path) {
    if (path.size() >= 4 && path.compare(path.size() - 4, 4, ".npy") == 0)
        return readNpy(path);
    return readTensorProtoFile(path).tensor;
}

} // namespace lb::onnx
