#include "core/npy.h"

#include "core/error.h"

#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

namespace lb {

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

struct NpyType {
    const char* descr;
    DataType type;
};

constexpr NpyType kNpyTypes[] = {
    {"f4", DataType::Float32}, {"f8", DataType::Float64}, {"f2", DataType::Float16},
    {"i8", DataType::Int64},   {"i4", DataType::Int32},   {"i2", DataType::Int16},
    {"i1", DataType::Int8},    {"u8", DataType::UInt64},  {"u4", DataType::UInt32},
    {"u2", DataType::UInt16},  {"u1", DataType::UInt8},   {"b1", DataType::Bool},
};

Tensor bfloat16AsFloat32(const Tensor& t) {
    Tensor out(DataType::Float32, t.shape());
    for (int64_t i = 0; i < t.numel(); ++i)
        out.data<float>()[i] = bfloat16ToFloat(t.data<uint16_t>()[i]);
    return out;
}

} // namespace

Tensor readNpy(const std::string& path) {
    const std::string bytes = readFile(path);
    if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0)
        fail(quoted(path), ": not a .npy file (bad magic)");
    const int major = static_cast<unsigned char>(bytes[6]);
    size_t headerLen = 0, offset = 0;
    if (major == 1) {
        headerLen = static_cast<unsigned char>(bytes[8]) | static_cast<unsigned char>(bytes[9])
                                                               << 8;
        offset = 10;
    } else if (major == 2 || major == 3) {
        if (bytes.size() < 12)
            fail(quoted(path), ": truncated .npy header");
        uint32_t len = 0;
        std::memcpy(&len, bytes.data() + 8, 4);
        headerLen = len;
        offset = 12;
    } else {
        fail(quoted(path), ": unsupported .npy format version ", major);
    }
    if (offset + headerLen > bytes.size())
        fail(quoted(path), ": truncated .npy header");
    const std::string header = bytes.substr(offset, headerLen);
    std::smatch m;
    if (!std::regex_search(header, m, std::regex("'descr'\\s*:\\s*'([<>|=])([a-z][0-9]+)'")))
        fail(quoted(path), ": .npy header has no descr");
    if (m[1] == ">")
        fail(quoted(path), ": big-endian .npy data is not supported");
    DataType type = DataType::Undefined;
    for (const NpyType& t : kNpyTypes)
        if (m[2] == t.descr)
            type = t.type;
    if (type == DataType::Undefined)
        fail(quoted(path), ": .npy dtype '", m[2].str(), "' is not supported");
    if (std::regex_search(header, std::regex("'fortran_order'\\s*:\\s*True")))
        fail(quoted(path), ": Fortran-ordered .npy data is not supported");
    if (!std::regex_search(header, m, std::regex("'shape'\\s*:\\s*\\(([^)]*)\\)")))
        fail(quoted(path), ": .npy header has no shape");
    Shape shape;
    const std::string dims = m[1];
    const std::regex number("[0-9]+");
    for (std::sregex_iterator it(dims.begin(), dims.end(), number), end; it != end; ++it)
        shape.push_back(std::stoll(it->str()));
    Tensor t(type, shape);
    const size_t dataOffset = offset + headerLen;
    if (bytes.size() - dataOffset != t.byteSize())
        fail(quoted(path), ": .npy data has ", bytes.size() - dataOffset, " bytes but shape ",
             shapeToString(shape), " of ", dtypeName(type), " needs ", t.byteSize());
    if (t.byteSize())
        std::memcpy(t.rawData(), bytes.data() + dataOffset, t.byteSize());
    return t;
}

void writeNpy(const std::string& path, const Tensor& input) {
    // numpy has no bfloat16: such a tensor is written as float32, which holds every bfloat16
    // value exactly (ml_dtypes' bfloat16 arrays read it back with .astype).
    const Tensor tensor = input.dtype() == DataType::BFloat16 ? bfloat16AsFloat32(input) : input;
    const char* descr = nullptr;
    for (const NpyType& t : kNpyTypes)
        if (t.type == tensor.dtype())
            descr = t.descr;
    if (!descr)
        fail(quoted(path), ": cannot write ", dtypeName(tensor.dtype()), " tensors as .npy");
    std::string shape;
    for (int64_t d : tensor.shape())
        shape += std::to_string(d) + ", ";
    if (tensor.rank() > 1)
        shape.erase(shape.size() - 2);
    else if (tensor.rank() == 1)
        shape.erase(shape.size() - 1);
    const char endian =
        tensor.dtype() == DataType::Bool || dtypeSize(tensor.dtype()) == 1 ? '|' : '<';
    std::string header = "{'descr': '" + std::string(1, endian) + descr +
                         "', 'fortran_order': False, 'shape': (" + shape + "), }";
    // Magic (6) + version (2) + length (2) + header + '\n' is padded to a multiple of 64.
    const size_t total = (10 + header.size() + 1 + 63) / 64 * 64;
    header.append(total - 10 - header.size() - 1, ' ');
    header += '\n';
    std::string bytes("\x93NUMPY\x01\x00", 8);
    bytes += static_cast<char>(header.size() & 0xff);
    bytes += static_cast<char>(header.size() >> 8);
    bytes += header;
    bytes.append(static_cast<const char*>(tensor.rawData()), tensor.byteSize());
    writeFile(path, bytes);
}

} // namespace lb
