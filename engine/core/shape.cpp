#include "core/shape.h"

#include "core/error.h"

#include <charconv>

namespace lb {

std::optional<int64_t> elementCount(const Shape& shape) {
    int64_t n = 1;
    for (int64_t d : shape) {
        if (d < 0 || __builtin_mul_overflow(n, d, &n))
            return std::nullopt;
    }
    return n;
}

std::optional<int64_t> elementCount(const SymbolicShape& shape) {
    auto concrete = concreteShape(shape);
    if (!concrete)
        return std::nullopt;
    return elementCount(*concrete);
}

std::optional<Shape> concreteShape(const SymbolicShape& shape) {
    Shape out;
    out.reserve(shape.size());
    for (const Dim& d : shape) {
        if (!d.isKnown())
            return std::nullopt;
        out.push_back(d.value);
    }
    return out;
}

SymbolicShape symbolicShape(const Shape& shape) {
    SymbolicShape out;
    out.reserve(shape.size());
    for (int64_t d : shape)
        out.push_back(Dim::known(d));
    return out;
}

std::string shapeToString(const Shape& shape) {
    if (shape.empty())
        return "scalar";
    std::string out;
    for (size_t i = 0; i < shape.size(); ++i) {
        if (i)
            out += 'x';
        out += std::to_string(shape[i]);
    }
    return out;
}

std::string shapeToString(const SymbolicShape& shape) {
    if (shape.empty())
        return "scalar";
    std::string out;
    for (size_t i = 0; i < shape.size(); ++i) {
        if (i)
            out += 'x';
        const Dim& d = shape[i];
        out += d.isKnown() ? std::to_string(d.value) : (d.param.empty() ? "?" : d.param);
    }
    return out;
}

// "scalar" is rank 0, as shapeToString writes it: one syntax for the CLI's --shape, the GUI's
// Input shapes field and every shape printed.
Shape parseShape(const std::string& text) {
    Shape out;
    if (text == "scalar")
        return out;
    const char* p = text.data();
    const char* end = p + text.size();
    if (p == end)
        fail("shape ", quoted(text), ": expected dimensions like 1x3x224x224, or 'scalar'");
    while (p < end) {
        int64_t v = 0;
        auto [next, ec] = std::from_chars(p, end, v);
        if (ec != std::errc() || v < 0)
            fail("shape ", quoted(text),
                 ": expected non-negative integers separated by 'x', or 'scalar' for rank 0");
        out.push_back(v);
        p = next;
        if (p < end) {
            if (*p != 'x' && *p != 'X' && *p != ',')
                fail("shape ", quoted(text), ": unexpected ", quoted(std::string(1, *p)),
                     ", expected 'x' between dimensions");
            ++p;
            if (p == end)
                fail("shape ", quoted(text), ": ends with a separator");
        }
    }
    if (!elementCount(out))
        fail("shape ", quoted(text), ": element count overflows int64");
    return out;
}

} // namespace lb
