#include "core/error.h"
#include "onnx/proto_convert.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace lb::onnx::detail {

namespace {

template <typename Src, typename Dst>
void copyConverted(const google::protobuf::RepeatedField<Src>& src, Tensor& t, size_t perElement) {
    Dst* out = t.data<Dst>();
    for (int i = 0; i < src.size(); ++i)
        out[i] = static_cast<Dst>(src.Get(i));
    (void)perElement;
}

void checkCount(int64_t have, int64_t need, const std::string& what, const char* field,
                const std::string& shape) {
    if (have != need)
        fail(what, ": ", field, " holds ", have, " values but shape ", shape, " needs ", need);
}

} // namespace

Tensor tensorFromProto(const ::onnx::TensorProto& proto, const SourceInfo& source,
                       const std::string& what) {
    const std::string file = source.displayName + ": " + what;
    if (!isValidDataType(proto.data_type()) || proto.data_type() == 0)
        fail(file, ": unsupported data type code ", proto.data_type());
    const auto type = static_cast<DataType>(proto.data_type());
    Shape shape(proto.dims().begin(), proto.dims().end());
    for (int64_t d : shape)
        if (d < 0)
            fail(file, ": negative dimension in shape ", shapeToString(shape));
    auto count = elementCount(shape);
    if (!count)
        fail(file, ": element count of shape ", shapeToString(shape), " overflows int64");
    if (proto.data_location() == ::onnx::TensorProto::EXTERNAL)
        fail(file, ": external data was not resolved");
    const std::string shapeText = shapeToString(shape) + " of " + dtypeName(type);
    const int64_t n = *count;
    // The sizes are checked against the data the proto holds before anything is allocated: dims
    // read from another kind of message (a SequenceProto parsed as a TensorProto, say) must end
    // in this one-line error, not in an allocation of their product.
    if (type == DataType::String) {
        checkCount(proto.string_data_size(), n, file, "string_data", shapeText);
        Tensor t(type, shape);
        for (int64_t i = 0; i < n; ++i)
            t.strings()[i] = proto.string_data(static_cast<int>(i));
        return t;
    }
    if (proto.has_raw_data()) {
        const std::string& raw = proto.raw_data();
        const auto elementBytes = static_cast<int64_t>(dtypeSize(type));
        if (n > std::numeric_limits<int64_t>::max() / std::max<int64_t>(1, elementBytes))
            fail(file, ": raw_data has ", raw.size(), " bytes but shape ", shapeText,
                 " needs more bytes than int64 counts");
        if (static_cast<int64_t>(raw.size()) != n * elementBytes)
            fail(file, ": raw_data has ", raw.size(), " bytes but shape ", shapeText, " needs ",
                 n * elementBytes);
        Tensor t(type, shape);
        if (!raw.empty())
            std::memcpy(t.rawData(), raw.data(), raw.size());
        return t;
    }
    switch (type) {
    case DataType::Float32:
        checkCount(proto.float_data_size(), n, file, "float_data", shapeText);
        break;
    case DataType::Complex64:
        checkCount(proto.float_data_size(), 2 * n, file, "float_data", shapeText);
        break;
    case DataType::Float64:
        checkCount(proto.double_data_size(), n, file, "double_data", shapeText);
        break;
    case DataType::Complex128:
        checkCount(proto.double_data_size(), 2 * n, file, "double_data", shapeText);
        break;
    case DataType::Int64:
        checkCount(proto.int64_data_size(), n, file, "int64_data", shapeText);
        break;
    case DataType::UInt32:
    case DataType::UInt64:
        checkCount(proto.uint64_data_size(), n, file, "uint64_data", shapeText);
        break;
    case DataType::Int32:
    case DataType::Int16:
    case DataType::Int8:
    case DataType::UInt16:
    case DataType::Float16:
    case DataType::BFloat16: // 16-bit patterns stored in int32_data
    case DataType::UInt8:
    case DataType::Bool:
        checkCount(proto.int32_data_size(), n, file, "int32_data", shapeText);
        break;
    default:
        fail(file, ": unsupported data type ", dtypeName(type));
    }
    Tensor t(type, shape);
    switch (type) {
    case DataType::Float32:
        copyConverted<float, float>(proto.float_data(), t, 1);
        break;
    case DataType::Complex64:
        copyConverted<float, float>(proto.float_data(), t, 2);
        break;
    case DataType::Float64:
        copyConverted<double, double>(proto.double_data(), t, 1);
        break;
    case DataType::Complex128:
        copyConverted<double, double>(proto.double_data(), t, 2);
        break;
    case DataType::Int64:
        copyConverted<int64_t, int64_t>(proto.int64_data(), t, 1);
        break;
    case DataType::UInt32:
        copyConverted<uint64_t, uint32_t>(proto.uint64_data(), t, 1);
        break;
    case DataType::UInt64:
        copyConverted<uint64_t, uint64_t>(proto.uint64_data(), t, 1);
        break;
    case DataType::Int32:
        copyConverted<int32_t, int32_t>(proto.int32_data(), t, 1);
        break;
    case DataType::Int16:
        copyConverted<int32_t, int16_t>(proto.int32_data(), t, 1);
        break;
    case DataType::Int8:
        copyConverted<int32_t, int8_t>(proto.int32_data(), t, 1);
        break;
    case DataType::UInt16:
    case DataType::Float16:
    case DataType::BFloat16: // 16-bit patterns stored in int32_data
        copyConverted<int32_t, uint16_t>(proto.int32_data(), t, 1);
        break;
    case DataType::UInt8:
    case DataType::Bool:
        copyConverted<int32_t, uint8_t>(proto.int32_data(), t, 1);
        break;
    default:
        fail(file, ": unsupported data type ", dtypeName(type));
    }
    return t;
}

void tensorToProto(const Tensor& tensor, const std::string& name, ::onnx::TensorProto* proto) {
    proto->set_name(name);
    proto->set_data_type(static_cast<int32_t>(tensor.dtype()));
    for (int64_t d : tensor.shape())
        proto->add_dims(d);
    if (tensor.dtype() == DataType::String) {
        for (const std::string& s : tensor.strings())
            proto->add_string_data(s);
        return;
    }
    if (tensor.byteSize() > 0)
        proto->set_raw_data(tensor.rawData(), tensor.byteSize());
    else
        proto->set_raw_data(std::string());
}

} // namespace lb::onnx::detail
