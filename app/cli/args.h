#pragma once

// Argument helpers the subcommands share. The validators check an option's text strictly (the
// whole string, no hex, no sign where none belongs) and say what they expected; their
// description is what --help shows as the allowed values.

#include "core/shape.h"

#include <CLI/CLI.hpp>
#include <charconv>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lb::cli {

// A whole number or decimal (as the type T reads it), the whole text.
template <typename T> std::optional<T> readNumber(const std::string& text) {
    T v{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return v;
}

// Whole numbers, at least `min` when given ("a whole number >= 1").
CLI::Validator wholeNumber(std::optional<long long> min = std::nullopt);
// Decimals in (lowOpen, high] when given; the description says so.
CLI::Validator decimalNumber(std::optional<double> lowOpen = std::nullopt,
                             std::optional<double> high = std::nullopt);
// One of the listed words, exactly.
CLI::Validator oneOf(std::initializer_list<const char*> values);
CLI::Validator oneOf(std::vector<std::string> values);
// Named targets (cpu-fp32, mobile-cpu, ...) as well as backends: what run's --target takes.
CLI::Validator runTargetName();
std::string runTargetHelp(const std::string& purpose);
// A run target as --backend takes it: "auto" or a backend's name (backends/registry.h).
CLI::Validator targetName();
// --backend's help: `purpose`, then the targets and what each backend runs, from the registry.
std::string targetHelp(const std::string& purpose);
// "x=1x3x640x640" as --shape takes it.
CLI::Validator shapeArgument();
// One or more comma-separated numbers ("0.485,0.456,0.406"), each > 0 when `positive`.
CLI::Validator numberList(bool positive);

// "x=1x3x640x640" as given to --shape (already validated).
std::pair<std::string, Shape> parseShapeOption(const std::string& value);
// Adds (or replaces) one --shape value in `shapes`.
void addShapeOption(std::map<std::string, Shape>& shapes, const std::string& value);
// "0.485,0.456,0.406" (already validated by numberList).
std::vector<double> parseNumberList(const std::string& value);

} // namespace lb::cli
