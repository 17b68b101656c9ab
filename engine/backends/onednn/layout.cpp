#include "backends/onednn/layout.h"

#include "core/error.h"

#include <cstdlib>
#include <cstring>
#include <new>
#include <omp.h>

namespace lb::backends::onednn {

namespace {

constexpr uint64_t kLayoutTag = 0x6c622e6f6e65646eULL; // "lb.onedn"

struct PrivateLayout {
    uint64_t tag = kLayoutTag;
    memory::desc desc;
};

std::shared_ptr<std::byte[]> alignedBytes(size_t bytes) {
    void* p = std::aligned_alloc(64, (std::max<size_t>(bytes, 1) + 63) / 64 * 64);
    if (!p)
        throw std::bad_alloc();
    return std::shared_ptr<std::byte[]>(static_cast<std::byte*>(p),
                                        [](std::byte* q) { std::free(q); });
}

} // namespace

dnnl::engine& cpuEngine() {
    static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
    return engine;
}

dnnl::stream& cpuStream() {
    thread_local dnnl::stream stream(cpuEngine());
    return stream;
}

memory::dims toDims(const Shape& shape) {
    if (shape.empty())
        return {1};
    return memory::dims(shape.begin(), shape.end());
}

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
        fail("the oneDNN kernels take float32, uint8, int8 or int32 tensors, got ",
             dtypeName(type));
    }
}

namespace {

const char* elementName(memory::data_type type) {
    switch (type) {
    case memory::data_type::u8:
        return "uint8";
    case memory::data_type::s8:
        return "int8";
    case memory::data_type::s32:
        return "int32";
    default:
        return "float32";
    }
}

} // namespace

memory::desc plainDescOf(const Shape& shape, DataType type) {
    const memory::dims dims = toDims(shape);
    memory::dims strides(dims.size(), 1);
    for (size_t d = dims.size() - 1; d-- > 0;)
        strides[d] = strides[d + 1] * std::max<memory::dim>(dims[d + 1], 1);
    return memory::desc(dims, dnnlType(type), strides);
}

memory::desc plainDesc(const Shape& shape) {
    return plainDescOf(shape, DataType::Float32);
}

memory::desc descOf(const Tensor& tensor) {
    if (tensor.isPlain())
        return plainDescOf(tensor.shape(), tensor.dtype());
    const auto* layout = static_cast<const PrivateLayout*>(tensor.layout().get());
    if (layout->tag != kLayoutTag)
        fail("tensor of shape ", shapeToString(tensor.shape()),
             " carries another backend's private layout (expected oneDNN's)");
    return layout->desc;
}

bool isPlainDesc(const memory::desc& desc, const Shape& shape) {
    return desc == plainDesc(shape);
}

std::shared_ptr<const void> makeLayout(const memory::desc& desc) {
    auto layout = std::make_shared<PrivateLayout>();
    layout->desc = desc;
    return layout;
}

size_t extraStorageBytes(const memory::desc& desc, const Shape& shape) {
    return isPlainDesc(desc, shape) ? 0 : desc.get_size();
}

size_t blockedStorageBound(const Shape& shape) {
    if (shape.size() < 3)
        return 0;
    int64_t count = 1;
    for (size_t d = 0; d < shape.size(); ++d)
        count *= d == 1 ? (shape[d] + 15) / 16 * 16 : shape[d];
    return static_cast<size_t>(count) * sizeof(float);
}

Tensor toPlainTensor(const Tensor& tensor, int threads) {
    if (tensor.isPlain())
        return tensor;
    ThreadScope scope(threads);
    const memory::desc from = descOf(tensor);
    Tensor plain(tensor.dtype(), tensor.shape());
    memory src(from, cpuEngine(), const_cast<void*>(tensor.rawData()));
    memory dst(plainDescOf(tensor.shape(), tensor.dtype()), cpuEngine(), plain.rawData());
    dnnl::reorder(src, dst).execute(cpuStream(), src, dst);
    cpuStream().wait();
    return plain;
}

ThreadScope::ThreadScope(int threads) : m_previous(omp_get_max_threads()) {
    omp_set_num_threads(std::max(threads, 1));
}

