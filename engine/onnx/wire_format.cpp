#include "core/error.h"
#include "onnx/proto_convert.h"

#include <cstdint>

namespace lb::onnx::detail {

namespace {

enum WireType : uint32_t { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

struct Truncated {
    uint64_t needed = 0; // bytes the file would need; 0 when unknown
};

uint64_t readVarint(const std::string& bytes, size_t& pos) {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= bytes.size())
            throw Truncated{};
        const auto byte = static_cast<uint8_t>(bytes[pos++]);
        value |= static_cast<uint64_t>(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return value;
    }
    return UINT64_MAX; // over-long varint: not protobuf
}

// The wire type each ModelProto field must have, or -1 for a number ModelProto does not use.
int expectedWireType(uint64_t field) {
    switch (field) {
    case 1: // ir_version
    case 5: // model_version
        return kVarint;
    case 2:  // producer_name
    case 3:  // producer_version
    case 4:  // domain
    case 6:  // doc_string
    case 7:  // graph
    case 8:  // opset_import
    case 14: // metadata_props
    case 20: // training_info
    case 25: // functions
        return kLengthDelimited;
    default:
        return -1;
    }
}

} // namespace

void checkModelWireFormat(const std::string& bytes, const std::string& displayName) {
    if (bytes.empty())
        fail(displayName, ": not an ONNX model (the file is empty)");
    size_t pos = 0;
    bool hasGraph = false;
    try {
        while (pos < bytes.size()) {
            const size_t fieldStart = pos;
            const uint64_t tag = readVarint(bytes, pos);
            const uint64_t field = tag >> 3;
            const auto wire = static_cast<uint32_t>(tag & 7);
            const int expected = expectedWireType(field);
            if (expected < 0 || static_cast<uint32_t>(expected) != wire)
                fail(displayName, ": not an ONNX model (byte ", fieldStart,
                     " does not start a ModelProto field)");
            if (wire == kVarint) {
                if (readVarint(bytes, pos) == UINT64_MAX)
                    fail(displayName, ": not an ONNX model (bad varint at byte ", fieldStart, ")");
                continue;
            }
            const uint64_t length = readVarint(bytes, pos);
            if (length > bytes.size() - pos)
                throw Truncated{pos + length};
            pos += length;
            if (field == 7)
                hasGraph = true;
        }
    } catch (const Truncated& t) {
        if (t.needed)
            fail(displayName, ": truncated at byte ", bytes.size(), " of ", t.needed,
                 " (the model file is incomplete)");
        fail(displayName, ": truncated at byte ", bytes.size(), " (inside a field header)");
    }
    if (!hasGraph)
        fail(displayName, ": not an ONNX model (no graph)");
}

} // namespace lb::onnx::detail
