#include "backends/reference/kernel_util.h"
#include "backends/reference/kernels.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <optional>

namespace lb::backends::reference {

namespace {

using FloatFn = std::function<float(float)>;

FloatFn floatFunction(const NodeAttrs& a) {
    const std::string& op = a.node().opType;
    if (op == "Relu")
        return [](float x) { return x > 0.0f ? x : 0.0f; };
    if (op == "Sigmoid")
        return [](float x) { return 1.0f / (1.0f + std::exp(-x)); };
    if (op == "Tanh")
        return [](float x) { return std::tanh(x); };
    if (op == "LeakyRelu") {
        const float alpha = a.getFloat("alpha", 0.01f);
        return [alpha](float x) { return x >= 0.0f ? x : alpha * x; };
    }
    if (op == "Elu") {
        const float alpha = a.getFloat("alpha", 1.0f);
        return [alpha](float x) { return x >= 0.0f ? x : alpha * (std::exp(x) - 1.0f); };
    }
    if (op == "Celu") {
        const float alpha = a.getFloat("alpha", 1.0f);
        return [alpha](float x) {
            return std::max(0.0f, x) + std::min(0.0f, alpha * (std::exp(x / alpha) - 1.0f));
        };
    }
    if (op == "Selu") {
        const float alpha = a.getFloat("alpha", 1.67326319217681884765625f);
        const float gamma = a.getFloat("gamma", 1.05070102214813232421875f);
        return [alpha, gamma](float x) {
            return x > 0.0f ? gamma * x : gamma * (alpha * std::exp(x) - alpha);
        };
    }
    if (op == "ThresholdedRelu") {
        const float alpha = a.getFloat("alpha", 1.0f);
        return [alpha](float x) { return x > alpha ? x : 0.0f; };
    }
    if (op == "HardSigmoid") {
        const float alpha = a.getFloat("alpha", 0.2f), beta = a.getFloat("beta", 0.5f);
        return [alpha, beta](float x) { return std::max(0.0f, std::min(1.0f, alpha * x + beta)); };
    }
    if (op == "HardSwish")
        return [](float x) { return x * std::max(0.0f, std::min(1.0f, x / 6.0f + 0.5f)); };
    if (op == "Softplus")
        return [](float x) { return std::log1p(std::exp(x)); };
    if (op == "Softsign")
        return [](float x) { return x / (1.0f + std::abs(x)); };
    static const std::map<std::string, float (*)(float)> plain = {
        {"Sqrt", [](float x) { return std::sqrt(x); }},
        {"Exp", [](float x) { return std::exp(x); }},
        {"Log", [](float x) { return std::log(x); }},
        {"Reciprocal", [](float x) { return 1.0f / x; }},
        {"Floor", [](float x) { return std::floor(x); }},
        {"Ceil", [](float x) { return std::ceil(x); }},
        {"Round", [](float x) { return std::nearbyint(x); }}, // half to even
        {"Erf", [](float x) { return std::erf(x); }},
        {"Sin", [](float x) { return std::sin(x); }},
        {"Cos", [](float x) { return std::cos(x); }},
        {"Tan", [](float x) { return std::tan(x); }},
        {"Asin", [](float x) { return std::asin(x); }},
        {"Acos", [](float x) { return std::acos(x); }},
        {"Atan", [](float x) { return std::atan(x); }},
        {"Sinh", [](float x) { return std::sinh(x); }},
        {"Cosh", [](float x) { return std::cosh(x); }},
        {"Asinh", [](float x) { return std::asinh(x); }},
        {"Acosh", [](float x) { return std::acosh(x); }},
        {"Atanh", [](float x) { return std::atanh(x); }},
    };
    if (auto it = plain.find(op); it != plain.end())
        return it->second;
    a.fail("not a unary float op");
}

template <typename T, typename Fn> void mapInto(const Tensor& in, Tensor& out, int threads, Fn fn) {
    const T* x = in.data<T>();
    T* y = out.data<T>();
    const int64_t n = in.numel();
#pragma omp parallel for num_threads(threads) if (n > 65536)
    for (int64_t i = 0; i < n; ++i)
        y[i] = fn(x[i]);
}

// out = op(a, b) with numpy broadcasting; R is the result element type.
template <typename T, typename R, typename Op>
void binaryLoop(const Tensor& a, const Tensor& b, Tensor& out, int threads, Op op) {
    const T* pa = a.data<T>();
    const T* pb = b.data<T>();
    R* po = out.data<R>();
    if (a.shape() == b.shape()) {
        const int64_t n = out.numel();
#pragma omp parallel for num_threads(threads) if (n > 65536)
        for (int64_t i = 0; i < n; ++i)
            po[i] = op(pa[i], pb[i]);
        return;
    }
    const Shape& os = out.shape();
    forEachBroadcast(os, {broadcastStrides(a.shape(), os), broadcastStrides(b.shape(), os)},
                     threads,
                     [&](int64_t i, const int64_t* off) { po[i] = op(pa[off[0]], pb[off[1]]); });
}

enum class BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Mod,
    FMod,
    Min,
    Max,
    Equal,
    Less,
    LessEq,
    Greater,
    GreaterEq,
    And,
    Or,
    Xor,
    PRelu,
    ShiftLeft,
    ShiftRight
};

BinOp parseBinOp(const NodeAttrs& a) {
    const std::string& op = a.node().opType;
    static const std::map<std::string, BinOp> ops = {
        {"Add", BinOp::Add},         {"Sub", BinOp::Sub},
        {"Mul", BinOp::Mul},         {"Div", BinOp::Div},
        {"Pow", BinOp::Pow},         {"Equal", BinOp::Equal},
        {"Less", BinOp::Less},       {"LessOrEqual", BinOp::LessEq},
        {"Greater", BinOp::Greater}, {"GreaterOrEqual", BinOp::GreaterEq},
        {"And", BinOp::And},         {"Or", BinOp::Or},
        {"Xor", BinOp::Xor},         {"PRelu", BinOp::PRelu},
        {"Sum", BinOp::Add},         {"Mean", BinOp::Add},
        {"Min", BinOp::Min},         {"Max", BinOp::Max}};
    if (op == "Mod")
        return a.getInt("fmod", 0) ? BinOp::FMod : BinOp::Mod;
    if (op == "BitShift") {
        const std::string dir = a.getString("direction", "");
        if (dir != "LEFT" && dir != "RIGHT")
            a.fail("direction should be LEFT or RIGHT, got '", dir, "'");
        return dir == "LEFT" ? BinOp::ShiftLeft : BinOp::ShiftRight;
    }
    auto it = ops.find(op);
    if (it == ops.end())
        a.fail("not a binary op");
    return it->second;
}

// dispatchNumeric's types.
bool isNumeric(DataType t) {
    switch (t) {
    case DataType::Float32:
    case DataType::Float64:
    case DataType::Int64:
    case DataType::Int32:
    case DataType::Int16:
    case DataType::Int8:
    case DataType::UInt64:
    case DataType::UInt32:
    case DataType::UInt16:
    case DataType::UInt8:
    case DataType::Bool:
        return true;
    default:
        return false;
    }
}

bool isComparison(BinOp op) {
    return op == BinOp::Equal || op == BinOp::Less || op == BinOp::LessEq || op == BinOp::Greater ||
           op == BinOp::GreaterEq;
}

template <typename T>
void arithmetic(BinOp op, const Tensor& a, const Tensor& b, Tensor& out, int t) {
    switch (op) {
    case BinOp::Add:
        binaryLoop<T, T>(a, b, out, t, [](T x, T y) { return T(x + y); });
        break;
    case BinOp::Sub:
        binaryLoop<T, T>(a, b, out, t, [](T x, T y) { return T(x - y); });
        break;
    case BinOp::Mul:
        binaryLoop<T, T>(a, b, out, t, [](T x, T y) { return T(x * y); });
        break;
    case BinOp::Div:
        if constexpr (std::is_integral_v<T>)
            binaryLoop<T, T>(a, b, out, t, [](T x, T y) { return y == 0 ? T(0) : T(x / y); });
        else
            binaryLoop<T, T>(a, b, out, t, [](T x, T y) { return T(x / y); });
        break;
    case BinOp::Min:
        binaryLoop<T, T>(a, b, out, t, [](T x, T y) { return std::min(x, y); });
        break;
    case BinOp::Max:
        binaryLoop<T, T>(a, b, out, t, [](T x, T y) { return std::max(x, y); });
        break;
    case BinOp::PRelu:
        binaryLoop<T, T>(a, b, out, t, [](T x, T s) { return x < T(0) ? T(x * s) : x; });
        break;
    case BinOp::FMod:
        binaryLoop<T, T>(a, b, out, t, [](T x, T y) { return T(std::fmod(x, y)); });
        break;
    case BinOp::Mod:
        if constexpr (std::is_integral_v<T>)
            binaryLoop<T, T>(a, b, out, t, [](T x, T y) {
                if (y == 0)
                    return T(0);
                T r = T(x % y);
                if (r != 0 && ((r < 0) != (y < 0)))
                    r = T(r + y);
                return r;
            });
        else
            fail("Mod with fmod=0 needs integer inputs");
        break;
    case BinOp::ShiftLeft:
    case BinOp::ShiftRight:
        if constexpr (std::is_integral_v<T> && std::is_unsigned_v<T>) {
            if (op == BinOp::ShiftLeft)
                binaryLoop<T, T>(a, b, out, t, [](T x, T y) { return T(x << y); });
            else
                binaryLoop<T, T>(a, b, out, t, [](T x, T y) { return T(x >> y); });
        } else
            fail("BitShift needs unsigned integer inputs");
        break;
    default:
        fail("internal: not an arithmetic op");
    }
}

template <typename T> void compare(BinOp op, const Tensor& a, const Tensor& b, Tensor& out, int t) {
    switch (op) {
    case BinOp::Equal:
        binaryLoop<T, bool>(a, b, out, t, [](T x, T y) { return x == y; });
        break;
    case BinOp::Less:
        binaryLoop<T, bool>(a, b, out, t, [](T x, T y) { return x < y; });
        break;
    case BinOp::LessEq:
        binaryLoop<T, bool>(a, b, out, t, [](T x, T y) { return x <= y; });
        break;
    case BinOp::Greater:
        binaryLoop<T, bool>(a, b, out, t, [](T x, T y) { return x > y; });
        break;
    default:
        binaryLoop<T, bool>(a, b, out, t, [](T x, T y) { return x >= y; });
        break;
    }
}

// Pow with a base other than float32 (integer or float64) and an exponent of any numeric type:
// computed in double, converted to the base's type (the output type ONNX gives Pow).
Tensor integerPow(const Tensor& a, const Tensor& b, KernelContext& ctx, size_t slot,
                  bool intoOutput) {
    if (a.dtype() == DataType::Bool || b.dtype() == DataType::Bool)
        fail("Pow does not take bool tensors");
    const Shape shape = broadcastShapes(a.shape(), b.shape());
    const auto toDouble = [](const Tensor& t) {
        Tensor d(DataType::Float64, t.shape());
        for (int64_t i = 0; i < t.numel(); ++i)
            d.data<double>()[i] = t.valueAsDouble(i);
        return d;
    };
    Tensor result(DataType::Float64, shape);
    binaryLoop<double, double>(toDouble(a), toDouble(b), result, ctx.threads(),
                               [](double x, double y) { return std::pow(x, y); });
    Tensor out = intoOutput ? ctx.output(slot, a.dtype(), shape) : Tensor(a.dtype(), shape);
    dispatchNumeric(a.dtype(), [&](auto tag) {
        using T = decltype(tag);
        for (int64_t i = 0; i < out.numel(); ++i)
            out.data<T>()[i] = static_cast<T>(result.data<double>()[i]);
    });
    return out;
}

Tensor applyBinary(BinOp op, const Tensor& a, const Tensor& bIn, KernelContext& ctx, size_t slot,
                   bool intoOutput) {
    Tensor b = bIn;
    if (op == BinOp::Pow && a.dtype() != DataType::Float32)
        return integerPow(a, b, ctx, slot, intoOutput);
    if (op == BinOp::Pow) {
        if (b.dtype() != DataType::Float32) { // exponent of another numeric type
            Tensor converted(DataType::Float32, b.shape());
            for (int64_t i = 0; i < b.numel(); ++i)
                converted.data<float>()[i] = static_cast<float>(b.valueAsDouble(i));
            b = converted;
        }
    } else if (a.dtype() != b.dtype()) {
        fail("inputs have different dtypes ", dtypeName(a.dtype()), " and ", dtypeName(b.dtype()));
    }
    const Shape shape = broadcastShapes(a.shape(), b.shape());
    const bool boolOut =
        isComparison(op) || op == BinOp::And || op == BinOp::Or || op == BinOp::Xor;
    const DataType outType = boolOut ? DataType::Bool : a.dtype();
    Tensor out = intoOutput ? ctx.output(slot, outType, shape) : Tensor(outType, shape);
    const int t = ctx.threads();
    if (op == BinOp::Pow) {
        binaryLoop<float, float>(a, b, out, t, [](float x, float y) { return std::pow(x, y); });
    } else if (op == BinOp::And || op == BinOp::Or || op == BinOp::Xor) {
        if (a.dtype() != DataType::Bool)
            fail(dtypeName(a.dtype()), " inputs given to a logical op; expected bool");
        if (op == BinOp::And)
            binaryLoop<bool, bool>(a, b, out, t, [](bool x, bool y) { return x && y; });
        else if (op == BinOp::Or)
            binaryLoop<bool, bool>(a, b, out, t, [](bool x, bool y) { return x || y; });
        else
            binaryLoop<bool, bool>(a, b, out, t, [](bool x, bool y) { return x != y; });
    } else if (isComparison(op)) {
        dispatchNumeric(a.dtype(), [&](auto tag) { compare<decltype(tag)>(op, a, b, out, t); });
    } else {
        dispatchNumeric(a.dtype(), [&](auto tag) {
            using T = decltype(tag);
            if constexpr (std::is_same_v<T, bool>)
                fail("arithmetic on bool tensors is not supported");
            else
                arithmetic<T>(op, a, b, out, t);
        });
    }
    return out;
}

} // namespace

