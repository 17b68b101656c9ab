// Detection and sampling ops: GridSample (4-D), NonMaxSuppression and RoiAlign.
#include "backends/reference/kernel_util.h"
#include "backends/reference/kernels.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace lb::backends::reference {

namespace {

enum class Padding { Zeros, Border, Reflection };

// Folds a coordinate into [low, high] (given doubled, as integers or half-integers) by mirroring.
double reflect(double x, double twiceLow, double twiceHigh) {
    if (twiceLow == twiceHigh)
        return 0.0;
    const double low = twiceLow / 2.0, span = (twiceHigh - twiceLow) / 2.0;
    x = std::abs(x - low);
    const double extra = std::fmod(x, span);
    const int64_t flips = static_cast<int64_t>(std::floor(x / span));
    return flips % 2 == 0 ? extra + low : span - extra + low;
}

struct GridSampler {
    enum class Mode { Bilinear, Nearest, Bicubic } mode = Mode::Bilinear;
    Padding padding = Padding::Zeros;
    bool alignCorners = false;

    // Grid value in [-1, 1] to a pixel coordinate along an axis of `size` pixels.
    double unnormalize(double g, int64_t size) const {
        const double s = static_cast<double>(size);
        return alignCorners ? (g + 1.0) / 2.0 * (s - 1.0) : ((g + 1.0) * s - 1.0) / 2.0;
    }
    // Border and reflection padding move the coordinate into the image.
    double pad(double c, int64_t size) const {
        const double s = static_cast<double>(size);
        if (padding == Padding::Border)
            return std::clamp(c, 0.0, s - 1.0);
        if (padding == Padding::Reflection) {
            c = alignCorners ? reflect(c, 0.0, 2.0 * (s - 1.0)) : reflect(c, -1.0, 2.0 * s - 1.0);
            return std::clamp(c, 0.0, s - 1.0);
        }
        return c;
    }
    // Pixel (y, x) of one plane; zero outside (what zeros padding means and what is left after
    // border/reflection moved the coordinate in).
    static double pixel(const float* plane, int64_t h, int64_t w, int64_t y, int64_t x) {
        return y >= 0 && y < h && x >= 0 && x < w ? plane[y * w + x] : 0.0;
    }

    double sample(const float* plane, int64_t h, int64_t w, double gx, double gy) const {
        if (mode == Mode::Bicubic) {
            // The 4x4 taps around the unpadded coordinate, each tap padded on its own.
            const double x = unnormalize(gx, w), y = unnormalize(gy, h);
            const double x0 = std::floor(x), y0 = std::floor(y);
            double wx[4], wy[4];
            cubic(x - x0, wx);
            cubic(y - y0, wy);
            double sum = 0.0;
            for (int j = 0; j < 4; ++j)
                for (int i = 0; i < 4; ++i) {
                    const double tx = pad(x0 - 1 + i, w), ty = pad(y0 - 1 + j, h);
                    sum += wx[i] * wy[j] *
                           pixel(plane, h, w, static_cast<int64_t>(ty), static_cast<int64_t>(tx));
                }
            return sum;
        }
        const double x = pad(unnormalize(gx, w), w), y = pad(unnormalize(gy, h), h);
        if (mode == Mode::Nearest)
            return pixel(plane, h, w, static_cast<int64_t>(std::nearbyint(y)),
                         static_cast<int64_t>(std::nearbyint(x)));
        const double x0 = std::floor(x), y0 = std::floor(y);
        const double fx = x - x0, fy = y - y0;
        const auto xi = static_cast<int64_t>(x0), yi = static_cast<int64_t>(y0);
        return (1 - fy) *
                   ((1 - fx) * pixel(plane, h, w, yi, xi) + fx * pixel(plane, h, w, yi, xi + 1)) +
               fy * ((1 - fx) * pixel(plane, h, w, yi + 1, xi) +
                     fx * pixel(plane, h, w, yi + 1, xi + 1));
    }

