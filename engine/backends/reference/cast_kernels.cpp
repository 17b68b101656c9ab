// Cast and CastLike between every tensor type the reference backend holds: the numeric types,
// bool, float16, bfloat16 and string (complex and float8 are declined).
#include "backends/reference/kernel_util.h"
#include "backends/reference/kernels.h"
#include "core/half.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace lb::backends::reference {

namespace {

bool castable(DataType t) {
    switch (t) {
    case DataType::Float32:
    case DataType::Float64:
    case DataType::Float16:
    case DataType::BFloat16:
    case DataType::Int64:
    case DataType::Int32:
    case DataType::Int16:
    case DataType::Int8:
    case DataType::UInt64:
    case DataType::UInt32:
    case DataType::UInt16:
    case DataType::UInt8:
    case DataType::Bool:
    case DataType::String:
        return true;
    default:
        return false;
    }
}

// Shortest text that reads back to the same value, as numpy's str() of a float32 gives
// ("0.039187793"); NaN and infinities as ONNX's string-to-float tests spell them.
template <typename T> std::string floatText(T v) {
    if (std::isnan(v))
        return "NaN";
    if (std::isinf(v))
        return v > 0 ? "INF" : "-INF";
    char buf[64];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

std::string elementText(const Tensor& x, int64_t i) {
    switch (x.dtype()) {
    case DataType::Float32:
        return floatText(x.data<float>()[i]);
    case DataType::Float64:
        return floatText(x.data<double>()[i]);
    case DataType::Float16:
    case DataType::BFloat16:
        return floatText(static_cast<float>(x.valueAsDouble(i)));
    case DataType::Int64:
        return std::to_string(x.data<int64_t>()[i]);
    case DataType::UInt64:
        return std::to_string(x.data<uint64_t>()[i]);
    default: // the narrower integers and bool are exact as doubles
        return std::to_string(static_cast<int64_t>(x.valueAsDouble(i)));
    }
}

// strtod reads "NaN", "INF", "+INF", "-inf", decimals and exponents; anything else fails.
double parseNumber(const std::string& s) {
    const char* begin = s.c_str();
    char* end = nullptr;
    const double v = std::strtod(begin, &end);
    if (end == begin || *end != '\0')
        fail("cannot cast the string '", s, "' to a number");
    return v;
}

} // namespace

// x cast to `target` as ONNX's Cast defines it. `truncateBfloat16`: round toward zero when
// narrowing to bfloat16 (opset < 19), else to nearest even.
void castInto(const Tensor& x, Tensor& y, bool truncateBfloat16) {
    const DataType target = y.dtype();
    const int64_t n = x.numel();
    if (target == DataType::String) {
        y.strings().resize(static_cast<size_t>(n));
        for (int64_t i = 0; i < n; ++i)
            y.strings()[i] = x.dtype() == DataType::String ? x.strings()[i] : elementText(x, i);
        return;
    }
    const bool plainIn = x.dtype() != DataType::String && x.dtype() != DataType::Float16 &&
                         x.dtype() != DataType::BFloat16;
    if (plainIn && target != DataType::Float16 && target != DataType::BFloat16) {
        dispatchNumeric(x.dtype(), [&](auto inTag) {
            using In = decltype(inTag);
            dispatchNumeric(target, [&](auto outTag) {
                using Out = decltype(outTag);
                const In* src = x.data<In>();
                Out* dst = y.data<Out>();
                for (int64_t i = 0; i < n; ++i)
                    dst[i] = static_cast<Out>(src[i]);
            });
        });
        return;
    }
    // Through double: exact for every source but 64-bit integers beyond 2^53, which no 16-bit
    // float target can tell apart anyway.
    for (int64_t i = 0; i < n; ++i) {
        const double v =
            x.dtype() == DataType::String ? parseNumber(x.strings()[i]) : x.valueAsDouble(i);
        if (target == DataType::Float16)
            y.data<uint16_t>()[i] = floatToHalf(static_cast<float>(v));
        else if (target == DataType::BFloat16)
            y.data<uint16_t>()[i] = truncateBfloat16
                                        ? floatToBfloat16Truncated(static_cast<float>(v))
                                        : floatToBfloat16(static_cast<float>(v));
        else
            dispatchNumeric(target, [&](auto tag) {
                y.data<decltype(tag)>()[i] = static_cast<decltype(tag)>(v);
            });
    }
}

std::unique_ptr<Kernel> makeCast(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    const bool like = info.node.opType == "CastLike";
    a.expectInputs(like ? 2 : 1, like ? 2 : 1);
    DataType target = DataType::Undefined;
    if (!like) {
        const int64_t to = a.getInt("to", 0);
        if (!a.has("to") || !isValidDataType(static_cast<int32_t>(to)) ||
            to == static_cast<int64_t>(DataType::Undefined))
            a.fail("attribute 'to' should be a data type code, got ", to);
        target = static_cast<DataType>(to);
    }
    // ONNX 1.12's reference truncated; Cast-19 specifies rounding to nearest even.
    const bool truncate = a.opset() < 19;
    return makeKernel([target, truncate](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        const DataType to = target != DataType::Undefined ? target : ctx.in(1).dtype();
        if (!castable(x.dtype()) || !castable(to))
            fail("a cast from ", dtypeName(x.dtype()), " to ", dtypeName(to),
                 " is not implemented");
        castInto(x, ctx.output(0, to, x.shape()), truncate);
    });
}

// Every pair of numeric, bool, float16, bfloat16 and string types.
runtime::Claim claimCast(const KernelInfo& info) {
    const NodeAttrs a(info.graph, info.node);
    DataType target = DataType::Undefined;
    if (info.node.opType == "CastLike") {
        if (info.hasInput(1))
            target = info.inputValue(1).dtype;
    } else {
        const int64_t to = a.getInt("to", 0);
        if (to >= 17 && to <= 23) // ONNX's float8, uint4 and int4 codes
            return runtime::Claim::declined(runtime::Decline::Dtype, "a cast to ONNX type ", to,
                                            " (float8 or 4-bit) is not implemented");
        if (!isValidDataType(static_cast<int32_t>(to)))
            return runtime::Claim::claimed(); // invalid: the factory says so
        target = static_cast<DataType>(to);
    }
    if (target != DataType::Undefined && !castable(target))
        return runtime::Claim::declined(runtime::Decline::Dtype, "a cast to ", dtypeName(target),
                                        " is not implemented");
    if (info.hasInput(0)) {
        const DataType source = info.inputValue(0).dtype;
        if (source != DataType::Undefined && !castable(source))
            return runtime::Claim::declined(runtime::Decline::Dtype, "a cast from ",
                                            dtypeName(source), " is not implemented");
    }
    return runtime::Claim::claimed();
}

} // namespace lb::backends::reference
