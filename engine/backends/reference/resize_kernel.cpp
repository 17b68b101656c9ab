// Resize (and Upsample): nearest, linear and cubic, separable over every axis, in each of ONNX's
// coordinate transformation modes, with opset 18's axes and keep_aspect_ratio_policy. Per axis
// every output coordinate gets its source taps (index, weight); an output element is the sum over
// the product of one tap per axis, as ONNX's reference interpolates axis after axis.
#include "backends/reference/kernel_util.h"
#include "backends/reference/kernels.h"

#include <algorithm>
#include <cmath>

namespace lb::backends::reference {

namespace {

enum class Mode { Nearest, Linear, Cubic };

struct ResizeAttrs {
    Mode mode = Mode::Nearest;
    std::string coordinates = "half_pixel";
    std::string nearestMode = "round_prefer_floor";
    double cubicA = -0.75;
    bool excludeOutside = false;
    float extrapolation = 0.0f;
    std::vector<int64_t> axes;      // opset 18; empty: every axis
    std::string aspect = "stretch"; // keep_aspect_ratio_policy
};

const char* const kCoordinates[] = {
    "half_pixel",         "half_pixel_symmetric", "asymmetric",        "align_corners",
    "pytorch_half_pixel", "tf_half_pixel_for_nn", "tf_crop_and_resize"};
const char* const kNearest[] = {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"};

template <size_t N> bool oneOf(const std::string& s, const char* const (&list)[N]) {
    return std::find(std::begin(list), std::end(list), s) != std::end(list);
}

// The source coordinate of output x along an axis of `in` samples resized to `out` (in * scale,
// not rounded, when scales are given; `outInt` is the output size). roi: this axis's start and
// end (tf_crop_and_resize).
double sourceCoordinate(const ResizeAttrs& r, int64_t x, double scale, int64_t in, double out,
                        int64_t outInt, double roiStart, double roiEnd) {
    const double xo = static_cast<double>(x), inD = static_cast<double>(in);
    const std::string& c = r.coordinates;
    if (c == "asymmetric")
        return xo / scale;
    if (c == "align_corners")
        return out == 1.0 ? 0.0 : xo * (inD - 1.0) / (out - 1.0);
    if (c == "pytorch_half_pixel")
        return out > 1.0 ? (xo + 0.5) / scale - 0.5 : -0.5;
    if (c == "tf_half_pixel_for_nn")
        return (xo + 0.5) / scale;
    if (c == "tf_crop_and_resize")
        return (out == 1.0 ? (roiEnd - roiStart) * (inD - 1.0) / 2.0
                           : xo * (roiEnd - roiStart) * (inD - 1.0) / (out - 1.0)) +
               roiStart * (inD - 1.0);
    if (c == "half_pixel_symmetric") {
        const double adjustment = static_cast<double>(outInt) / out;
        const double center = inD / 2.0;
        return center * (1.0 - adjustment) + (xo + 0.5) / scale - 0.5;
    }
    return (xo + 0.5) / scale - 0.5; // half_pixel
}

int64_t nearestIndex(const ResizeAttrs& r, double x) {
    const double fl = std::floor(x), frac = x - fl;
    if (frac == 0.0)
        return static_cast<int64_t>(fl);
    bool up;
    if (r.nearestMode == "floor")
        up = false;
    else if (r.nearestMode == "ceil")
        up = true;
    else if (r.nearestMode == "round_prefer_ceil")
        up = frac >= 0.5;
    else // round_prefer_floor
        up = frac > 0.5;
    return static_cast<int64_t>(fl) + (up ? 1 : 0);
}

struct Taps {
    std::vector<int64_t> index; // clamped into the input (edge padding)
    std::vector<double> weight;
    bool outside = false; // tf_crop_and_resize beyond the input: extrapolation_value
};

void cubicWeights(double t, double a, double w[4]) {
    const auto near = [a](double d) { return ((a + 2.0) * d - (a + 3.0)) * d * d + 1.0; };
    const auto far = [a](double d) { return ((a * d - 5.0 * a) * d + 8.0 * a) * d - 4.0 * a; };
    w[0] = far(t + 1.0);
    w[1] = near(t);
    w[2] = near(1.0 - t);
    w[3] = far(2.0 - t);
}

Taps tapsFor(const ResizeAttrs& r, double src, int64_t in) {
    Taps t;
    if (r.coordinates == "tf_crop_and_resize" && (src < 0.0 || src > static_cast<double>(in - 1))) {
        t.outside = true;
        return t;
    }
    const auto clampIndex = [in](int64_t i) { return std::clamp<int64_t>(i, 0, in - 1); };
    if (r.mode == Mode::Nearest) {
        t.index.push_back(clampIndex(nearestIndex(r, src)));
        t.weight.push_back(1.0);
        return t;
    }
    const double fl = std::floor(src), frac = src - fl;
    const int64_t base = static_cast<int64_t>(fl);
    if (r.mode == Mode::Linear) {
        t.index = {clampIndex(base), clampIndex(base + 1)};
        t.weight = {1.0 - frac, frac};
        return t;
    }
    double w[4];
    cubicWeights(frac, r.cubicA, w);
    double sum = 0.0;
    for (int k = 0; k < 4; ++k) {
        const int64_t i = base - 1 + k;
        if (r.excludeOutside && (i < 0 || i >= in))
            w[k] = 0.0;
        sum += w[k];
        t.index.push_back(clampIndex(i));
    }
    for (int k = 0; k < 4; ++k)
        t.weight.push_back(r.excludeOutside ? w[k] / sum : w[k]);
    return t;
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
    if (mode == "nearest")
        r.mode = Mode::Nearest;
    else if (mode == "linear" || mode == "bilinear")
        r.mode = Mode::Linear;
    else if (mode == "cubic" || mode == "bicubic")
        r.mode = Mode::Cubic;
    else
        a.fail("mode '", mode, "' is not supported (nearest, linear, cubic)");
    if (legacy) {
        r.coordinates = "asymmetric";
        r.nearestMode = "floor";
    } else {
        r.coordinates = a.getString("coordinate_transformation_mode", "half_pixel");
        r.nearestMode = a.getString("nearest_mode", "round_prefer_floor");
    }
    if (r.coordinates == "tf_half_pixel_for_nearest") // the spelling of some exporters
        r.coordinates = "tf_half_pixel_for_nn";
    if (!oneOf(r.coordinates, kCoordinates))
        a.fail("coordinate_transformation_mode '", r.coordinates, "' is not supported");
    if (!oneOf(r.nearestMode, kNearest))
        a.fail("nearest_mode '", r.nearestMode, "' is not supported");
    r.cubicA = a.getFloat("cubic_coeff_a", -0.75f);
    r.excludeOutside = a.getInt("exclude_outside", 0) != 0;
    r.extrapolation = a.getFloat("extrapolation_value", 0.0f);
    r.axes = a.getInts("axes");
    r.aspect = a.getString("keep_aspect_ratio_policy", "stretch");
    if (r.aspect != "stretch" && r.aspect != "not_larger" && r.aspect != "not_smaller")
        a.fail("keep_aspect_ratio_policy '", r.aspect,
               "' is not supported (stretch, not_larger, not_smaller)");
    const std::vector<float> scalesAttr = a.getFloats("scales");
    const size_t scalesInput = legacy ? 1 : 2;
    const bool scalesFromAttr = upsample && a.opset() < 9;
    return makeKernel([=](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        if (x.dtype() != DataType::Float32)
            fail("expected float32 input, got ", dtypeName(x.dtype()));
        const int64_t rank = x.rank();
        // The axes the scales, sizes and roi speak of.
        std::vector<int64_t> axes;
        for (int64_t axis : r.axes)
            axes.push_back(normalizeAxis(axis, rank, "axes"));
        if (axes.empty())
            for (int64_t d = 0; d < rank; ++d)
                axes.push_back(d);
        const size_t na = axes.size();
        std::vector<double> scales(static_cast<size_t>(rank), 1.0);
        Shape shape = x.shape();
        const Tensor* sizes = legacy ? nullptr : ctx.input(3);
        const Tensor* scalesT = scalesFromAttr ? nullptr : ctx.input(scalesInput);
        const bool fromSizes = sizes && sizes->numel() > 0;
        if (fromSizes) {
            const auto s = toInt64s(*sizes, "sizes");
            if (s.size() != na)
                fail("sizes has ", s.size(), " values for ", na, " axes");
            if (r.aspect == "stretch") {
                for (size_t i = 0; i < na; ++i) {
                    shape[axes[i]] = s[i];
                    scales[axes[i]] =
                        static_cast<double>(s[i]) / static_cast<double>(x.shape()[axes[i]]);
                }
            } else {
                // One scale for every listed axis: the largest that fits (not_larger) or the
                // smallest that covers (not_smaller); sizes rounded half to even as numpy does.
                double scale = r.aspect == "not_larger" ? INFINITY : 0.0;
                for (size_t i = 0; i < na; ++i) {
                    const double si =
                        static_cast<double>(s[i]) / static_cast<double>(x.shape()[axes[i]]);
                    scale = r.aspect == "not_larger" ? std::min(scale, si) : std::max(scale, si);
                }
                for (size_t i = 0; i < na; ++i) {
                    scales[axes[i]] = scale;
                    shape[axes[i]] = static_cast<int64_t>(
                        std::nearbyint(scale * static_cast<double>(x.shape()[axes[i]])));
                }
            }
        } else {
            const std::vector<float> s = scalesT ? toFloats(*scalesT) : scalesAttr;
            if (s.size() != na)
                fail("scales has ", s.size(), " values for ", na, " axes");
            for (size_t i = 0; i < na; ++i) {
                if (!(s[i] > 0.0f))
                    fail("scale ", s[i], " must be positive");
                scales[axes[i]] = s[i];
                shape[axes[i]] = static_cast<int64_t>(
                    std::floor(static_cast<double>(x.shape()[axes[i]]) * s[i]));
            }
        }
        // roi: starts then ends of the listed axes; absent means the whole input.
        std::vector<double> roiStart(static_cast<size_t>(rank), 0.0),
            roiEnd(static_cast<size_t>(rank), 1.0);
        if (const Tensor* roi = legacy ? nullptr : ctx.input(1);
            roi && roi->numel() > 0 && r.coordinates == "tf_crop_and_resize") {
            const std::vector<float> v = toFloats(*roi);
            if (v.size() != 2 * na)
                fail("roi has ", v.size(), " values for ", na, " axes (starts, then ends)");
            for (size_t i = 0; i < na; ++i) {
                roiStart[axes[i]] = v[i];
                roiEnd[axes[i]] = v[na + i];
            }
        }
        std::vector<std::vector<Taps>> taps(static_cast<size_t>(rank));
        for (int64_t d = 0; d < rank; ++d) {
            const int64_t in = x.shape()[d];
            const double length = fromSizes && r.aspect == "stretch"
                                      ? static_cast<double>(shape[d])
                                      : static_cast<double>(in) * scales[d];
            for (int64_t o = 0; o < shape[d]; ++o)
                taps[d].push_back(tapsFor(
                    r,
                    sourceCoordinate(r, o, scales[d], in, length, shape[d], roiStart[d], roiEnd[d]),
                    in));
        }
        Tensor& y = ctx.output(0, DataType::Float32, shape);
        Shape inStrides(static_cast<size_t>(rank), 1);
        for (int64_t d = rank - 1; d > 0; --d)
            inStrides[d - 1] = inStrides[d] * x.shape()[d];
        const float* px = x.data<float>();
        const float extrapolation = r.extrapolation;
        const int64_t n = y.numel();
#pragma omp parallel for num_threads(ctx.threads()) if (n > 16384)
        for (int64_t i = 0; i < n; ++i) {
            const Taps* t[8];
            int64_t rem = i;
            bool outside = false;
            for (int64_t d = rank; d-- > 0;) {
                t[d] = &taps[d][rem % shape[d]];
                rem /= shape[d];
                outside = outside || t[d]->outside;
            }
            if (outside) {
                y.data<float>()[i] = extrapolation;
                continue;
            }
            // Odometer over one tap per axis.
            size_t k[8] = {};
            double sum = 0.0;
            while (true) {
                double w = 1.0;
                int64_t off = 0;
                for (int64_t d = 0; d < rank; ++d) {
                    w *= t[d]->weight[k[d]];
                    off += t[d]->index[k[d]] * inStrides[d];
                }
                if (w != 0.0)
                    sum += w * px[off];
                int64_t d = rank - 1;
                for (; d >= 0; --d) {
                    if (++k[d] < t[d]->index.size())
                        break;
                    k[d] = 0;
                }
                if (d < 0)
                    break;
            }
            y.data<float>()[i] = static_cast<float>(sum);
        }
    });
}

// Ranks up to 8; antialias (opset 18) is valid ONNX this kernel does not implement.
runtime::Claim claimResize(const KernelInfo& info) {
    using runtime::Claim;
    using runtime::Decline;
    const NodeAttrs a(info.graph, info.node);
    if (a.getInt("antialias", 0) != 0)
        return Claim::declined(Decline::Attribute, "antialias is not implemented");
    if (info.hasInput(0) && info.inputValue(0).shape && info.inputValue(0).shape->size() > 8)
        return Claim::declined(Decline::Shape, "ranks above 8 are not implemented");
    return Claim::claimed();
}

} // namespace lb::backends::reference