std::unique_ptr<Kernel> makeUnary(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    const std::string op = info.node.opType;
    if (op == "Not")
        return makeKernel([](KernelContext& ctx) {
            const Tensor& x = ctx.in(0);
            Tensor& y = ctx.output(0, DataType::Bool, x.shape());
            mapInto<bool>(x, y, ctx.threads(), [](bool v) { return !v; });
        });
    if (op == "Abs" || op == "Neg" || op == "Sign")
        return makeKernel([op](KernelContext& ctx) {
            const Tensor& x = ctx.in(0);
            Tensor& y = ctx.output(0, x.dtype(), x.shape());
            dispatchNumeric(x.dtype(), [&](auto tag) {
                using T = decltype(tag);
                if constexpr (std::is_same_v<T, bool>)
                    fail("bool input is not supported");
                else if (op == "Abs")
                    mapInto<T>(x, y, ctx.threads(), [](T v) { return v < T(0) ? T(-v) : v; });
                else if (op == "Neg")
                    mapInto<T>(x, y, ctx.threads(), [](T v) { return T(-v); });
                else
                    mapInto<T>(x, y, ctx.threads(), [](T v) { return T((v > T(0)) - (v < T(0))); });
            });
        });
    FloatFn fn = floatFunction(a);
    return makeKernel([fn](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        if (x.dtype() != DataType::Float32)
            fail("expected float32 input, got ", dtypeName(x.dtype()));
        Tensor& y = ctx.output(0, DataType::Float32, x.shape());
        mapInto<float>(x, y, ctx.threads(), fn);
    });
}

