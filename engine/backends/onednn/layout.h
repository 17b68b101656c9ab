#pragma once

// oneDNN plumbing shared by the kernels: the CPU engine and stream, memory descriptors of plain
// and backend-private tensors, and the two border helpers (bring an input into the format a
// primitive wants; write an output either in the primitive's format or as plain row-major).

#include "core/tensor.h"
#include "runtime/kernel.h"

#include <memory>
#include <oneapi/dnnl/dnnl.hpp>
#include <unordered_map>

namespace lb::backends::onednn {

using dnnl::memory;

dnnl::engine& cpuEngine();
// One in-order stream per calling thread.
dnnl::stream& cpuStream();

memory::dims toDims(const Shape& shape);
// oneDNN's element type for float32, uint8, int8 and int32; fails for the others.
memory::data_type dnnlType(DataType type);
// Dense row-major descriptor of `shape` with element type `type` (rank 0 is treated as [1]).
memory::desc plainDescOf(const Shape& shape, DataType type);
// plainDescOf(shape, Float32).
memory::desc plainDesc(const Shape& shape);
// The descriptor a tensor's bytes follow: its private layout, or the plain one of its shape and
// element type.
memory::desc descOf(const Tensor& tensor);
bool isPlainDesc(const memory::desc& desc, const Shape& shape);

// The opaque Tensor::layout() this backend sets: a memory descriptor with a tag that lets us
// check that a private tensor really is ours.
std::shared_ptr<const void> makeLayout(const memory::desc& desc);

// A plain copy of a tensor this backend left in a private layout.
Tensor toPlainTensor(const Tensor& tensor, int threads);

// Sets the OpenMP thread count oneDNN sees for the lifetime of the scope (primitive creation
// picks its work split from it, so creation and execution use the same count).
class ThreadScope {
public:
    explicit ThreadScope(int threads);
    ~ThreadScope();
    ThreadScope(const ThreadScope&) = delete;
    ThreadScope& operator=(const ThreadScope&) = delete;

private:
    int m_previous;
};

// 64-byte aligned scratch bytes owned by a kernel; grows, never shrinks.
class Buffer {
public:
    void* reserve(size_t bytes);
    void* data() const { return m_data.get(); }

private:
    std::shared_ptr<std::byte[]> m_data;
    size_t m_bytes = 0;
};

// Brings an input into a wanted descriptor of the same element type: the tensor's own bytes when
// they already follow it, else a reorder (cached per source descriptor) into a buffer this
// converter owns. The memory objects of the last call are reused while the input keeps its
// bytes, layout and shape (the memory plan keeps a node's buffers in place from run to run), so
// a steady run creates none: each is an aligned allocation inside oneDNN.
class InputConverter {
public:
    // Returns memory over the data in `want`'s format; valid until the next call.
    memory convert(const Tensor& tensor, const memory::desc& want);

private:
    memory::desc m_from, m_to;
    std::unique_ptr<dnnl::reorder> m_reorder;
    Buffer m_buffer;
    // The last call: its input (data, layout kept alive so its address stays unique, shape),
    // the wanted descriptor, and the memory objects it made.
    const void* m_lastData = nullptr;
    std::shared_ptr<const void> m_lastLayout;
    Shape m_lastShape;
    DataType m_lastType = DataType::Undefined;
    memory::desc m_lastWant;
    memory m_lastSrc, m_lastResult; // m_lastSrc set when a reorder is needed
};

// Writes output `index` of a node: in the primitive's own format when the output stays in this
// backend (tagging the tensor with a private layout), else plain, reordering from a scratch
// buffer when the primitive's format is not plain.
class OutputWriter {
public:
    // Memory the primitive should write (format `produced`, element type `type`).
    memory prepare(runtime::KernelContext& ctx, size_t index, DataType type, const Shape& shape,
                   const memory::desc& produced, bool staysInBackend);
    memory prepare(runtime::KernelContext& ctx, size_t index, const Shape& shape,
                   const memory::desc& produced, bool staysInBackend) {
        return prepare(ctx, index, DataType::Float32, shape, produced, staysInBackend);
    }
    // Reorders scratch -> the plain output when prepare() had to use scratch.
    void finish();

private:
    // Memory over `data` in `desc`, reusing the last one made for the same pair.
    memory over(const memory::desc& desc, void* data);

    Buffer m_scratch;
    std::unique_ptr<dnnl::reorder> m_reorder;
    memory::desc m_from, m_to;
    memory m_src, m_dst;
    bool m_pending = false;
    // The private layout last attached to the output (one allocation per descriptor, not per
    // run) and the memory object last returned.
    std::shared_ptr<const void> m_layout;
    memory::desc m_layoutDesc;
    memory m_last;
};

// Weights in the format a primitive wants (`want`), reordered from their bytes `data` in `plain`;
// `packed` is kept as it is while it already has that format (kernels rebuilt for a new input
// shape usually get the same one).
void packWeights(memory& packed, const memory::desc& want, const memory::desc& plain,
                 const void* data);

// Bytes a tensor of `shape` needs in `desc` (padding included), 0 when plain is enough.
size_t extraStorageBytes(const memory::desc& desc, const Shape& shape);
// For kernels whose output copies the layout of an input they cannot see at creation: enough
// bytes for any blocked float32 layout oneDNN picks here (channels padded to 16).
size_t blockedStorageBound(const Shape& shape);

} // namespace lb::backends::onednn