    // Keys' cubic convolution with a = -0.75, as PyTorch's bicubic grid_sample.
    static void cubic(double t, double w[4]) {
        const double a = -0.75;
        const auto near = [a](double d) { return ((a + 2.0) * d - (a + 3.0)) * d * d + 1.0; };
        const auto far = [a](double d) { return ((a * d - 5.0 * a) * d + 8.0 * a) * d - 4.0 * a; };
        w[0] = far(t + 1.0);
        w[1] = near(t);
        w[2] = near(1.0 - t);
        w[3] = far(2.0 - t);
    }
};

float scalarFloat(const Tensor* t, float fallback) {
    return t && t->numel() > 0 ? static_cast<float>(t->valueAsDouble(0)) : fallback;
}

// A box as (y1, x1, y2, x2) with y1 <= y2 and x1 <= x2.
struct Box {
    float y1, x1, y2, x2;
};

Box boxAt(const float* b, bool centerPoint) {
    if (centerPoint) // x_center, y_center, width, height
        return {b[1] - b[3] / 2, b[0] - b[2] / 2, b[1] + b[3] / 2, b[0] + b[2] / 2};
    return {std::min(b[0], b[2]), std::min(b[1], b[3]), std::max(b[0], b[2]), std::max(b[1], b[3])};
}

float iou(const Box& a, const Box& b) {
    const float areaA = (a.y2 - a.y1) * (a.x2 - a.x1), areaB = (b.y2 - b.y1) * (b.x2 - b.x1);
    if (areaA <= 0 || areaB <= 0)
        return 0.0f;
    const float h = std::max(0.0f, std::min(a.y2, b.y2) - std::max(a.y1, b.y1));
    const float w = std::max(0.0f, std::min(a.x2, b.x2) - std::max(a.x1, b.x1));
    const float inter = h * w;
    return inter / (areaA + areaB - inter);
}

} // namespace

std::unique_ptr<Kernel> makeGridSample(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 2);
    GridSampler s;
    const std::string mode = a.getString("mode", "bilinear");
    if (mode == "bilinear" || mode == "linear")
        s.mode = GridSampler::Mode::Bilinear;
    else if (mode == "nearest")
        s.mode = GridSampler::Mode::Nearest;
    else if (mode == "bicubic" || mode == "cubic")
        s.mode = GridSampler::Mode::Bicubic;
    else
        a.fail("mode '", mode, "' is not supported (bilinear, nearest, bicubic)");
    const std::string padding = a.getString("padding_mode", "zeros");
    if (padding == "zeros")
        s.padding = Padding::Zeros;
    else if (padding == "border")
        s.padding = Padding::Border;
    else if (padding == "reflection")
        s.padding = Padding::Reflection;
    else
        a.fail("padding_mode '", padding, "' is not supported (zeros, border, reflection)");
    s.alignCorners = a.getInt("align_corners", 0) != 0;
    return makeKernel([s](KernelContext& ctx) {
        const Tensor &x = ctx.in(0), &grid = ctx.in(1);
        if (x.dtype() != DataType::Float32 || grid.dtype() != DataType::Float32)
            fail("X and Grid should be float32");
        if (x.rank() != 4 || grid.rank() != 4 || grid.shape()[0] != x.shape()[0] ||
            grid.shape()[3] != 2)
            fail("X should be NxCxHxW and Grid Nx", "Hout", "xWoutx2, got ",
                 shapeToString(x.shape()), " and ", shapeToString(grid.shape()));
        const int64_t n = x.shape()[0], c = x.shape()[1], h = x.shape()[2], w = x.shape()[3];
        const int64_t ho = grid.shape()[1], wo = grid.shape()[2];
        Tensor& y = ctx.output(0, DataType::Float32, {n, c, ho, wo});
        for (int64_t b = 0; b < n; ++b)
            for (int64_t ch = 0; ch < c; ++ch) {
                const float* plane = x.data<float>() + (b * c + ch) * h * w;
                float* out = y.data<float>() + (b * c + ch) * ho * wo;
                const float* g = grid.data<float>() + b * ho * wo * 2;
                for (int64_t p = 0; p < ho * wo; ++p)
                    out[p] = static_cast<float>(s.sample(plane, h, w, g[2 * p], g[2 * p + 1]));
            }
    });
}

// GridSample is defined here for 4-D inputs (opset 16).
runtime::Claim claimGridSample(const KernelInfo& info) {
    if (info.hasInput(0) && info.inputValue(0).shape && info.inputValue(0).shape->size() != 4)
        return runtime::Claim::declined(runtime::Decline::Shape,
                                        "only 4-D inputs (N, C, H, W) are implemented");
    return runtime::Claim::claimed();
}

