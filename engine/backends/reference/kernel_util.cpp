#include "backends/reference/kernel_util.h"

#include <cstring>

namespace lb::backends::reference {

std::vector<int64_t> toInt64s(const Tensor& t, const char* what) {
    std::vector<int64_t> out(static_cast<size_t>(t.numel()));
    if (t.dtype() == DataType::Int64 && t.numel() == 0)
        return out; // an empty tensor has no data pointer to copy from
    else if (t.dtype() == DataType::Int64)
        std::memcpy(out.data(), t.rawData(), t.byteSize());
    else if (t.dtype() == DataType::Int32)
        for (int64_t i = 0; i < t.numel(); ++i)
            out[i] = t.data<int32_t>()[i];
    else
        fail(what, " must be int64 or int32, got ", dtypeName(t.dtype()));
    return out;
}

std::vector<float> toFloats(const Tensor& t) {
    std::vector<float> out(static_cast<size_t>(t.numel()));
    for (int64_t i = 0; i < t.numel(); ++i)
        out[i] = static_cast<float>(t.valueAsDouble(i));
    return out;
}

int64_t normalizeAxis(int64_t axis, int64_t rank, const char* what) {
    if (axis < -rank || axis >= std::max<int64_t>(rank, 1))
        fail(what, " ", axis, " is out of range for rank ", rank);
    return axis < 0 ? axis + rank : axis;
}

int64_t product(const Shape& shape, size_t begin, size_t end) {
    int64_t p = 1;
    for (size_t i = begin; i < end && i < shape.size(); ++i)
        p *= shape[i];
    return p;
}

int64_t product(const Shape& shape) {
    return product(shape, 0, shape.size());
}

Shape broadcastShapes(const Shape& a, const Shape& b) {
    const size_t rank = std::max(a.size(), b.size());
    Shape out(rank);
    for (size_t i = 0; i < rank; ++i) {
        const int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
        const int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
        if (da != db && da != 1 && db != 1)
            fail("shapes ", shapeToString(a), " and ", shapeToString(b), " cannot be broadcast");
        out[i] = da == 1 ? db : da;
    }
    return out;
}

std::vector<int64_t> broadcastStrides(const Shape& in, const Shape& out) {
    std::vector<int64_t> strides(out.size(), 0);
    const size_t offset = out.size() - in.size();
    int64_t stride = 1;
    for (size_t i = in.size(); i-- > 0;) {
        strides[i + offset] = in[i] == 1 ? 0 : stride;
        stride *= in[i];
    }
    return strides;
}

void gatherElements(const Tensor& in, Tensor& out, const std::vector<int64_t>& sourceIndex,
                    int threads) {
    const int64_t n = static_cast<int64_t>(sourceIndex.size());
    if (in.dtype() == DataType::String) {
        for (int64_t i = 0; i < n; ++i)
            out.strings()[i] = in.strings()[sourceIndex[i]];
        return;
    }
    const size_t size = dtypeSize(in.dtype());
    const auto* src = static_cast<const std::byte*>(in.rawData());
    auto* dst = static_cast<std::byte*>(out.rawData());
#pragma omp parallel for num_threads(threads) if (n > 65536)
    for (int64_t i = 0; i < n; ++i)
        std::memcpy(dst + i * size, src + sourceIndex[i] * size, size);
}

} // namespace lb::backends::reference
