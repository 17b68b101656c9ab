#include "preprocess_options.h"

#include "args.h"
#include "command.h"
#include "core/error.h"

#include <CLI/CLI.hpp>

namespace lb::cli {

namespace {

std::optional<std::pair<int64_t, int64_t>> heightWidth(const std::string& text) {
    try {
        const Shape hw = parseShape(text);
        if (hw.size() == 2 && hw[0] >= 1 && hw[1] >= 1)
            return std::pair{hw[0], hw[1]};
    } catch (const Error&) {
    }
    return std::nullopt; // the caller says what it expected
}

// A validator from an engine parser that throws lb::Error.
template <typename Parse> CLI::Validator engineWord(Parse parse, const std::string& allowed) {
    return CLI::Validator(
        [parse](std::string& text) {
            try {
                parse(text);
                return std::string();
            } catch (const Error& e) {
                return std::string(e.what());
            }
        },
        allowed);
}

void addValueOption(CLI::App& app, const char* name, std::optional<std::string>& target,
                    const std::string& help, const char* valueName, const char* defaultText,
                    const CLI::Validator& check, const std::string& group) {
    app.add_option_function<std::string>(
           name, [&target](const std::string& v) { target = v; }, help)
        ->type_name(valueName)
        ->default_str(defaultText)
        ->check(check)
        ->group(group);
}

} // namespace

void PreprocessOptions::addTo(CLI::App& app, const std::string& group) {
    app.add_option("--preprocess", m_file,
                   "a preprocessing spec, JSON: {\"resize\": [H, W], \"mean\": [...], \"std\": "
                   "[...], \"scale\": S, \"channel_order\": \"RGB\", \"layout\": \"NCHW\"}, every "
                   "key optional; the flags below override its keys")
        ->type_name("SPEC.json")
        ->group(group);
    const CLI::Validator resize(
        [](std::string& text) {
            return heightWidth(text) ? std::string()
                                     : "takes HxW (e.g. 640x640), got '" + text + "'";
        },
        std::string());
    addValueOption(app, "--resize", m_resize, "resize every image to H x W (bilinear)", "HxW",
                   "the model input's H and W", resize, group);
    addValueOption(app, "--mean", m_mean,
                   "subtract per channel, after scaling (one value, or one per channel)", "A[,B,C]",
                   "0", numberList(false), group);
    addValueOption(app, "--std", m_std,
                   "divide per channel, after the mean (one value, or one per channel)", "A[,B,C]",
                   "1", numberList(true), group);
    addValueOption(app, "--scale", m_scale, "multiply the 0-255 pixels by S first", "S", "1/255",
                   decimalNumber(0.0), group);
    addValueOption(app, "--channel-order", m_channelOrder, "the channel order the model expects",
                   "ORDER", "RGB", engineWord(&quant::parseChannelOrder, "one of RGB, BGR"), group);
    addValueOption(app, "--layout", m_layout, "the layout of the model input", "LAYOUT",
                   "where the model input's 1- or 3-sized dim sits",
                   engineWord(&quant::parseLayout, "one of NCHW, NHWC"), group);
}

quant::ImagePreprocess PreprocessOptions::spec() const {
    quant::ImagePreprocess spec =
        m_file.empty() ? quant::ImagePreprocess{} : quant::readPreprocessFile(m_file);
    if (m_resize) {
        const auto hw = heightWidth(*m_resize);
        if (!hw)
            throw UsageError("--resize takes HxW (e.g. 640x640), got '" + *m_resize + "'");
        spec.height = hw->first;
        spec.width = hw->second;
    }
    if (m_mean)
        spec.mean = parseNumberList(*m_mean);
    if (m_std)
        spec.std = parseNumberList(*m_std);
    if (m_scale)
        spec.scale = *readNumber<double>(*m_scale);
    if (m_channelOrder)
        spec.channelOrder = quant::parseChannelOrder(*m_channelOrder);
    if (m_layout)
        spec.layout = quant::parseLayout(*m_layout);
    return spec;
}

} // namespace lb::cli
