#pragma once

#include "quant/image_calibration.h"

#include <optional>
#include <string>

namespace CLI {
class App;
} // namespace CLI

namespace lb::cli {

// The image preprocessing options of `quantize --calib DIR`: --preprocess SPEC.json, and flags
// that override its keys wherever they appear: --resize HxW, --mean A[,B,C], --std A[,B,C],
// --scale S, --channel-order RGB|BGR, --layout NCHW|NHWC.
class PreprocessOptions {
public:
    // Declares the options on `app` in the help section `group`; CLI11 checks their values.
    void addTo(CLI::App& app, const std::string& group);
    // The spec file (if any) with the flags applied.
    quant::ImagePreprocess spec() const;

private:
    std::string m_file;
    std::optional<std::string> m_resize, m_mean, m_std, m_scale, m_channelOrder, m_layout;
};

} // namespace lb::cli