std::unique_ptr<Kernel> makeNonMaxSuppression(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 5);
    const int64_t centerPoint = a.getInt("center_point_box", 0);
    if (centerPoint != 0 && centerPoint != 1)
        a.fail("center_point_box should be 0 or 1, got ", centerPoint);
    return makeKernel([centerPoint](KernelContext& ctx) {
        const Tensor &boxes = ctx.in(0), &scores = ctx.in(1);
        if (boxes.dtype() != DataType::Float32 || scores.dtype() != DataType::Float32)
            fail("boxes and scores should be float32");
        if (boxes.rank() != 3 || boxes.shape()[2] != 4 || scores.rank() != 3 ||
            scores.shape()[0] != boxes.shape()[0] || scores.shape()[2] != boxes.shape()[1])
            fail("boxes should be [batch, boxes, 4] and scores [batch, classes, boxes], got ",
                 shapeToString(boxes.shape()), " and ", shapeToString(scores.shape()));
        const Tensor* maxT = ctx.input(2);
        const int64_t maxPerClass =
            maxT && maxT->numel() > 0 ? toInt64s(*maxT, "max_output_boxes_per_class")[0] : 0;
        const float iouThreshold = scalarFloat(ctx.input(3), 0.0f);
        const Tensor* scoreT = ctx.input(4);
        const bool hasScoreThreshold = scoreT && scoreT->numel() > 0;
        const float scoreThreshold = scalarFloat(scoreT, 0.0f);
        const int64_t batches = boxes.shape()[0], count = boxes.shape()[1],
                      classes = scores.shape()[1];
        std::vector<int64_t> selected;
        for (int64_t b = 0; b < batches; ++b)
            for (int64_t c = 0; c < classes && maxPerClass > 0; ++c) {
                const float* sc = scores.data<float>() + (b * classes + c) * count;
                std::vector<int64_t> order;
                for (int64_t i = 0; i < count; ++i)
                    if (!hasScoreThreshold || sc[i] > scoreThreshold)
                        order.push_back(i);
                std::stable_sort(order.begin(), order.end(),
                                 [sc](int64_t i, int64_t j) { return sc[i] > sc[j]; });
                std::vector<Box> kept;
                for (int64_t i : order) {
                    if (static_cast<int64_t>(kept.size()) >= maxPerClass)
                        break;
                    const Box box = boxAt(boxes.data<float>() + (b * count + i) * 4, centerPoint);
                    bool suppressed = false;
                    for (const Box& k : kept)
                        if (iou(box, k) > iouThreshold) {
                            suppressed = true;
                            break;
                        }
                    if (suppressed)
                        continue;
                    kept.push_back(box);
                    selected.insert(selected.end(), {b, c, i});
                }
            }
        Tensor& y = ctx.output(0, DataType::Int64, {static_cast<int64_t>(selected.size() / 3), 3});
        std::copy(selected.begin(), selected.end(), y.data<int64_t>());
    });
}

