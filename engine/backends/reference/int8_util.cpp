#include "backends/reference/int8_util.h"

#include "ops/encoding.h"

#include <cmath>

namespace lb::backends::reference {

namespace {

ops::ChannelParams paramsOf(const ByteEncoding& e) {
    return ops::paramsFromScaleOffset(e.scale, e.offset, 8);
}

void checkScale(const NodeAttrs& a, const char* name, float scale) {
    if (!(scale > 0.0f) || !std::isfinite(scale))
        a.fail(name, " should be a finite scale > 0, got ", scale);
}

} // namespace

float ByteEncoding::real(int q) const {
    return static_cast<float>(ops::dequantizeValue(q, paramsOf(*this)));
}

uint8_t ByteEncoding::quantize(float value) const {
    return static_cast<uint8_t>(ops::quantizeValue(value, paramsOf(*this), 8));
}

std::vector<uint8_t> ByteEncoding::tableFrom(const ByteEncoding& from) const {
    std::vector<uint8_t> table(256);
    for (int q = 0; q < 256; ++q)
        table[q] = quantize(from.real(q));
    return table;
}

ByteEncoding byteEncoding(const NodeAttrs& a, const char* scale, const char* offset) {
    if (!a.has(scale))
        a.fail("attribute ", scale, " is required");
    ByteEncoding e{a.getFloat(scale, 0.0f), a.getInt(offset, 0)};
    checkScale(a, scale, e.scale);
    return e;
}

std::vector<ByteEncoding> byteEncodings(const NodeAttrs& a, const char* scales, const char* offsets,
                                        size_t count) {
    const std::vector<float> s = a.getFloats(scales);
    const std::vector<int64_t> o = a.getInts(offsets);
    if (s.size() != count || o.size() != count)
        a.fail("expected ", count, " ", scales, " and ", count, " ", offsets,
               " (one per input), got ", s.size(), " and ", o.size());
    std::vector<ByteEncoding> out;
    for (size_t k = 0; k < count; ++k) {
        checkScale(a, scales, s[k]);
        out.push_back({s[k], o[k]});
    }
    return out;
}

void expectType(const Tensor& t, DataType type, const char* what) {
    if (t.dtype() != type)
        fail(what, " should be ", dtypeName(type), ", got ", dtypeName(t.dtype()));
}

runtime::Claim claimTypes(const runtime::KernelInfo& info, std::initializer_list<DataType> types,
                          DataType rest) {
    const std::vector<DataType> expected(types);
    for (size_t i = 0; i < info.inputCount(); ++i) {
        if (!info.hasInput(i))
            continue;
        const DataType want = i < expected.size() ? expected[i] : rest;
        const ir::Value& v = info.inputValue(i);
        if (want != DataType::Undefined && v.dtype != DataType::Undefined && v.dtype != want)
            return runtime::Claim::declined(runtime::Decline::Dtype, "input ", quoted(v.name),
                                            " is ", dtypeName(v.dtype), " (", info.node.opType,
                                            " takes ", dtypeName(want), " there)");
    }
    return runtime::Claim::claimed();
}

} // namespace lb::backends::reference
