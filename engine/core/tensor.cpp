#include "core/tensor.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "core/error.h"

#include <bit>
#include <cstdlib>
#include <cstring>
#include <new>

namespace lb {

namespace {
std::shared_ptr<std::byte[]> allocate(std::size_t bytes) {
    constexpr std::size_t kAlign = 64;
    std::size_t rounded = (bytes + kAlign - 1) / kAlign * kAlign;
    if (rounded == 0)
        rounded = kAlign;
    void* p = std::aligned_alloc(kAlign, rounded);
    if (!p)
        throw std::bad_alloc();
    std::memset(p, 0, rounded);
    return std::shared_ptr<std::byte[]>(static_cast<std::byte*>(p),
                                        [](std::byte* q) { std::free(q); });
}
} // namespace

Tensor::Tensor(DataType type, Shape shape) : m_dtype(type), m_shape(std::move(shape)) {
    auto n = elementCount(m_shape);
    std::size_t bytes = 0;
    if (!n || __builtin_mul_overflow(static_cast<std::size_t>(*n), dtypeSize(type), &bytes))
        fail("tensor of shape ", shapeToString(m_shape), " and type ", dtypeName(type),
             ": size overflows");
    m_numel = *n;
    if (type == DataType::String)
        m_strings.resize(static_cast<std::size_t>(m_numel));
    else
        m_data = allocate(bytes);
}

Tensor Tensor::view(DataType type, Shape shape, std::shared_ptr<std::byte[]> storage) {
    if (type == DataType::String)
        fail("string tensors cannot be views over raw storage");
    auto n = elementCount(shape);
    if (!n)
        fail("tensor view of shape ", shapeToString(shape), ": element count overflows");
    Tensor out;
    out.m_dtype = type;
    out.m_shape = std::move(shape);
    out.m_numel = *n;
    out.m_data = std::move(storage);
    return out;
}

Tensor Tensor::sequence(DataType elementType, std::vector<Tensor> items) {
    for (const Tensor& t : items)
        if (t.kind() != ValueKind::Tensor || t.empty())
            fail("a sequence holds tensors only");
    Tensor out;
    out.m_dtype = elementType;
    out.m_kind = ValueKind::Sequence;
    out.m_items = std::make_shared<const std::vector<Tensor>>(std::move(items));
    return out;
}

Tensor Tensor::optional(DataType elementType, const Tensor* item) {
    Tensor out;
    out.m_dtype = elementType;
    out.m_kind = ValueKind::Optional;
    out.m_items = std::make_shared<const std::vector<Tensor>>(
        item ? std::vector<Tensor>{*item} : std::vector<Tensor>{});
    return out;
}

const std::vector<Tensor>& Tensor::items() const {
    static const std::vector<Tensor> kNone;
    return m_items ? *m_items : kNone;
}

Tensor Tensor::reshaped(Shape shape) const {
    auto n = elementCount(shape);
    if (!n || *n != m_numel)
        fail("cannot reshape tensor of shape ", shapeToString(m_shape), " to ",
             shapeToString(shape));
    Tensor out = *this;
    out.m_shape = std::move(shape);
    return out;
}

Tensor Tensor::subView(Shape shape, std::size_t byteOffset) const {
    auto n = elementCount(shape);
    if (m_dtype == DataType::String || m_layout || !n ||
        byteOffset + static_cast<std::size_t>(*n) * dtypeSize(m_dtype) > byteSize())
        fail("cannot view ", shapeToString(shape), " at byte ", byteOffset, " of tensor ",
             shapeToString(m_shape));
    std::shared_ptr<std::byte[]> data(m_data, m_data.get() + byteOffset);
    return view(m_dtype, std::move(shape), std::move(data));
}

Tensor Tensor::clone() const {
    if (m_kind != ValueKind::Tensor)
        return *this; // immutable
    Tensor out(m_dtype, m_shape);
    if (m_data && byteSize())
        std::memcpy(out.m_data.get(), m_data.get(), byteSize());
    out.m_strings = m_strings;
    return out;
}

double Tensor::valueAsDouble(int64_t i) const {
    switch (m_dtype) {
    case DataType::Float32:
        return data<float>()[i];
    case DataType::Float64:
        return data<double>()[i];
    case DataType::Float16:
        return halfToFloat(data<uint16_t>()[i]);
    case DataType::BFloat16:
        return bfloat16ToFloat(data<uint16_t>()[i]);
    case DataType::UInt8:
        return data<uint8_t>()[i];
    case DataType::Int8:
        return data<int8_t>()[i];
    case DataType::UInt16:
        return data<uint16_t>()[i];
    case DataType::Int16:
        return data<int16_t>()[i];
    case DataType::Int32:
        return data<int32_t>()[i];
    case DataType::UInt32:
        return data<uint32_t>()[i];
    case DataType::Int64:
        return static_cast<double>(data<int64_t>()[i]);
    case DataType::UInt64:
        return static_cast<double>(data<uint64_t>()[i]);
    case DataType::Bool:
        return data<uint8_t>()[i] ? 1.0 : 0.0;
    default:
        fail("tensor of type ", dtypeName(m_dtype), " has no numeric value");
    }
}

float halfToFloat(uint16_t h) {
    uint32_t sign = (h & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1f;
    uint32_t mant = h & 0x3ffu;
    uint32_t bits;
    if (exp == 0) {
        if (mant == 0) {
            bits = sign;
        } else { // subnormal: normalise
            exp = 127 - 15 + 1;
            while (!(mant & 0x400u)) {
                mant <<= 1;
                --exp;
            }
            mant &= 0x3ffu;
            bits = sign | (exp << 23) | (mant << 13);
        }
    } else if (exp == 0x1f) {
        bits = sign | 0x7f800000u | (mant << 13);
    } else {
        bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
    }
    return std::bit_cast<float>(bits);
}

uint16_t floatToHalf(float f) {
    uint32_t x = std::bit_cast<uint32_t>(f);
    uint32_t sign = (x >> 16) & 0x8000u;
    int32_t exp = static_cast<int32_t>((x >> 23) & 0xff) - 127 + 15;
    uint32_t mant = x & 0x7fffffu;
    if (((x >> 23) & 0xff) == 0xff) // inf or nan
        return static_cast<uint16_t>(sign | 0x7c00u | (mant ? 0x200u : 0));
    if (exp >= 0x1f)
        return static_cast<uint16_t>(sign | 0x7c00u);
    if (exp <= 0) {
        if (exp < -10)
            return static_cast<uint16_t>(sign);
        mant |= 0x800000u;
        uint32_t shift = static_cast<uint32_t>(14 - exp);
        uint32_t half = mant >> shift;
        uint32_t rem = mant & ((1u << shift) - 1);
        uint32_t halfway = 1u << (shift - 1);
        if (rem > halfway || (rem == halfway && (half & 1)))
            ++half;
        return static_cast<uint16_t>(sign | half);
    }
    uint32_t half = sign | (static_cast<uint32_t>(exp) << 10) | (mant >> 13);
    uint32_t rem = mant & 0x1fffu;
    if (rem > 0x1000u || (rem == 0x1000u && (half & 1)))
        ++half; // may carry into the exponent, which is the correct rounding
    return static_cast<uint16_t>(half);
}

#if defined(__x86_64__)
namespace {
__attribute__((target("avx,f16c"))) void roundToHalfF16c(float* data, size_t count) {
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        const __m256 v = _mm256_loadu_ps(data + i);
        _mm256_storeu_ps(data + i, _mm256_cvtph_ps(_mm256_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT)));
    }
    for (; i < count; ++i)
        data[i] = halfToFloat(floatToHalf(data[i]));
}
} // namespace
#endif

void roundToHalf(float* data, size_t count) {
#if defined(__x86_64__)
    static const bool f16c = __builtin_cpu_supports("f16c");
    if (f16c) {
        roundToHalfF16c(data, count);
        return;
    }
#endif
    for (size_t i = 0; i < count; ++i)
        data[i] = halfToFloat(floatToHalf(data[i]));
}

float bfloat16ToFloat(uint16_t h) {
    return std::bit_cast<float>(static_cast<uint32_t>(h) << 16);
}

} // namespace lb
