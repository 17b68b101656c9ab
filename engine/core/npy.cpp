#include "core/npy.h"

#include "core/error.h"
#include "core/file_io.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

namespace lb {

namespace {

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

// numpy's '<U' strings are UTF-32 code points; the tensor's strings are UTF-8.
std::u32string utf8ToCodePoints(const std::string& s) {
    std::u32string out;
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const int extra = c < 0x80 ? 0 : c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : -1;
        if (extra < 0 || i + static_cast<size_t>(extra) >= s.size() + (extra == 0 ? 1 : 0))
            fail("string '", s, "' is not valid UTF-8");
        char32_t cp = extra == 0 ? c : c & (0x3f >> extra);
        for (int k = 1; k <= extra; ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
        out.push_back(cp);
        i += static_cast<size_t>(extra) + 1;
    }
    return out;
}

std::string codePointsToUtf8(const char32_t* cps, size_t n) {
    std::string out;
    for (size_t i = 0; i < n && cps[i] != 0; ++i) {
        const char32_t c = cps[i];
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else if (c < 0x800) {
            out += static_cast<char>(0xc0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3f));
        } else if (c < 0x10000) {
            out += static_cast<char>(0xe0 | (c >> 12));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
            out += static_cast<char>(0x80 | (c & 0x3f));
        } else {
            out += static_cast<char>(0xf0 | (c >> 18));
            out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
            out += static_cast<char>(0x80 | (c & 0x3f));
        }
    }
    return out;
}

} // namespace

Tensor readNpy(const std::string& path) {
    const std::string bytes = readFileBytes(path);
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
    if (!std::regex_search(header, m, std::regex("'descr'\\s*:\\s*'([<>|=])([a-zU][0-9]+)'")))
        fail(quoted(path), ": .npy header has no descr");
    if (m[1] == ">")
        fail(quoted(path), ": big-endian .npy data is not supported");
    size_t stringWidth = 0; // '<U8': fixed-width strings of 8 UTF-32 code points
    if (m[2].str()[0] == 'U')
        stringWidth = std::stoul(m[2].str().substr(1));
    DataType type = stringWidth ? DataType::String : DataType::Undefined;
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
    if (type == DataType::String) {
        const size_t rowBytes = stringWidth * 4;
        if (bytes.size() - dataOffset != rowBytes * static_cast<size_t>(t.numel()))
            fail(quoted(path), ": .npy data has ", bytes.size() - dataOffset, " bytes but shape ",
                 shapeToString(shape), " of U", stringWidth, " needs ", rowBytes * t.numel());
        t.strings().resize(static_cast<size_t>(t.numel()));
        std::u32string row(stringWidth, U'\0');
        for (int64_t i = 0; i < t.numel(); ++i) {
            std::memcpy(row.data(), bytes.data() + dataOffset + i * rowBytes, rowBytes);
            t.strings()[static_cast<size_t>(i)] = codePointsToUtf8(row.data(), stringWidth);
        }
        return t;
    }
    if (bytes.size() - dataOffset != t.byteSize())
        fail(quoted(path), ": .npy data has ", bytes.size() - dataOffset, " bytes but shape ",
             shapeToString(shape), " of ", dtypeName(type), " needs ", t.byteSize());
    if (t.byteSize())
        std::memcpy(t.rawData(), bytes.data() + dataOffset, t.byteSize());
    return t;
}

void writeNpy(const std::string& path, const Tensor& input) {
    // numpy has no bfloat16: its bit patterns are written as uint16, as ONNX's own test data
    // stores them (an ml_dtypes user reads them with .view(ml_dtypes.bfloat16)).
    Tensor tensor = input;
    if (input.dtype() == DataType::BFloat16) {
        tensor = Tensor(DataType::UInt16, input.shape());
        if (input.byteSize())
            std::memcpy(tensor.rawData(), input.rawData(), input.byteSize());
    }
    // Strings as numpy's fixed-width '<U': UTF-32, every element padded to the longest.
    std::u32string text;
    std::string stringDescr;
    if (tensor.dtype() == DataType::String) {
        std::vector<std::u32string> cps;
        size_t width = 1;
        for (const std::string& s : tensor.strings()) {
            cps.push_back(utf8ToCodePoints(s));
            width = std::max(width, cps.back().size());
        }
        for (std::u32string& c : cps) {
            c.resize(width, U'\0');
            text += c;
        }
        stringDescr = "U" + std::to_string(width);
    }
    const char* descr = stringDescr.empty() ? nullptr : stringDescr.c_str();
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
    if (tensor.dtype() == DataType::String)
        bytes.append(reinterpret_cast<const char*>(text.data()), text.size() * 4);
    else
        bytes.append(static_cast<const char*>(tensor.rawData()), tensor.byteSize());
    writeFileBytes(path, bytes);
}

} // namespace lb
