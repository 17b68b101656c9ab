#include "backends/onednn/int8_layout.h"

#include "core/error.h"

namespace lb::backends::onednn {

memory::data_type dnnlType(DataType type) {
    switch (type) {
    case DataType::Float32:
        return memory::data_type::f32;
    case DataType::UInt8:
        return memory::data_type::u8;
    case DataType::Int8:
        return memory::data_type::s8;
    case DataType::Int32:
        return memory::data_type::s32;
    default:
        fail("the oneDNN int8 kernels take float32, uint8, int8 or int32, got ", dtypeName(type));
    }
}

memory::desc plainDescOf(const Shape& shape, DataType type) {
    const memory::dims dims = toDims(shape);
    memory::dims strides(dims.size(), 1);
    for (size_t d = dims.size() - 1; d-- > 0;)
        strides[d] = strides[d + 1] * std::max<memory::dim>(dims[d + 1], 1);
    return memory::desc(dims, dnnlType(type), strides);
}

memory::desc typedDescOf(const Tensor& tensor) {
    if (tensor.isPlain())
        return plainDescOf(tensor.shape(), tensor.dtype());
    return descOf(tensor);
}

memory TypedInputConverter::convert(const Tensor& tensor, const memory::desc& want) {
    const memory::desc have = typedDescOf(tensor);
    if (have == want)
        return memory(want, cpuEngine(), const_cast<void*>(tensor.rawData()));
    if (!m_reorder || !(m_from == have) || !(m_to == want)) {
        m_reorder = std::make_unique<dnnl::reorder>(
            dnnl::reorder::primitive_desc(cpuEngine(), have, cpuEngine(), want));
        m_from = have;
        m_to = want;
    }
    memory src(have, cpuEngine(), const_cast<void*>(tensor.rawData()));
    memory dst(want, cpuEngine(), m_buffer.reserve(want.get_size()));
    m_reorder->execute(cpuStream(), src, dst);
    return dst;
}

memory TypedOutputWriter::prepare(runtime::KernelContext& ctx, size_t index, DataType type,
                                  const Shape& shape, const memory::desc& produced,
                                  bool staysInBackend) {
    m_pending = false;
    const memory::desc plain = plainDescOf(shape, type);
    if (produced == plain) {
        Tensor& out = ctx.output(index, type, shape);
        return memory(plain, cpuEngine(), out.rawData());
    }
    if (staysInBackend) {
        Tensor& out = ctx.output(index, type, shape, makeLayout(produced), produced.get_size());
        return memory(produced, cpuEngine(), out.rawData());
    }
    Tensor& out = ctx.output(index, type, shape);
    if (!m_reorder || !(m_from == produced) || !(m_to == plain)) {
        m_reorder = std::make_unique<dnnl::reorder>(
            dnnl::reorder::primitive_desc(cpuEngine(), produced, cpuEngine(), plain));
        m_from = produced;
        m_to = plain;
    }
    m_src = memory(produced, cpuEngine(), m_scratch.reserve(produced.get_size()));
    m_dst = memory(plain, cpuEngine(), out.rawData());
    m_pending = true;
    return m_src;
}

void TypedOutputWriter::finish() {
    if (m_pending)
        m_reorder->execute(cpuStream(), m_src, m_dst);
    m_pending = false;
}

} // namespace lb::backends::onednn
