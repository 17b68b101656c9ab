#pragma once

#include "quant/image_calibration.h"

#include <string>
#include <utility>
#include <vector>

namespace lb::cli {

// The image preprocessing options of `quantize --calib DIR`: --preprocess SPEC.json, and flags
// that override its keys wherever they appear: --resize HxW, --mean A[,B,C], --std A[,B,C],
// --scale S, --channel-order RGB|BGR, --layout NCHW|NHWC.
class PreprocessOptions {
public:
    // Takes args[i] (and its value, advancing i) when it is one of the options above.
    bool parse(const std::vector<std::string>& args, size_t& i);
    // The spec file (if any) with the flags applied; wrong values throw UsageError.
    quant::ImagePreprocess spec() const;

private:
    std::string m_file;
    std::vector<std::pair<std::string, std::string>> m_flags;
};

} // namespace lb::cli