std::unique_ptr<Kernel> makeBinary(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 2);
    const BinOp op = parseBinOp(a);
    // PRelu before opset 7 took a per-channel slope of shape [C] for NxCx... inputs.
    const bool channelSlope = op == BinOp::PRelu && a.opset() < 7;
    // Before opset 7, broadcast=1 with 'axis' aligns B's dimensions with A's from that axis on.
    const std::optional<int64_t> legacyAxis =
        a.opset() < 7 && a.getInt("broadcast", 0) && a.has("axis")
            ? std::optional<int64_t>(a.getInt("axis", 0))
            : std::nullopt;
    return makeKernel([op, channelSlope, legacyAxis](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        Tensor slope = ctx.in(1);
        if (legacyAxis) {
            const int64_t axis = normalizeAxis(*legacyAxis, x.rank());
            if (axis + slope.rank() > x.rank())
                fail("B ", shapeToString(slope.shape()), " does not fit A ",
                     shapeToString(x.shape()), " from axis ", axis);
            Shape aligned = slope.shape();
            aligned.insert(aligned.end(), static_cast<size_t>(x.rank() - axis - slope.rank()), 1);
            slope = slope.reshaped(aligned);
        }
        if (channelSlope && slope.rank() == 1 && x.rank() >= 2 && slope.numel() == x.shape()[1]) {
            Shape perChannel(x.shape().size() - 1, 1);
            perChannel[0] = slope.numel();
            applyBinary(op, x, slope.reshaped(perChannel), ctx, 0, true);
            return;
        }
        applyBinary(op, x, slope, ctx, 0, true);
    });
}

