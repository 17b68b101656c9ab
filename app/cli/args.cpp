#include "args.h"

#include "backends/registry.h"
#include "command.h"
#include "core/error.h"
#include "onnx/importer.h"
#include "run/targets.h"

#include <algorithm>
#include <sstream>

namespace lb::cli {

namespace {

std::string got(const std::string& text) {
    return ", got '" + text + "'";
}

std::string numberText(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

} // namespace

CLI::Validator wholeNumber(std::optional<long long> min) {
    const std::string what =
        "a whole number" + (min ? " >= " + std::to_string(*min) : std::string());
    return CLI::Validator(
        [min, what](std::string& text) {
            const std::optional<long long> v = readNumber<long long>(text);
            return v && (!min || *v >= *min) ? std::string() : "takes " + what + got(text);
        },
        what);
}

CLI::Validator decimalNumber(std::optional<double> lowOpen, std::optional<double> high) {
    std::string what = "a number";
    if (lowOpen && high)
        what += " in (" + numberText(*lowOpen) + ", " + numberText(*high) + "]";
    else if (lowOpen)
        what += " > " + numberText(*lowOpen);
    return CLI::Validator(
        [lowOpen, high, what](std::string& text) {
            const std::optional<double> v = readNumber<double>(text);
            const bool ok = v && (!lowOpen || *v > *lowOpen) && (!high || *v <= *high);
            return ok ? std::string() : "takes " + what + got(text);
        },
        what);
}

CLI::Validator oneOf(std::initializer_list<const char*> values) {
    return oneOf(std::vector<std::string>(values.begin(), values.end()));
}

CLI::Validator oneOf(std::vector<std::string> list) {
    std::string what = "one of ";
    for (size_t k = 0; k < list.size(); ++k)
        what += (k ? ", " : "") + list[k];
    return CLI::Validator(
        [list, what](std::string& text) {
            for (const std::string& v : list)
                if (text == v)
                    return std::string();
            return "takes " + what + got(text);
        },
        what);
}

CLI::Validator targetName() {
    return oneOf(backends::targetNames());
}

std::string targetHelp(const std::string& purpose) {
    std::string names, descriptions;
    const auto& all = backends::registry();
    for (size_t k = 0; k < all.size(); ++k) {
        names += (k == 0 ? ", " : k + 1 == all.size() ? " or " : ", ") + all[k].name;
        descriptions += " " + all[k].name + ": " + all[k].description + ".";
    }
    return purpose + ": " + backends::kAutoTarget +
           " (every backend in order of preference; each node runs on the first that claims it)" +
           names + ". A backend falls back to " + backends::groundTruth().name +
           " (the ground truth) for the nodes it declines, visibly." + descriptions;
}

CLI::Validator runTargetName() {
    return oneOf(run::targetChoiceList());
}

std::string runTargetHelp(const std::string& purpose) {
    std::string text = targetHelp(purpose) + " Named targets, each a configuration of this "
                                              "machine's engine:";
    for (const run::TargetInfo& t : run::namedTargets())
        if (run::isAvailable(t))
            text += " " + t.name + ": " + t.description + ".";
    return text;
}

CLI::Validator shapeArgument() {
    // No description: the option's own text explains NAME=DIMS better than a type name would.
    return CLI::Validator(
        [](std::string& text) {
            try {
                onnx::parseInputShapeArg(text);
                return std::string();
            } catch (const Error& e) {
                return std::string(e.what());
            }
        },
        std::string());
}

CLI::Validator numberList(bool positive) {
    return CLI::Validator(
        [positive](std::string& text) {
            const std::string expected = std::string("takes one or more comma-separated numbers") +
                                         (positive ? " > 0" : "") + got(text);
            std::stringstream in(text);
            std::string item;
            int count = 0;
            while (std::getline(in, item, ',')) {
                const std::optional<double> v = readNumber<double>(item);
                if (!v || (positive && !(*v > 0)))
                    return expected;
                ++count;
            }
            return count ? std::string() : expected;
        },
        std::string());
}

std::pair<std::string, Shape> parseShapeOption(const std::string& value) {
    try {
        return onnx::parseInputShapeArg(value);
    } catch (const Error& e) {
        throw UsageError(e.what());
    }
}

void addShapeOption(std::map<std::string, Shape>& shapes, const std::string& value) {
    auto [name, shape] = parseShapeOption(value);
    shapes.insert_or_assign(name, std::move(shape));
}

std::vector<double> parseNumberList(const std::string& value) {
    std::vector<double> out;
    std::stringstream in(value);
    std::string item;
    while (std::getline(in, item, ','))
        if (const std::optional<double> v = readNumber<double>(item))
            out.push_back(*v);
    if (out.empty())
        throw UsageError("expected one or more comma-separated numbers, got '" + value + "'");
    return out;
}

} // namespace lb::cli
