#pragma once

#include "core/dtype.h"
#include "core/shape.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace lb {

// What an ONNX value is: a tensor, a sequence of tensors, or an optional (a tensor or sequence,
// or nothing).
enum class ValueKind : uint8_t { Tensor, Sequence, Optional };

// A dense, contiguous, row-major tensor. Copies share the buffer (cheap, like a handle);
// clone() makes an independent copy. Buffers are 64-byte aligned for SIMD kernels.
class Tensor {
public:
    Tensor() = default;
    // Zero-filled tensor. Throws lb::Error when the byte size overflows.
    Tensor(DataType type, Shape shape);
    // A tensor over storage someone else owns (an arena slice kept alive by the shared pointer,
    // often an aliasing shared_ptr). The storage must hold numel * dtypeSize bytes.
    static Tensor view(DataType type, Shape shape, std::shared_ptr<std::byte[]> storage);
    // The non-tensor values of ONNX's control flow (immutable once made, cheap to copy): a
    // sequence of tensors whose dtype() is the element type (Undefined while unknown), and an
    // optional holding one tensor or sequence, or none.
    static Tensor sequence(DataType elementType, std::vector<Tensor> items);
    static Tensor optional(DataType elementType, const Tensor* item);
    ValueKind kind() const { return m_kind; }
    bool isSequence() const { return m_kind == ValueKind::Sequence; }
    bool isOptional() const { return m_kind == ValueKind::Optional; }
    // A sequence's elements; an optional's element (none or one).
    const std::vector<Tensor>& items() const;

    DataType dtype() const { return m_dtype; }
    const Shape& shape() const { return m_shape; }
    int64_t rank() const { return static_cast<int64_t>(m_shape.size()); }
    int64_t numel() const { return m_numel; }
    std::size_t byteSize() const { return static_cast<std::size_t>(m_numel) * dtypeSize(m_dtype); }
    // No value at all (a default-constructed tensor); sequences and optionals are values.
    bool empty() const { return m_dtype == DataType::Undefined && m_kind == ValueKind::Tensor; }

    void* rawData() { return m_data.get(); }
    const void* rawData() const { return m_data.get(); }
    template <typename T> T* data() { return static_cast<T*>(rawData()); }
    template <typename T> const T* data() const { return static_cast<const T*>(rawData()); }
    template <typename T> std::span<T> span() { return {data<T>(), static_cast<size_t>(m_numel)}; }
    template <typename T> std::span<const T> span() const {
        return {data<T>(), static_cast<size_t>(m_numel)};
    }

    // String tensors keep their elements here instead of in the byte buffer.
    std::vector<std::string>& strings() { return m_strings; }
    const std::vector<std::string>& strings() const { return m_strings; }

    // A backend-private memory layout (oneDNN's blocked nChw16c, say), opaque to everyone but the
    // backend that set it; null means plain row-major. Such a tensor may hold more bytes than
    // numel * dtypeSize (padding); storageBytes() says how many.
    const std::shared_ptr<const void>& layout() const { return m_layout; }
    bool isPlain() const { return m_layout == nullptr; }
    void setLayout(std::shared_ptr<const void> layout, std::size_t storageBytes) {
        m_layout = std::move(layout);
        m_storageBytes = storageBytes;
    }
    std::size_t storageBytes() const { return m_layout ? m_storageBytes : byteSize(); }

    // Same data, new shape with the same element count.
    Tensor reshaped(Shape shape) const;
    // A plain tensor of `shape` over this one's bytes from `byteOffset` on (sharing storage):
    // a contiguous block such as a Slice along the leading axes. Fails when out of range.
    Tensor subView(Shape shape, std::size_t byteOffset) const;
    Tensor clone() const;

    // Element i converted to double (any numeric dtype; float16/bfloat16 decoded).
    double valueAsDouble(int64_t i) const;

private:
    DataType m_dtype = DataType::Undefined;
    Shape m_shape;
    int64_t m_numel = 0;
    std::shared_ptr<std::byte[]> m_data;
    std::vector<std::string> m_strings;
    std::shared_ptr<const void> m_layout;
    std::size_t m_storageBytes = 0;
    ValueKind m_kind = ValueKind::Tensor;
    std::shared_ptr<const std::vector<Tensor>> m_items;
};

float halfToFloat(uint16_t h);
uint16_t floatToHalf(float f);
// Rounds every value to the nearest fp16 value (half to even; overflow to infinity), in place:
// what storing a tensor in fp16 and reading it back gives. F16C instructions where the CPU has
// them, the same results without.
void roundToHalf(float* data, size_t count);
float bfloat16ToFloat(uint16_t h);

} // namespace lb
