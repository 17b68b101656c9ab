#pragma once

#include "core/shape.h"
#include "core/tensor.h"
#include "ir/graph.h"
#include "quant/calibration.h"

#include <optional>
#include <string>
#include <vector>

namespace lb::quant {

// How an image file becomes a model input: decode (8-bit, the spec's channel count), resize
// (bilinear with half-pixel centers, as OpenCV's INTER_LINEAR), then per channel
// out = (pixel * scale - mean[c]) / std[c], channels in `channelOrder`, laid out as `layout`
// with a batch of one. Fields left unset come from the model input's declared shape
// (resolvePreprocess): the layout from where the 1- or 3-sized channel dim sits, the size from
// the H and W dims.
struct ImagePreprocess {
    enum class ChannelOrder { RGB, BGR };
    enum class Layout { NCHW, NHWC };

    std::optional<int64_t> height; // resize target; from the input shape when unset
    std::optional<int64_t> width;
    std::vector<double> mean; // one value, or one per channel; empty = 0
    std::vector<double> std;  // one value, or one per channel; empty = 1
    double scale = 1.0 / 255.0;
    ChannelOrder channelOrder = ChannelOrder::RGB;
    std::optional<Layout> layout;
};

// The JSON form: {"resize": [H, W], "mean": [...], "std": [...], "channel_order": "RGB"|"BGR",
// "layout": "NCHW"|"NHWC", "scale": 0.00392}; every key optional, unknown keys rejected.
// Throws lb::Error naming `fileName` and the key.
ImagePreprocess parsePreprocessJson(const std::string& text, const std::string& fileName);
ImagePreprocess readPreprocessFile(const std::string& path);
// "RGB" | "BGR" and "NCHW" | "NHWC" (case-insensitive); throws lb::Error otherwise.
ImagePreprocess::ChannelOrder parseChannelOrder(const std::string& text);
ImagePreprocess::Layout parseLayout(const std::string& text);

// The spec completed from the model input (rank 4, [N, C, H, W] or [N, H, W, C], C 1 or 3).
// Throws naming the input when the layout or size cannot be told and the spec does not give it.
struct ResolvedPreprocess {
    ImagePreprocess::Layout layout = ImagePreprocess::Layout::NCHW;
    int64_t channels = 3;
    int64_t height = 0;
    int64_t width = 0;
    std::vector<double> mean; // one per channel
    std::vector<double> std;
    double scale = 1.0;
    ImagePreprocess::ChannelOrder channelOrder = ImagePreprocess::ChannelOrder::RGB;

    Shape shape() const;
};
ResolvedPreprocess resolvePreprocess(const ImagePreprocess& spec, const ir::Value& input);

// One image file as a float32 tensor of resolved.shape(). Throws one line naming the file when it
// cannot be read or decoded.
Tensor loadImageTensor(const std::string& path, const ResolvedPreprocess& resolved);

// Extensions the decoder (stb_image) reads: .png .jpg .jpeg .bmp (any case).
bool isImageFile(const std::string& path);

// Every image in `folder` (name order) as a sample of the graph's single real input.
std::vector<Sample> loadImageFolder(const ir::Graph& graph, const std::string& folder,
                                    const ImagePreprocess& spec);

} // namespace lb::quant
