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

// quant::quantizeValue's q = clamp(round(x / scale) - offset, 0, qmax) (round half away from
// zero), bit for bit, in a form compilers vectorize: the same double division, rounding to
// nearest-even with the 2^52 + 2^51 trick, then ties moved away from zero. |x / scale| < 2^50.
inline double quantizeExact(float x, double scale, double offset, double qmax) {
    constexpr double kMagic = 6755399441055744.0;
    const double v = static_cast<double>(x) / scale;
    double r = (v + kMagic) - kMagic;
    const double d = r - v;
    r += d == -0.5 && v > 0 ? 1.0 : 0.0;
    r -= d == 0.5 && v < 0 ? 1.0 : 0.0;
    const double q = r - offset;
    return q < 0 ? 0 : (q > qmax ? qmax : q);
}

} // namespace lb::backends::onednn
