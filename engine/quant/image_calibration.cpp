#include "quant/image_calibration.h"

#include "core/error.h"
#include "core/file_io.h"
#include "runtime/inputs.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stb_image.h>

namespace lb::quant {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

std::string upper(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::vector<double> numberList(const json& v, const std::string& fileName, const char* key) {
    std::vector<double> out;
    if (v.is_number()) {
        out.push_back(v.get<double>());
        return out;
    }
    if (!v.is_array() || v.empty())
        fail(fileName, ": \"", key, "\" must be a number or a non-empty list of numbers");
    for (const json& x : v) {
        if (!x.is_number())
            fail(fileName, ": \"", key, "\" must hold numbers only");
        out.push_back(x.get<double>());
    }
    return out;
}

std::vector<double> perChannel(const std::vector<double>& v, int64_t channels, double fallback,
                               const char* what) {
    if (v.empty())
        return std::vector<double>(static_cast<size_t>(channels), fallback);
    if (v.size() == 1)
        return std::vector<double>(static_cast<size_t>(channels), v.front());
    if (static_cast<int64_t>(v.size()) != channels)
        fail("preprocessing: ", what, " has ", v.size(), " values, the model input has ", channels,
             " channels");
    return v;
}

// OpenCV INTER_LINEAR source coordinate: half-pixel centers, clamped to the image.
struct Tap {
    int64_t i0, i1;
    float w1;
};
std::vector<Tap> taps(int64_t from, int64_t to) {
    std::vector<Tap> t(static_cast<size_t>(to));
    const double ratio = static_cast<double>(from) / static_cast<double>(to);
    for (int64_t o = 0; o < to; ++o) {
        const double src = std::max(0.0, (static_cast<double>(o) + 0.5) * ratio - 0.5);
        const auto i0 = std::min<int64_t>(static_cast<int64_t>(src), from - 1);
        t[static_cast<size_t>(o)] = {i0, std::min<int64_t>(i0 + 1, from - 1),
                                     static_cast<float>(src - static_cast<double>(i0))};
    }
    return t;
}

} // namespace

Shape ResolvedPreprocess::shape() const {
    return layout == ImagePreprocess::Layout::NCHW ? Shape{1, channels, height, width}
                                                   : Shape{1, height, width, channels};
}

ImagePreprocess::ChannelOrder parseChannelOrder(const std::string& text) {
    const std::string u = upper(text);
    if (u == "RGB")
        return ImagePreprocess::ChannelOrder::RGB;
    if (u == "BGR")
        return ImagePreprocess::ChannelOrder::BGR;
    fail("channel order '", text, "' (expected RGB or BGR)");
}

ImagePreprocess::Layout parseLayout(const std::string& text) {
    const std::string u = upper(text);
    if (u == "NCHW")
        return ImagePreprocess::Layout::NCHW;
    if (u == "NHWC")
        return ImagePreprocess::Layout::NHWC;
    fail("layout '", text, "' (expected NCHW or NHWC)");
}

ImagePreprocess parsePreprocessJson(const std::string& text, const std::string& fileName) {
    json j;
    try {
        j = json::parse(text);
    } catch (const json::parse_error& e) {
        fail(fileName, ": not valid JSON at byte ", e.byte);
    }
    if (!j.is_object())
        fail(fileName, ": expected a JSON object with resize, mean, std, scale, channel_order, "
                       "layout");
    ImagePreprocess spec;
    for (const auto& [key, v] : j.items()) {
        if (key == "resize") {
            const std::vector<double> hw = numberList(v, fileName, "resize");
            if (hw.size() != 2 || hw[0] < 1 || hw[1] < 1 || hw[0] != std::floor(hw[0]) ||
                hw[1] != std::floor(hw[1]))
                fail(fileName, ": \"resize\" must be [H, W] with positive whole numbers");
            spec.height = static_cast<int64_t>(hw[0]);
            spec.width = static_cast<int64_t>(hw[1]);
        } else if (key == "mean") {
            spec.mean = numberList(v, fileName, "mean");
        } else if (key == "std") {
            spec.std = numberList(v, fileName, "std");
            for (double s : spec.std)
                if (!(s > 0))
                    fail(fileName, ": \"std\" values must be > 0");
        } else if (key == "scale") {
            if (!v.is_number() || !(v.get<double>() > 0))
                fail(fileName, ": \"scale\" must be a number > 0");
            spec.scale = v.get<double>();
        } else if (key == "channel_order" || key == "layout") {
            if (!v.is_string())
                fail(fileName, ": \"", key, "\" must be a string");
            try {
                if (key == "layout")
                    spec.layout = parseLayout(v.get<std::string>());
                else
                    spec.channelOrder = parseChannelOrder(v.get<std::string>());
            } catch (const Error& e) {
                fail(fileName, ": ", e.what());
            }
        } else {
            fail(fileName, ": unknown key \"", key,
                 "\" (expected resize, mean, std, scale, channel_order, layout)");
        }
    }
    return spec;
}

ImagePreprocess readPreprocessFile(const std::string& path) {
    return parsePreprocessJson(readFileBytes(path, ": cannot open the preprocessing spec"), path);
}

ResolvedPreprocess resolvePreprocess(const ImagePreprocess& spec, const ir::Value& input) {
    ResolvedPreprocess r;
    r.scale = spec.scale;
    r.channelOrder = spec.channelOrder;
    if (!input.shape || input.shape->size() != 4)
        fail("input '", input.name, "': image calibration needs a rank-4 input, got ",
             input.shape ? shapeToString(*input.shape) : std::string("unknown rank"));
    const SymbolicShape& s = *input.shape;
    if (input.dtype != DataType::Float32)
        fail("input '", input.name, "': image calibration needs a float32 input");
    if (s[0].isKnown() && s[0].value != 1)
        fail("input '", input.name, "' ", shapeToString(s),
             ": image calibration feeds one image per sample (batch 1)");
    auto isChannelDim = [](const Dim& d) { return d.value == 1 || d.value == 3; };
    if (spec.layout)
        r.layout = *spec.layout;
    else if (isChannelDim(s[1]))
        r.layout = ImagePreprocess::Layout::NCHW;
    else if (isChannelDim(s[3]))
        r.layout = ImagePreprocess::Layout::NHWC;
    else
        fail("input '", input.name, "' ", shapeToString(s),
             ": cannot tell the layout (no channel dim of 1 or 3); give \"layout\"");
    const bool nchw = r.layout == ImagePreprocess::Layout::NCHW;
    const Dim& c = s[nchw ? 1 : 3];
    const Dim& h = s[nchw ? 2 : 1];
    const Dim& w = s[nchw ? 3 : 2];
    r.channels = c.isKnown() ? c.value : 3;
    if (r.channels != 1 && r.channels != 3)
        fail("input '", input.name, "' ", shapeToString(s), ": ", r.channels,
             " channels (image calibration decodes 1 or 3)");
    auto size = [&](const std::optional<int64_t>& given, const Dim& d, const char* what) {
        if (given)
            return *given;
        if (!d.isKnown())
            fail("input '", input.name, "' ", shapeToString(s), ": the ", what,
                 " is not fixed; give \"resize\": [H, W] or --shape");
        return d.value;
    };
    r.height = size(spec.height, h, "height");
    r.width = size(spec.width, w, "width");
    r.mean = perChannel(spec.mean, r.channels, 0.0, "mean");
    r.std = perChannel(spec.std, r.channels, 1.0, "std");
    return r;
}

Tensor loadImageTensor(const std::string& path, const ResolvedPreprocess& r) {
    int w = 0, h = 0, fileChannels = 0;
    const int channels = static_cast<int>(r.channels);
    std::unique_ptr<unsigned char, void (*)(void*)> pixels(
        stbi_load(path.c_str(), &w, &h, &fileChannels, channels), &stbi_image_free);
    if (!pixels)
        fail(path, ": cannot decode the image (", stbi_failure_reason(),
             "; expected PNG, JPEG or BMP)");
    const std::vector<Tap> ty = taps(h, r.height), tx = taps(w, r.width);
    Tensor out(DataType::Float32, r.shape());
    float* o = out.data<float>();
    const int64_t plane = r.height * r.width;
    const bool nchw = r.layout == ImagePreprocess::Layout::NCHW;
    const bool bgr = r.channelOrder == ImagePreprocess::ChannelOrder::BGR && channels == 3;
    std::vector<float> mul(static_cast<size_t>(channels)), add(static_cast<size_t>(channels));
    for (int c = 0; c < channels; ++c) { // out = pixel * scale / std - mean / std
        mul[static_cast<size_t>(c)] = static_cast<float>(r.scale / r.std[static_cast<size_t>(c)]);
        add[static_cast<size_t>(c)] =
            static_cast<float>(-r.mean[static_cast<size_t>(c)] / r.std[static_cast<size_t>(c)]);
    }
    const unsigned char* p = pixels.get();
    for (int64_t y = 0; y < r.height; ++y) {
        const Tap& a = ty[static_cast<size_t>(y)];
        for (int64_t x = 0; x < r.width; ++x) {
            const Tap& b = tx[static_cast<size_t>(x)];
            for (int c = 0; c < channels; ++c) {
                const int src = bgr ? 2 - c : c; // the decoder gives RGB
                auto px = [&](int64_t yy, int64_t xx) {
                    return static_cast<float>(p[(yy * w + xx) * channels + src]);
                };
                const float top = px(a.i0, b.i0) + b.w1 * (px(a.i0, b.i1) - px(a.i0, b.i0));
                const float bottom = px(a.i1, b.i0) + b.w1 * (px(a.i1, b.i1) - px(a.i1, b.i0));
                const float v = top + a.w1 * (bottom - top);
                const int64_t at =
                    nchw ? c * plane + y * r.width + x : (y * r.width + x) * channels + c;
                o[at] = v * mul[static_cast<size_t>(c)] + add[static_cast<size_t>(c)];
            }
        }
    }
    return out;
}

bool isImageFile(const std::string& path) {
    const std::string ext = upper(fs::path(path).extension().string());
    return ext == ".PNG" || ext == ".JPG" || ext == ".JPEG" || ext == ".BMP";
}

std::vector<Sample> loadImageFolder(const ir::Graph& graph, const std::string& folder,
                                    const ImagePreprocess& spec) {
    const std::vector<ir::ValueId> inputs = runtime::realInputs(graph);
    if (inputs.size() != 1)
        fail(folder, ": a folder of images needs a single-input model, this one has ",
             inputs.size(), " inputs (use an input_list.txt with name:=path entries)");
    const ir::Value& input = graph.value(inputs.front());
    const ResolvedPreprocess resolved = resolvePreprocess(spec, input);
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(folder))
        if (entry.is_regular_file() && isImageFile(entry.path().string()))
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    if (files.empty())
        fail(folder, ": the folder has no .npy files or images (.png, .jpg, .jpeg, .bmp)");
    std::vector<Sample> samples;
    samples.reserve(files.size());
    for (const fs::path& f : files)
        samples.push_back({{input.name, loadImageTensor(f.string(), resolved)}});
    return samples;
}

} // namespace lb::quant
