#pragma once

// Border helpers for the int8 kernels (int8_*.cpp): layout.h's helpers assume float32, these
// take the tensor's own data type (uint8 between int8 nodes).

#include "backends/onednn/layout.h"

namespace lb::backends::onednn {

memory::data_type dnnlType(DataType type);
// Dense row-major descriptor of `shape` with the given element type.
memory::desc plainDescOf(const Shape& shape, DataType type);
// The descriptor a tensor's bytes follow: its private layout or the plain one of its type.
memory::desc typedDescOf(const Tensor& tensor);

// Brings an input of any type into `want` (a reorder cached per source descriptor).
class TypedInputConverter {
public:
    memory convert(const Tensor& tensor, const memory::desc& want);

private:
    memory::desc m_from, m_to;
    std::unique_ptr<dnnl::reorder> m_reorder;
    Buffer m_buffer;
};

// Writes output `index` of type `type`: in `produced` when it stays in the backend, else plain
// (through a scratch buffer and a reorder when `produced` is not plain).
class TypedOutputWriter {
public:
    memory prepare(runtime::KernelContext& ctx, size_t index, DataType type, const Shape& shape,
                   const memory::desc& produced, bool staysInBackend);
    void finish();

private:
    Buffer m_scratch;
    std::unique_ptr<dnnl::reorder> m_reorder;
    memory::desc m_from, m_to;
    memory m_src, m_dst;
    bool m_pending = false;
};

// quant::quantizeValue for bitwidths up to 16, bit for bit, in a form compilers vectorize: the
// float32 division, the clamp to the integer bounds lo = offset, hi = qmax + offset (NaN -> lo),
// then round half to even with the 1.5 * 2^23 trick (exact for |v| <= 2^22, which the clamp
// guarantees). Returns q + offset, an integer-valued float: times the scale it is the
// dequantized value, minus lo it is q.
inline float quantizeRounded(float x, float scale, float lo, float hi) {
    constexpr float kMagic = 12582912.0f;
    const float v = x / scale;
    const float c = hi < v ? hi : v; // std::min(v, hi): NaN stays NaN
    const float d = lo < c ? c : lo; // std::max(lo, c): NaN becomes lo
    return (d + kMagic) - kMagic;
}

} // namespace lb::backends::onednn
