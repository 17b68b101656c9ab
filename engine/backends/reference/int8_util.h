#pragma once

// What the reference int8 kernels (int8_*kernels.cpp) share: an 8-bit encoding read from a node's
// attributes, with the spec's two conversions (ops/int8_ops.h), and the dtype check of the int8
// ops' claims.

#include "backends/reference/kernel_util.h"
#include "runtime/claim.h"

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace lb::backends::reference {

// real = (q + offset) * scale, q a byte.
struct ByteEncoding {
    float scale = 1;
    int64_t offset = 0;

    // The float32 product (q + offset) * scale (ops::dequantizeValue).
    float real(int q) const;
    // ops::quantizeValue at 8 bits: real / scale in float32, round half to even, saturate to
    // [0, 255] (NaN -> 0).
    uint8_t quantize(float real) const;
    // quantize(from.real(q)) for every byte q: the requantization from one encoding to this one.
    std::vector<uint8_t> tableFrom(const ByteEncoding& from) const;
};

// The encoding of attributes `scale` / `offset` (offset 0 when absent); fails naming the node
// unless scale is > 0 and finite.
ByteEncoding byteEncoding(const NodeAttrs& a, const char* scale, const char* offset);
// One encoding per input from the list attributes `scales` / `offsets` (x_scales / x_offsets),
// which must have `count` entries each.
std::vector<ByteEncoding> byteEncodings(const NodeAttrs& a, const char* scales, const char* offsets,
                                        size_t count);

// Fails unless t has dtype `type` (what: "input X").
void expectType(const Tensor& t, DataType type, const char* what);

// The int8 ops' types (ops/int8_ops.h): declines with Decline::Dtype, naming the value, an input
// whose declared type is not types[i] (inputs past the list: `rest`; Undefined: not checked).
runtime::Claim claimTypes(const runtime::KernelInfo& info, std::initializer_list<DataType> types,
                          DataType rest = DataType::Undefined);

} // namespace lb::backends::reference
