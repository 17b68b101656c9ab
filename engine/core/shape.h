#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lb {

// A concrete shape: what a runtime tensor has.
using Shape = std::vector<int64_t>;

// One dimension of a declared shape: a number, a named symbol ("batch"), or unknown.
struct Dim {
    int64_t value = -1; // >= 0 when known
    std::string param;  // symbol name when not known; may be empty

    static Dim known(int64_t v) { return Dim{v, {}}; }
    static Dim symbol(std::string name) { return Dim{-1, std::move(name)}; }
    bool isKnown() const { return value >= 0; }
    bool operator==(const Dim&) const = default;
};

// A declared shape as shape inference knows it.
using SymbolicShape = std::vector<Dim>;

// Element count, or nullopt when it does not fit in int64 (or a dimension is negative).
std::optional<int64_t> elementCount(const Shape& shape);
// Element count when every dimension is known and the product fits in int64.
std::optional<int64_t> elementCount(const SymbolicShape& shape);
std::optional<Shape> concreteShape(const SymbolicShape& shape);
SymbolicShape symbolicShape(const Shape& shape);

// "1x3x48x192", "Nx3x?x?"; "scalar" for rank 0.
std::string shapeToString(const Shape& shape);
std::string shapeToString(const SymbolicShape& shape);
// Parses "1x3x640x640" (also ',' separated); throws lb::Error naming the text on failure.
Shape parseShape(const std::string& text);

} // namespace lb
