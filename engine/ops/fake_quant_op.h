#pragma once

// FakeQuant(X) -> Y, domain ai.layerbench: quantize -> dequantize under QNN's convention
// (ops/encoding.h), the op quantization simulation inserts. Attributes:
//     scale     floats  one per channel (one for per-tensor)
//     offset    ints    one per channel, QNN's offset (<= 0; real = (q + offset) * scale)
//     bitwidth  int     q is clamped to [0, 2^bitwidth - 1]
//     axis      int     channel axis for per-channel encodings; -1 per-tensor
// Y has X's shape and dtype (float32).

#include "ir/graph.h"
#include "ops/encoding.h"

namespace lb::ops {

inline constexpr const char* kFakeQuantOp = "FakeQuant";

// Writes the attributes above (replacing existing ones). Scale is stored as float32 as the
// runtime computes in; the kernel dequantizes in double from that value.
void setFakeQuantAttributes(ir::Node& node, const Encoding& encoding);
// Reads them back; throws lb::Error naming the node when one is missing or inconsistent.
Encoding fakeQuantEncoding(const ir::Node& node);

} // namespace lb::ops