runtime::Claim claimBinary(const KernelInfo& info) {
    (void)info; // every valid node since legacy broadcast with 'axis' is implemented
    return runtime::Claim::claimed();
}

std::unique_ptr<Kernel> makeVariadic(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1024);
    const BinOp op = parseBinOp(a);
    const bool mean = info.node.opType == "Mean";
    return makeKernel([op, mean](KernelContext& ctx) {
        const size_t n = ctx.inputCount();
        Shape shape = ctx.in(0).shape();
        for (size_t i = 1; i < n; ++i)
            shape = broadcastShapes(shape, ctx.in(i).shape());
        Tensor acc = ctx.in(0);
        for (size_t i = 1; i < n; ++i)
            acc = applyBinary(op, acc, ctx.in(i), ctx, 0, false);
        Tensor& out = ctx.output(0, acc.dtype(), shape);
        std::memcpy(out.rawData(), acc.rawData(), acc.byteSize());
        if (mean) {
            if (out.dtype() != DataType::Float32)
                fail("Mean supports float32, got ", dtypeName(out.dtype()));
            for (float& v : out.span<float>())
                v /= static_cast<float>(n);
        }
    });
}

std::unique_ptr<Kernel> makeClip(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 3);
    const bool attrForm = a.opset() < 11;
    const float minAttr = a.getFloat("min", std::numeric_limits<float>::lowest());
    const float maxAttr = a.getFloat("max", std::numeric_limits<float>::max());
    return makeKernel([=](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        Tensor& y = ctx.output(0, x.dtype(), x.shape());
        dispatchNumeric(x.dtype(), [&](auto tag) {
            using T = decltype(tag);
            T lo = std::numeric_limits<T>::lowest(), hi = std::numeric_limits<T>::max();
            if (attrForm) {
                lo = static_cast<T>(minAttr);
                hi = static_cast<T>(maxAttr);
            }
            if (const Tensor* m = ctx.input(1); m && m->numel() > 0)
                lo = m->data<T>()[0];
            if (const Tensor* m = ctx.input(2); m && m->numel() > 0)
                hi = m->data<T>()[0];
            mapInto<T>(x, y, ctx.threads(),
                       [lo, hi](T v) { return v < lo ? lo : (v > hi ? hi : v); });
        });
    });
}

