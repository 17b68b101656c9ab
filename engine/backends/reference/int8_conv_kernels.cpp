// QConv and QConvTranspose (ops/int8_ops.h), the definition every int8 backend is checked
// against: the dot products summed exactly in int32 over the integers q_x + x_offset (X's real
// value in units of x_scale; a padding tap is a real 0 and adds nothing) times the int8 weights,
// then per output the float requantization the spec states, one plain loop per step.
#include "backends/reference/int8_util.h"
#include "backends/reference/kernels.h"
#include "backends/reference/spatial.h"
#include "ops/fused_ops.h"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>

namespace lb::backends::reference {

namespace {

Shape spatialOf(const Shape& s) {
    return Shape(s.begin() + 2, s.end());
}

// The attributes that turn an accumulator into an output byte (the same for both ops).
struct Requantizer {
    float xScale = 1;
    int64_t xOffset = 0;
    std::vector<float> wScales;
    ByteEncoding y;
    std::optional<ByteEncoding> z; // QConv's residual input Z
    ops::Activation activation;
    std::optional<std::pair<float, float>> affine; // output_affine: scale, shift

    // The byte of output channel c for accumulator `acc`: the real sum
    // acc * x_scale * w_scales[c] + B[c] (+ real Z) in double, rounded once to float32, then the
    // activation and output_affine in float32, then quantized to Y's encoding.
    uint8_t output(int32_t acc, int64_t c, float bias, int zByte) const {
        const double wScale = wScales[wScales.size() == 1 ? 0 : static_cast<size_t>(c)];
        double sum = double(acc) * (double(xScale) * wScale) + double(bias);
        if (z)
            sum += double(z->real(zByte));
        float v = activation.apply(static_cast<float>(sum));
        if (affine)
            v = v * affine->first + affine->second;
        return y.quantize(v);
    }
};

Requantizer parseRequantizer(const NodeAttrs& a, bool hasZ) {
    Requantizer r;
    const ByteEncoding x = byteEncoding(a, "x_scale", "x_offset");
    r.xScale = x.scale;
    r.xOffset = x.offset;
    r.y = byteEncoding(a, "y_scale", "y_offset");
    if (hasZ)
        r.z = byteEncoding(a, "z_scale", "z_offset");
    r.wScales = a.getFloats("w_scales");
    if (r.wScales.empty())
        a.fail("w_scales is required (one per output channel, or one)");
    for (float s : r.wScales)
        if (!(s > 0.0f) || !std::isfinite(s))
            a.fail("w_scales should be finite scales > 0, got ", s);
    r.activation = ops::fusedActivation(a.node());
    if (a.has("output_affine")) {
        const std::vector<float> affine = a.getFloats("output_affine");
        if (affine.size() != 2)
            a.fail("output_affine takes [scale, shift], got ", affine.size(), " values");
        r.affine = {affine[0], affine[1]};
    }
    return r;
}

// The checks both ops make on the run's tensors, for m output channels and `taps` products per
// output (cg * kernel size).
void checkTensors(const Requantizer& r, const Tensor& x, const Tensor& w, const Tensor* b,
                  int64_t m, int64_t taps) {
    expectType(x, DataType::UInt8, "input X");
    expectType(w, DataType::Int8, "weight W");
    if (r.wScales.size() != 1 && static_cast<int64_t>(r.wScales.size()) != m)
        fail("w_scales has ", r.wScales.size(), " values for ", m, " output channels");
    if (b && (b->dtype() != DataType::Float32 || b->numel() != m))
        fail("bias B should be float32 with ", m, " values, got ", dtypeName(b->dtype()), " ",
             shapeToString(b->shape()));
    // |q_w| <= 128 and |q_x + x_offset| <= 255 (offset in [-255, 0]): the int32 sum of `taps`
    // products cannot overflow below this.
    const int64_t largest = std::max<int64_t>(std::abs(r.xOffset), std::abs(255 + r.xOffset));
    if (taps * largest * 128 > std::numeric_limits<int32_t>::max())
        fail(taps, " products per output could overflow the int32 accumulator");
}

// X's bytes as the integers q + x_offset.
std::vector<int32_t> shifted(const Tensor& x, int64_t offset) {
    std::vector<int32_t> xs(static_cast<size_t>(x.numel()));
    for (int64_t i = 0; i < x.numel(); ++i)
        xs[i] = x.data<uint8_t>()[i] + static_cast<int32_t>(offset);
    return xs;
}

// [lo, hi): the i in [0, count) with i * stride + shift in [0, bound).
std::pair<int64_t, int64_t> tapRange(int64_t count, int64_t bound, int64_t stride, int64_t shift) {
    const int64_t lo = shift >= 0 ? 0 : (-shift + stride - 1) / stride;
    const int64_t last = bound - 1 - shift;
    const int64_t hi = last < 0 ? 0 : std::min(count, last / stride + 1);
    return {lo, std::max(lo, hi)};
}

} // namespace

std::unique_ptr<Kernel> makeQConv(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 4);
    const WindowAttrs window = parseWindow(a);
    const int64_t group = a.getInt("group", 1);
    if (group < 1)
        a.fail("group should be >= 1, got ", group);
    const bool hasZ = info.hasInput(3);
    const Requantizer r = parseRequantizer(a, hasZ);
    return makeKernel([=](KernelContext& ctx) {
        const Tensor &x = ctx.in(0), &w = ctx.in(1);
        const Tensor* b = ctx.input(2);
        if (x.rank() < 3 || w.rank() != x.rank())
            fail("X ", shapeToString(x.shape()), " and W ", shapeToString(w.shape()),
                 " should both be NxCxD1... tensors of one rank");
        const int64_t n = x.shape()[0], c = x.shape()[1], m = w.shape()[0];
        const int64_t cg = w.shape()[1], mg = m / group;
        if (c != cg * group || m % group != 0)
            fail("X has ", c, " channels and W is ", shapeToString(w.shape()), " with group ",
                 group);
        const Shape kernel = spatialOf(w.shape());
        if (!window.kernel.empty() && window.kernel != kernel)
            fail("kernel_shape does not match W ", shapeToString(w.shape()));
        const Geometry g = windowGeometry(window, spatialOf(x.shape()), kernel);
        checkTensors(r, x, w, b, m, cg * g.kernelSize());
        Shape outShape{n, m};
        for (int64_t d : g.outDims())
            outShape.push_back(d);
        const Tensor* z = hasZ ? &ctx.in(3) : nullptr;
        if (z && (z->dtype() != DataType::UInt8 || z->shape() != outShape))
            fail("residual Z should be uint8 ", shapeToString(outShape), ", got ",
                 dtypeName(z->dtype()), " ", shapeToString(z->shape()));
        Tensor& y = ctx.output(0, DataType::UInt8, outShape);
        const std::vector<int32_t> xs = shifted(x, r.xOffset);
        const int8_t* wq = w.data<int8_t>();
        const int64_t iSize = g.inSize(), oSize = g.outSize(), kSize = g.kernelSize();
        for (int64_t i = 0; i < n; ++i) {
#pragma omp parallel for num_threads(ctx.threads())
            for (int64_t oc = 0; oc < m; ++oc) {
                std::vector<int32_t> acc(static_cast<size_t>(oSize), 0);
                const int64_t first = (oc / mg) * cg; // the group's first input channel
                for (int64_t icg = 0; icg < cg; ++icg) {
                    const int32_t* xc = xs.data() + (i * c + first + icg) * iSize;
                    const int8_t* wc = wq + (oc * cg + icg) * kSize;
                    for (int64_t kd = 0; kd < g.kernel[0]; ++kd)
                        for (int64_t kh = 0; kh < g.kernel[1]; ++kh)
                            for (int64_t kw = 0; kw < g.kernel[2]; ++kw) {
                                const int32_t wv = wc[(kd * g.kernel[1] + kh) * g.kernel[2] + kw];
                                // The outputs whose tap lands inside X (the rest read padding).
                                const int64_t sd = kd * g.dilation[0] - g.padBegin[0],
                                              sh = kh * g.dilation[1] - g.padBegin[1],
                                              sw = kw * g.dilation[2] - g.padBegin[2];
                                const auto [d0, d1] = tapRange(g.out[0], g.in[0], g.stride[0], sd);
                                const auto [h0, h1] = tapRange(g.out[1], g.in[1], g.stride[1], sh);
                                const auto [w0, w1] = tapRange(g.out[2], g.in[2], g.stride[2], sw);
                                for (int64_t od = d0; od < d1; ++od)
                                    for (int64_t oh = h0; oh < h1; ++oh) {
                                        const int64_t id = od * g.stride[0] + sd,
                                                      ih = oh * g.stride[1] + sh;
                                        const int32_t* row = xc + (id * g.in[1] + ih) * g.in[2];
                                        int32_t* out = acc.data() + (od * g.out[1] + oh) * g.out[2];
                                        for (int64_t ow = w0; ow < w1; ++ow)
                                            out[ow] += wv * row[ow * g.stride[2] + sw];
                                    }
                            }
                }
                const float bias = b ? b->data<float>()[oc] : 0.0f;
                const int64_t base = (i * m + oc) * oSize;
                for (int64_t p = 0; p < oSize; ++p)
                    y.data<uint8_t>()[base + p] =
                        r.output(acc[p], oc, bias, z ? z->data<uint8_t>()[base + p] : 0);
            }
        }
    });
}

