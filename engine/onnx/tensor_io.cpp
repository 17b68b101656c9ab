#include "onnx/tensor_io.h"

#include "core/error.h"
#include "core/file_io.h"
#include "onnx/proto_convert.h"

#include <onnx/onnx-data.pb.h>

#include <fstream>
#include <sstream>

namespace lb::onnx {

NamedTensor readTensorProtoFile(const std::string& path) {
    const std::string bytes = readFileBytes(path);
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
    writeFileBytes(path, bytes);
}

namespace {

detail::SourceInfo sourceOf(const std::string& path) {
    const auto slash = path.find_last_of('/');
    return {path, slash == std::string::npos ? "." : path.substr(0, slash)};
}

Tensor sequenceFromProto(const ::onnx::SequenceProto& proto, const std::string& path) {
    if (proto.elem_type() != ::onnx::SequenceProto::TENSOR &&
        proto.elem_type() != ::onnx::SequenceProto::UNDEFINED)
        fail(quoted(path), ": only sequences of tensors are supported (elem_type ",
             proto.elem_type(), ")");
    if (proto.sparse_tensor_values_size() || proto.sequence_values_size() ||
        proto.map_values_size() || proto.optional_values_size())
        fail(quoted(path), ": only sequences of dense tensors are supported");
    std::vector<Tensor> items;
    for (int i = 0; i < proto.tensor_values_size(); ++i)
        items.push_back(detail::tensorFromProto(proto.tensor_values(i), sourceOf(path),
                                                "sequence element " + std::to_string(i)));
    const DataType type = items.empty() ? DataType::Undefined : items[0].dtype();
    for (size_t i = 1; i < items.size(); ++i)
        if (items[i].dtype() != type)
            fail(quoted(path), ": sequence element ", i, " is ", dtypeName(items[i].dtype()),
                 ", element 0 is ", dtypeName(type), " (a sequence holds one element type)");
    return Tensor::sequence(type, std::move(items));
}

// protobuf parses the bytes of one message type as another without complaint when the wire
// types happen to fit; fields it could not place are the sign that the file holds something else
// (a TensorProto's dims and raw_data, say, where a SequenceProto was expected).
template <typename Message>
void parseAs(Message& proto, const std::string& bytes, const std::string& path,
             const char* typeName) {
    if (!proto.ParseFromString(bytes) || !proto.unknown_fields().empty())
        fail(quoted(path), ": not a serialized ", typeName);
}

Tensor optionalFromProto(const ::onnx::OptionalProto& proto, const std::string& path) {
    using P = ::onnx::OptionalProto;
    const int type = proto.elem_type();
    if (type == P::TENSOR || (type == P::UNDEFINED && proto.has_tensor_value())) {
        const Tensor item =
            detail::tensorFromProto(proto.tensor_value(), sourceOf(path), "optional's tensor");
        return Tensor::optional(item.dtype(), &item);
    }
    if (type == P::SEQUENCE || (type == P::UNDEFINED && proto.has_sequence_value())) {
        const Tensor item = sequenceFromProto(proto.sequence_value(), path);
        return Tensor::optional(item.dtype(), &item);
    }
    if (type != P::UNDEFINED)
        fail(quoted(path), ": only optionals of a tensor or a sequence of tensors are supported "
                           "(elem_type ",
             type, ")");
    return Tensor::optional(DataType::Undefined, nullptr);
}

void sequenceToProto(const Tensor& value, ::onnx::SequenceProto* proto) {
    proto->set_elem_type(::onnx::SequenceProto::TENSOR);
    for (const Tensor& item : value.items())
        detail::tensorToProto(item, {}, proto->add_tensor_values());
}

} // namespace

Tensor readValueProtoFile(const std::string& path, ValueKind kind) {
    if (kind == ValueKind::Tensor)
        return readTensorProtoFile(path).tensor;
    const std::string bytes = readFileBytes(path);
    if (kind == ValueKind::Sequence) {
        ::onnx::SequenceProto proto;
        parseAs(proto, bytes, path, "SequenceProto");
        return sequenceFromProto(proto, path);
    }
    ::onnx::OptionalProto proto;
    parseAs(proto, bytes, path, "OptionalProto");
    return optionalFromProto(proto, path);
}

void writeValueProtoFile(const std::string& path, const Tensor& value, const std::string& name) {
    std::string bytes;
    bool ok = false;
    if (value.isSequence()) {
        ::onnx::SequenceProto proto;
        proto.set_name(name);
        sequenceToProto(value, &proto);
        ok = proto.SerializeToString(&bytes);
    } else if (value.isOptional()) {
        ::onnx::OptionalProto proto;
        proto.set_name(name);
        proto.set_elem_type(::onnx::OptionalProto::UNDEFINED);
        if (!value.items().empty()) {
            const Tensor& item = value.items().front();
            if (item.isSequence()) {
                proto.set_elem_type(::onnx::OptionalProto::SEQUENCE);
                sequenceToProto(item, proto.mutable_sequence_value());
            } else {
                proto.set_elem_type(::onnx::OptionalProto::TENSOR);
                detail::tensorToProto(item, {}, proto.mutable_tensor_value());
            }
        }
        ok = proto.SerializeToString(&bytes);
    } else {
        ::onnx::TensorProto proto;
        detail::tensorToProto(value, name, &proto);
        ok = proto.SerializeToString(&bytes);
    }
    if (!ok)
        fail(quoted(path), ": cannot serialize value");
    writeFileBytes(path, bytes);
}

Tensor readValueFile(const std::string& path, ValueKind kind) {
    const bool npy = path.size() >= 4 && path.compare(path.size() - 4, 4, ".npy") == 0;
    if (!npy)
        return readValueProtoFile(path, kind);
    if (kind == ValueKind::Sequence)
        fail(quoted(path), ": a .npy file holds one tensor, not a sequence of tensors (give a "
                           "SequenceProto .pb)");
    const Tensor t = readNpy(path);
    return kind == ValueKind::Optional ? Tensor::optional(t.dtype(), &t) : t;
}

Tensor readTensorFile(const std::string& path) {
    if (path.size() >= 4 && path.compare(path.size() - 4, 4, ".npy") == 0)
        return readNpy(path);
    return readTensorProtoFile(path).tensor;
}

} // namespace lb::onnx
