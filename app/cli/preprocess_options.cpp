#include "preprocess_options.h"

#include "args.h"
#include "core/error.h"

#include <sstream>

namespace lb::cli {

namespace {

std::vector<double> numbers(const std::string& option, const std::string& value) {
    std::vector<double> out;
    std::stringstream in(value);
    std::string item;
    while (std::getline(in, item, ','))
        out.push_back(parseNumber<double>(option, item));
    if (out.empty())
        throw UsageError(option + " takes one or more comma-separated numbers");
    return out;
}

} // namespace

bool PreprocessOptions::parse(const std::vector<std::string>& args, size_t& i) {
    const std::string& a = args[i];
    const bool known = a == "--preprocess" || a == "--resize" || a == "--mean" || a == "--std" ||
                       a == "--scale" || a == "--channel-order" || a == "--layout";
    if (!known)
        return false;
    if (i + 1 >= args.size())
        throw UsageError(a + " needs a value");
    if (a == "--preprocess")
        m_file = args[++i];
    else
        m_flags.emplace_back(a, args[++i]);
    return true;
}

quant::ImagePreprocess PreprocessOptions::spec() const {
    quant::ImagePreprocess spec =
        m_file.empty() ? quant::ImagePreprocess{} : quant::readPreprocessFile(m_file);
    for (const auto& [option, value] : m_flags) {
        if (option == "--resize") {
            const std::string expected = "--resize takes HxW (e.g. 640x640), got '" + value + "'";
            Shape hw;
            try {
                hw = parseShape(value);
            } catch (const Error&) {
                throw UsageError(expected);
            }
            if (hw.size() != 2 || hw[0] < 1 || hw[1] < 1)
                throw UsageError(expected);
            spec.height = hw[0];
            spec.width = hw[1];
        } else if (option == "--mean") {
            spec.mean = numbers(option, value);
        } else if (option == "--std") {
            spec.std = numbers(option, value);
            for (double s : spec.std)
                if (!(s > 0))
                    throw UsageError("--std values must be > 0");
        } else if (option == "--scale") {
            spec.scale = parseNumber<double>(option, value);
            if (!(spec.scale > 0))
                throw UsageError("--scale must be > 0");
        } else {
            try {
                if (option == "--layout")
                    spec.layout = quant::parseLayout(value);
                else
                    spec.channelOrder = quant::parseChannelOrder(value);
            } catch (const Error& e) {
                throw UsageError(option + ": " + e.what());
            }
        }
    }
    return spec;
}

} // namespace lb::cli
