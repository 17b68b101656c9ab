#include "onnx/tensor_io.h"

#include "core/error.h"
#include "onnx/proto_convert.h"

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

Tensor readTensorFile(const std::string& path) {
    if (path.size() >= 4 && path.compare(path.size() - 4, 4, ".npy") == 0)
        return readNpy(path);
    return readTensorProtoFile(path).tensor;
}

} // namespace lb::onnx
