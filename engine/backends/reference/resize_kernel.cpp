#include "backends/reference/kernel_util.h"
#include "backends/reference/kernels.h"

#include <algorithm>
#include <cmath>

namespace lb::backends::reference {

namespace {

struct ResizeAttrs {
    bool linear = false;
    std::string coordinates = "half_pixel";
    std::string nearestMode = "round_prefer_floor";
};

// `out` is the resized length as ONNX defines it: in * scale (not rounded) when scales are given.
double sourceCoordinate(const ResizeAttrs& r, int64_t x, double scale, int64_t in, double out) {
    const double xo = static_cast<double>(x);
    if (r.coordinates == "asymmetric")
        return xo / scale;
    if (r.coordinates == "align_corners")
        return out == 1.0 ? 0.0 : xo * static_cast<double>(in - 1) / (out - 1.0);
    if (r.coordinates == "pytorch_half_pixel")
        return out > 1.0 ? (xo + 0.5) / scale - 0.5 : 0.0;
    if (r.coordinates == "tf_half_pixel_for_nearest")
        return (xo + 0.5) / scale;
    return (xo + 0.5) / scale - 0.5; // half_pixel
}

int64_t nearestIndex(const ResizeAttrs& r, double x, int64_t in) {
    int64_t i;
    if (r.nearestMode == "floor")
        i = static_cast<int64_t>(std::floor(x));
    else if (r.nearestMode == "ceil")
        i = static_cast<int64_t>(std::ceil(x));
    else if (r.nearestMode == "round_prefer_ceil")
        i = static_cast<int64_t>(std::floor(x + 0.5));
    else // round_prefer_floor
        i = x - std::floor(x) == 0.5 ? static_cast<int64_t>(std::floor(x))
                                     : static_cast<int64_t>(std::round(x));
    return std::clamp<int64_t>(i, 0, in - 1);
}

// Per output coordinate along one axis: the two source indices and the weight of the second.
struct Tap {
    int64_t i0, i1;
    float w1;
};

// The coordinate modes sourceCoordinate() computes.
bool implementedCoordinates(const std::string& mode) {
    static const char* kCoordinates[] = {"half_pixel", "asymmetric", "align_corners",
                                         "pytorch_half_pixel", "tf_half_pixel_for_nearest"};
    return std::find(std::begin(kCoordinates), std::end(kCoordinates), mode) !=
           std::end(kCoordinates);
}

} // namespace

std::unique_ptr<Kernel> makeResize(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    const bool upsample = info.node.opType == "Upsample";
    // Upsample and Resize-10 take (X, scales) and use asymmetric coordinates with floor.
    const bool legacy = upsample || a.opset() < 11;
    if (upsample && a.opset() < 9)
        a.expectInputs(1, 1);
    else
        a.expectInputs(legacy ? 2 : 1, legacy ? 2 : 4);
    ResizeAttrs r;
    const std::string mode = a.getString("mode", "nearest");
    if (mode != "nearest" && mode != "linear" && mode != "bilinear")
        a.fail("mode '", mode, "' is not supported (nearest, linear)");
    r.linear = mode != "nearest";
    if (legacy) {
        r.coordinates = "asymmetric";
        r.nearestMode = "floor";
    } else {
        r.coordinates = a.getString("coordinate_transformation_mode", "half_pixel");
        r.nearestMode = a.getString("nearest_mode", "round_prefer_floor");
    }
    if (!implementedCoordinates(r.coordinates)) // claimResize declined it
        a.fail("coordinate_transformation_mode '", r.coordinates, "' is not supported");
    static const char* kNearest[] = {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"};
    if (std::find(std::begin(kNearest), std::end(kNearest), r.nearestMode) == std::end(kNearest))
        a.fail("nearest_mode '", r.nearestMode, "' is not supported");
    const std::vector<float> scalesAttr = a.getFloats("scales");
    const size_t scalesInput = legacy ? 1 : 2;
    const bool scalesFromAttr = upsample && a.opset() < 9;
    return makeKernel([=](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        if (x.dtype() != DataType::Float32)
            fail("expected float32 input, got ", dtypeName(x.dtype()));
        const int64_t rank = x.rank();
        std::vector<double> scales(static_cast<size_t>(rank), 1.0);
        Shape shape = x.shape();
        const Tensor* sizes = legacy ? nullptr : ctx.input(3);
        const Tensor* scalesT = scalesFromAttr ? nullptr : ctx.input(scalesInput);
        const bool fromSizes = sizes && sizes->numel() > 0;
        if (fromSizes) {
            const auto s = toInt64s(*sizes, "sizes");
            if (static_cast<int64_t>(s.size()) != rank)
                fail("sizes has ", s.size(), " values for an input of rank ", rank);
            for (int64_t d = 0; d < rank; ++d) {
                shape[d] = s[d];
                scales[d] = static_cast<double>(s[d]) / static_cast<double>(x.shape()[d]);
            }
        } else {
            const std::vector<float> s = scalesT ? toFloats(*scalesT) : scalesAttr;
            if (static_cast<int64_t>(s.size()) != rank)
                fail("scales has ", s.size(), " values for an input of rank ", rank);
            for (int64_t d = 0; d < rank; ++d) {
                if (s[d] <= 0.0f)
                    fail("scale ", s[d], " must be positive");
                scales[d] = s[d];
                shape[d] =
                    static_cast<int64_t>(std::floor(static_cast<double>(x.shape()[d]) * s[d]));
            }
        }
        std::vector<double> resizedLength(static_cast<size_t>(rank));
        for (int64_t d = 0; d < rank; ++d)
            resizedLength[d] = fromSizes ? static_cast<double>(shape[d])
                                         : static_cast<double>(x.shape()[d]) * scales[d];
        std::vector<std::vector<Tap>> taps(static_cast<size_t>(rank));
        for (int64_t d = 0; d < rank; ++d) {
            const int64_t in = x.shape()[d];
            for (int64_t o = 0; o < shape[d]; ++o) {
                double src = sourceCoordinate(r, o, scales[d], in, resizedLength[d]);
                if (!r.linear) {
                    const int64_t i = nearestIndex(r, src, in);
                    taps[d].push_back({i, i, 0.0f});
                    continue;
                }
                src = std::clamp(src, 0.0, static_cast<double>(in - 1));
                const int64_t i0 = static_cast<int64_t>(std::floor(src));
                taps[d].push_back({i0, std::min(i0 + 1, in - 1), static_cast<float>(src - i0)});
            }
        }
        Tensor& y = ctx.output(0, DataType::Float32, shape);
        Shape inStrides(static_cast<size_t>(rank), 1);
        for (int64_t d = rank - 1; d > 0; --d)
            inStrides[d - 1] = inStrides[d] * x.shape()[d];
        const float* px = x.data<float>();
        const int64_t n = y.numel();
#pragma omp parallel for num_threads(ctx.threads()) if (n > 16384)
        for (int64_t i = 0; i < n; ++i) {
            int64_t idx[8], rem = i;
            for (int64_t d = rank; d-- > 0;) {
                idx[d] = rem % shape[d];
                rem /= shape[d];
            }
            double sum = 0.0;
            for (int64_t corner = 0; corner < (int64_t{1} << rank); ++corner) {
                double w = 1.0;
                int64_t off = 0;
                for (int64_t d = 0; d < rank && w != 0.0; ++d) {
                    const Tap& t = taps[d][idx[d]];
                    const bool second = (corner >> d) & 1;
                    w *= second ? t.w1 : 1.0f - t.w1;
                    off += (second ? t.i1 : t.i0) * inStrides[d];
                }
                if (w != 0.0)
                    sum += w * px[off];
            }
            y.data<float>()[i] = static_cast<float>(sum);
        }
    });
}

// Nearest and (bi)linear over every axis, in the coordinate modes sourceCoordinate() knows:
// cubic, tf_crop_and_resize, half_pixel_symmetric (and opset 11's tf_half_pixel_for_nn), and
// opset 18's antialias, axes, keep_aspect_ratio_policy and exclude_outside are valid ONNX this
// kernel does not implement.
runtime::Claim claimResize(const KernelInfo& info) {
    using runtime::Claim;
    using runtime::Decline;
    const NodeAttrs a(info.graph, info.node);
    const std::string mode = a.getString("mode", "nearest");
    if (mode == "cubic")
        return Claim::declined(Decline::Attribute, "mode 'cubic' is not implemented");
    const bool legacy = info.node.opType == "Upsample" || a.opset() < 11; // always asymmetric
    const std::string coordinates = a.getString("coordinate_transformation_mode", "half_pixel");
    if (!legacy && !implementedCoordinates(coordinates))
        return Claim::declined(Decline::Attribute, "coordinate_transformation_mode '", coordinates,
                               "' is not implemented");
    if (a.getInt("antialias", 0) != 0 || a.getInt("exclude_outside", 0) != 0 ||
        !a.getInts("axes").empty() ||
        a.getString("keep_aspect_ratio_policy", "stretch") != "stretch")
        return Claim::declined(Decline::Attribute,
                               "antialias, exclude_outside, axes and keep_aspect_ratio_policy are "
                               "not implemented");
    return Claim::claimed();
}

} // namespace lb::backends::reference