std::unique_ptr<Kernel> makeWhere(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(3, 3);
    return makeKernel([](KernelContext& ctx) {
        const Tensor &c = ctx.in(0), &x = ctx.in(1), &y = ctx.in(2);
        if (c.dtype() != DataType::Bool || x.dtype() != y.dtype() || x.dtype() == DataType::String)
            fail("expected a bool condition and two inputs of one numeric dtype");
        const Shape shape = broadcastShapes(broadcastShapes(c.shape(), x.shape()), y.shape());
        Tensor& out = ctx.output(0, x.dtype(), shape);
        const size_t size = dtypeSize(x.dtype());
        const auto* pc = c.data<bool>();
        const auto* px = static_cast<const std::byte*>(x.rawData());
        const auto* py = static_cast<const std::byte*>(y.rawData());
        auto* po = static_cast<std::byte*>(out.rawData());
        forEachBroadcast(shape,
                         {broadcastStrides(c.shape(), shape), broadcastStrides(x.shape(), shape),
                          broadcastStrides(y.shape(), shape)},
                         ctx.threads(), [&](int64_t i, const int64_t* off) {
                             const std::byte* src =
                                 pc[off[0]] ? px + off[1] * size : py + off[2] * size;
                             std::memcpy(po + i * size, src, size);
                         });
    });
}

std::unique_ptr<Kernel> makeCast(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    const int64_t to = a.getInt("to", 0);
    if (!isValidDataType(static_cast<int32_t>(to)))
        a.fail("attribute 'to' should be a data type code, got ", to);
    const auto target = static_cast<DataType>(to); // numeric or float16: claimCast
    const bool half = target == DataType::Float16;
    return makeKernel([target, half](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        Tensor& y = ctx.output(0, target, x.shape());
        const int64_t n = x.numel();
        if (half || x.dtype() == DataType::Float16) {
            for (int64_t i = 0; i < n; ++i) {
                const double v = x.valueAsDouble(i);
                if (half)
                    y.data<uint16_t>()[i] = floatToHalf(static_cast<float>(v));
                else
                    dispatchNumeric(target, [&](auto tag) {
                        y.data<decltype(tag)>()[i] = static_cast<decltype(tag)>(v);
                    });
            }
            return;
        }
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
    });
}

// Casts to a numeric type, bool or float16 (not to string, bfloat16 or complex).
runtime::Claim claimCast(const KernelInfo& info) {
    const int64_t to = NodeAttrs(info.graph, info.node).getInt("to", 0);
    if (!isValidDataType(static_cast<int32_t>(to)))
        return runtime::Claim::claimed(); // invalid: the factory says so
    const auto target = static_cast<DataType>(to);
    if (target != DataType::Float16 && !isNumeric(target))
        return runtime::Claim::declined(runtime::Decline::Dtype, "a cast to ", dtypeName(target),
                                        " is not implemented");
    return runtime::Claim::claimed();
}

} // namespace lb::backends::reference