ThreadScope::~ThreadScope() {
    omp_set_num_threads(m_previous);
}

void* Buffer::reserve(size_t bytes) {
    if (bytes > m_bytes || !m_data) {
        m_data = alignedBytes(bytes);
        m_bytes = bytes;
    }
    return m_data.get();
}

memory InputConverter::convert(const Tensor& tensor, const memory::desc& want) {
    if (m_lastResult && tensor.rawData() == m_lastData && tensor.layout() == m_lastLayout &&
        tensor.dtype() == m_lastType && tensor.shape() == m_lastShape && want == m_lastWant) {
        if (m_lastSrc)
            m_reorder->execute(cpuStream(), m_lastSrc, m_lastResult);
        return m_lastResult;
    }
    const memory::desc have = descOf(tensor);
    if (have.data_type() != want.data_type())
        fail("expected a ", elementName(want.data_type()), " input, got ",
             dtypeName(tensor.dtype()));
    m_lastData = tensor.rawData();
    m_lastLayout = tensor.layout();
    m_lastShape = tensor.shape();
    m_lastType = tensor.dtype();
    m_lastWant = want;
    if (have == want) {
        m_lastSrc = memory();
        m_lastResult = memory(want, cpuEngine(), const_cast<void*>(tensor.rawData()));
        return m_lastResult;
    }
    if (!m_reorder || !(m_from == have) || !(m_to == want)) {
        m_reorder = std::make_unique<dnnl::reorder>(
            dnnl::reorder::primitive_desc(cpuEngine(), have, cpuEngine(), want));
        m_from = have;
        m_to = want;
    }
    m_lastSrc = memory(have, cpuEngine(), const_cast<void*>(tensor.rawData()));
    m_lastResult = memory(want, cpuEngine(), m_buffer.reserve(want.get_size()));
    m_reorder->execute(cpuStream(), m_lastSrc, m_lastResult);
    return m_lastResult;
}

memory OutputWriter::over(const memory::desc& desc, void* data) {
    if (!m_last || m_last.get_data_handle() != data || !(m_last.get_desc() == desc))
        m_last = memory(desc, cpuEngine(), data);
    return m_last;
}

memory OutputWriter::prepare(runtime::KernelContext& ctx, size_t index, DataType type,
                             const Shape& shape, const memory::desc& produced,
                             bool staysInBackend) {
    m_pending = false;
    const memory::desc plain = plainDescOf(shape, type);
    if (produced == plain) {
        Tensor& out = ctx.output(index, type, shape);
        return over(plain, out.rawData());
    }
    if (staysInBackend) {
        if (!m_layout || !(m_layoutDesc == produced)) {
            m_layout = makeLayout(produced);
            m_layoutDesc = produced;
        }
        Tensor& out = ctx.output(index, type, shape, m_layout, produced.get_size());
        return over(produced, out.rawData());
    }
    Tensor& out = ctx.output(index, type, shape);
    if (!m_reorder || !(m_from == produced) || !(m_to == plain)) {
        m_reorder = std::make_unique<dnnl::reorder>(
            dnnl::reorder::primitive_desc(cpuEngine(), produced, cpuEngine(), plain));
        m_from = produced;
        m_to = plain;
    }
    void* scratch = m_scratch.reserve(produced.get_size());
    if (!m_src || m_src.get_data_handle() != scratch || !(m_src.get_desc() == produced))
        m_src = memory(produced, cpuEngine(), scratch);
    if (!m_dst || m_dst.get_data_handle() != out.rawData() || !(m_dst.get_desc() == plain))
        m_dst = memory(plain, cpuEngine(), out.rawData());
    m_pending = true;
    return m_src;
}

void OutputWriter::finish() {
    if (m_pending)
        m_reorder->execute(cpuStream(), m_src, m_dst);
    m_pending = false;
}

void packWeights(memory& packed, const memory::desc& want, const memory::desc& plain,
                 const void* data) {
    if (packed && packed.get_desc() == want)
        return;
    memory from(plain, cpuEngine(), const_cast<void*>(data));
    packed = memory(want, cpuEngine());
    dnnl::reorder(from, packed).execute(cpuStream(), from, packed);
    cpuStream().wait();
}

} // namespace lb::backends::onednn