std::unique_ptr<Kernel> makeQConvTranspose(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 3);
    const WindowAttrs window = parseWindow(a);
    const int64_t group = a.getInt("group", 1);
    const std::vector<int64_t> outputPadding = a.getInts("output_padding");
    const std::vector<int64_t> outputShape = a.getInts("output_shape");
    if (group < 1)
        a.fail("group should be >= 1, got ", group);
    const Requantizer r = parseRequantizer(a, false);
    return makeKernel([=](KernelContext& ctx) {
        const Tensor &x = ctx.in(0), &w = ctx.in(1);
        const Tensor* b = ctx.input(2);
        if (x.rank() < 3 || x.rank() > 5 || w.rank() != x.rank())
            fail("X and W should be NxCxD1... tensors of one rank (3 to 5)");
        const int64_t n = x.shape()[0], c = x.shape()[1], mg = w.shape()[1], m = mg * group;
        if (w.shape()[0] != c || c % group != 0)
            fail("X has ", c, " channels but W is ", shapeToString(w.shape()), " with group ",
                 group);
        const int64_t cg = c / group;
        const Geometry g = transposedGeometry(window, outputPadding, outputShape,
                                              spatialOf(x.shape()), spatialOf(w.shape()));
        checkTensors(r, x, w, b, m, cg * g.kernelSize());
        Shape outShape{n, m};
        for (int64_t d : g.outDims())
            outShape.push_back(d);
        Tensor& y = ctx.output(0, DataType::UInt8, outShape);
        const std::vector<int32_t> xs = shifted(x, r.xOffset);
        const int8_t* wq = w.data<int8_t>();
        const int64_t iSize = g.inSize(), oSize = g.outSize(), kSize = g.kernelSize();
        for (int64_t i = 0; i < n; ++i) {
#pragma omp parallel for num_threads(ctx.threads())
            for (int64_t oc = 0; oc < m; ++oc) {
                // Every input pixel adds W[ic, oc] times itself to the outputs its taps reach:
                // output o = input * stride + tap * dilation - padBegin.
                std::vector<int32_t> acc(static_cast<size_t>(oSize), 0);
                const int64_t gi = oc / mg, ocg = oc % mg;
                for (int64_t icg = 0; icg < cg; ++icg) {
                    const int64_t ic = gi * cg + icg;
                    const int32_t* xc = xs.data() + (i * c + ic) * iSize;
                    const int8_t* wc = wq + (ic * mg + ocg) * kSize;
                    for (int64_t kd = 0; kd < g.kernel[0]; ++kd)
                        for (int64_t kh = 0; kh < g.kernel[1]; ++kh)
                            for (int64_t kw = 0; kw < g.kernel[2]; ++kw) {
                                const int32_t wv = wc[(kd * g.kernel[1] + kh) * g.kernel[2] + kw];
                                const int64_t sd = kd * g.dilation[0] - g.padBegin[0],
                                              sh = kh * g.dilation[1] - g.padBegin[1],
                                              sw = kw * g.dilation[2] - g.padBegin[2];
                                const auto [d0, d1] = tapRange(g.in[0], g.out[0], g.stride[0], sd);
                                const auto [h0, h1] = tapRange(g.in[1], g.out[1], g.stride[1], sh);
                                const auto [w0, w1] = tapRange(g.in[2], g.out[2], g.stride[2], sw);
                                for (int64_t id = d0; id < d1; ++id)
                                    for (int64_t ih = h0; ih < h1; ++ih) {
                                        const int64_t od = id * g.stride[0] + sd,
                                                      oh = ih * g.stride[1] + sh;
                                        const int32_t* row = xc + (id * g.in[1] + ih) * g.in[2];
                                        int32_t* out = acc.data() + (od * g.out[1] + oh) * g.out[2];
                                        for (int64_t iw = w0; iw < w1; ++iw)
                                            out[iw * g.stride[2] + sw] += wv * row[iw];
                                    }
                            }
                }
                const float bias = b ? b->data<float>()[oc] : 0.0f;
                const int64_t base = (i * m + oc) * oSize;
                for (int64_t p = 0; p < oSize; ++p)
                    y.data<uint8_t>()[base + p] = r.output(acc[p], oc, bias, 0);
            }
        }
    });
}

runtime::Claim claimQConv(const KernelInfo& info) {
    if (runtime::Claim types =
            claimTypes(info, {DataType::UInt8, DataType::Int8, DataType::Float32, DataType::UInt8});
        !types)
        return types;
    return claimConv(info); // spatial ranks 1-3
}

runtime::Claim claimQConvTranspose(const KernelInfo& info) {
    if (runtime::Claim types =
            claimTypes(info, {DataType::UInt8, DataType::Int8, DataType::Float32});
        !types)
        return types;
    return claimConv(info);
}

} // namespace lb::backends::reference