std::unique_ptr<Kernel> makeRoiAlign(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(3, 3);
    const std::string mode = a.getString("mode", "avg");
    if (mode != "avg" && mode != "max")
        a.fail("mode should be 'avg' or 'max', got '", mode, "'");
    const std::string coordinates = a.getString(
        "coordinate_transformation_mode", a.opset() < 16 ? "output_half_pixel" : "half_pixel");
    if (coordinates != "half_pixel" && coordinates != "output_half_pixel")
        a.fail("coordinate_transformation_mode should be 'half_pixel' or 'output_half_pixel', "
               "got '",
               coordinates, "'");
    const int64_t outH = a.getInt("output_height", 1), outW = a.getInt("output_width", 1);
    const int64_t samplingRatio = a.getInt("sampling_ratio", 0);
    const float spatialScale = a.getFloat("spatial_scale", 1.0f);
    if (outH < 1 || outW < 1 || samplingRatio < 0)
        a.fail("output_height and output_width should be >= 1 and sampling_ratio >= 0");
    const bool halfPixel = coordinates == "half_pixel", maxMode = mode == "max";
    return makeKernel([=](KernelContext& ctx) {
        const Tensor &x = ctx.in(0), &rois = ctx.in(1);
        if (x.dtype() != DataType::Float32 || rois.dtype() != DataType::Float32)
            fail("X and rois should be float32");
        if (x.rank() != 4 || rois.rank() != 2 || rois.shape()[1] != 4)
            fail("X should be NxCxHxW and rois [num_rois, 4], got ", shapeToString(x.shape()),
                 " and ", shapeToString(rois.shape()));
        const std::vector<int64_t> batchIndex = toInt64s(ctx.in(2), "batch_indices");
        const int64_t numRois = rois.shape()[0];
        if (static_cast<int64_t>(batchIndex.size()) != numRois)
            fail("batch_indices has ", batchIndex.size(), " values for ", numRois, " rois");
        const int64_t c = x.shape()[1], h = x.shape()[2], w = x.shape()[3];
        Tensor& y = ctx.output(0, DataType::Float32, {numRois, c, outH, outW});
        const double offset = halfPixel ? 0.5 : 0.0;
        for (int64_t r = 0; r < numRois; ++r) {
            if (batchIndex[r] < 0 || batchIndex[r] >= x.shape()[0])
                fail("batch index ", batchIndex[r], " of roi ", r, " is outside the batch of ",
                     x.shape()[0]);
            const float* box = rois.data<float>() + r * 4; // x1, y1, x2, y2
            const double x1 = box[0] * spatialScale - offset, y1 = box[1] * spatialScale - offset;
            double roiW = box[2] * spatialScale - offset - x1;
            double roiH = box[3] * spatialScale - offset - y1;
            if (!halfPixel) { // the legacy mode makes every roi at least 1x1
                roiW = std::max(roiW, 1.0);
                roiH = std::max(roiH, 1.0);
            }
            const double binH = roiH / static_cast<double>(outH),
                         binW = roiW / static_cast<double>(outW);
            const int64_t gridH =
                samplingRatio > 0 ? samplingRatio : static_cast<int64_t>(std::ceil(binH));
            const int64_t gridW =
                samplingRatio > 0 ? samplingRatio : static_cast<int64_t>(std::ceil(binW));
            const double samples = static_cast<double>(std::max<int64_t>(gridH * gridW, 1));
            for (int64_t ch = 0; ch < c; ++ch) {
                const float* plane = x.data<float>() + (batchIndex[r] * c + ch) * h * w;
                for (int64_t ph = 0; ph < outH; ++ph)
                    for (int64_t pw = 0; pw < outW; ++pw) {
                        double acc = maxMode ? -INFINITY : 0.0;
                        for (int64_t iy = 0; iy < gridH; ++iy)
                            for (int64_t ix = 0; ix < gridW; ++ix) {
                                double yy = y1 + ph * binH + (iy + 0.5) * binH / gridH;
                                double xx = x1 + pw * binW + (ix + 0.5) * binW / gridW;
                                // Bilinear, as the RoiAlign of Detectron: zero well outside,
                                // clamped at the border.
                                if (yy < -1.0 || yy > h || xx < -1.0 || xx > w) {
                                    acc = maxMode ? std::max(acc, 0.0) : acc;
                                    continue;
                                }
                                yy = std::max(yy, 0.0);
                                xx = std::max(xx, 0.0);
                                int64_t y0 = static_cast<int64_t>(yy),
                                        x0 = static_cast<int64_t>(xx);
                                int64_t yN = y0 + 1, xN = x0 + 1;
                                if (y0 >= h - 1) {
                                    y0 = yN = h - 1;
                                    yy = static_cast<double>(y0);
                                }
                                if (x0 >= w - 1) {
                                    x0 = xN = w - 1;
                                    xx = static_cast<double>(x0);
                                }
                                const double ly = yy - y0, lx = xx - x0, hy = 1 - ly, hx = 1 - lx;
                                const double v[4] = {
                                    hy * hx * plane[y0 * w + x0], hy * lx * plane[y0 * w + xN],
                                    ly * hx * plane[yN * w + x0], ly * lx * plane[yN * w + xN]};
                                if (maxMode) // ONNX Runtime's (and ONNX's) max: of the weighted
                                             // taps
                                    acc = std::max({acc, v[0], v[1], v[2], v[3]});
                                else
                                    acc += v[0] + v[1] + v[2] + v[3];
                            }
                        y.data<float>()[((r * c + ch) * outH + ph) * outW + pw] =
                            static_cast<float>(maxMode ? acc : acc / samples);
                    }
            }
        }
    });
}

} // namespace lb::backends::reference
