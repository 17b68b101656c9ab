#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace lb {

// Element types. The numeric values are ONNX's TensorProto.DataType codes so that import and
// export convert by cast.
enum class DataType : int32_t {
    Undefined = 0,
    Float32 = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Float64 = 11,
    UInt32 = 12,
    UInt64 = 13,
    Complex64 = 14,
    Complex128 = 15,
    BFloat16 = 16,
};

// Short lower-case name as ONNX spells it in text: "float32", "uint8", ...
std::string dtypeName(DataType type);
// Bytes per element; 0 for String and Undefined.
std::size_t dtypeSize(DataType type);
bool isValidDataType(int32_t code);
bool isFloatingPoint(DataType type);

} // namespace lb
