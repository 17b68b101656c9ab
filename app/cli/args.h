#pragma once

// Argument helpers the subcommands share; wrong values throw UsageError (exit code 2).

#include "command.h"
#include "core/shape.h"

#include <charconv>
#include <map>
#include <optional>
#include <string>
#include <utility>

namespace lb::cli {

// A whole number or decimal, optionally at least `min`.
template <typename T>
T parseNumber(const std::string& option, const std::string& value,
              std::optional<T> min = std::nullopt) {
    T v{};
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (ec != std::errc() || end != value.data() + value.size() || (min && v < *min))
        throw UsageError(option + " takes a number" +
                         (min ? " >= " + std::to_string(*min) : std::string()) + ", got '" + value +
                         "'");
    return v;
}

// "x=1x3x640x640" as given to --shape.
std::pair<std::string, Shape> parseShapeOption(const std::string& value);
// Adds (or replaces) one --shape value in `shapes`.
void addShapeOption(std::map<std::string, Shape>& shapes, const std::string& value);

} // namespace lb::cli
