// Signal ops of opset 17: the window generators (HannWindow, HammingWindow, BlackmanWindow), DFT,
// STFT and MelWeightMatrix. Everything is computed in double and stored in the output type; the
// transforms are plain O(n^2) sums (this is the reference backend, not a fast path).
#include "backends/reference/kernel_util.h"
#include "backends/reference/kernels.h"

#include <cmath>
#include <complex>
#include <numbers>

namespace lb::backends::reference {

// cast_kernels.cpp
void castInto(const Tensor& x, Tensor& y, bool truncateBfloat16);

namespace {

using Complex = std::complex<double>;

// A float64 tensor stored as `type` (output_datatype): float32 unless the node says otherwise.
void storeAs(KernelContext& ctx, size_t output, const Tensor& values, DataType type) {
    castInto(values, ctx.output(output, type, values.shape()), false);
}

DataType outputDatatype(const NodeAttrs& a) {
    const int64_t code = a.getInt("output_datatype", 1);
    if (!isValidDataType(static_cast<int32_t>(code)) || code == 0 ||
        code == static_cast<int64_t>(DataType::String) ||
        code == static_cast<int64_t>(DataType::Complex64) ||
        code == static_cast<int64_t>(DataType::Complex128))
        a.fail("output_datatype should be a numeric ONNX type code, got ", code);
    return static_cast<DataType>(code);
}

int64_t scalarInt(const Tensor& t, const char* what) {
    const std::vector<int64_t> v = toInt64s(t, what);
    if (v.size() != 1)
        fail(what, " should hold one value, it has ", v.size());
    return v[0];
}

double scalarDouble(const Tensor& t, const char* what) {
    if (t.numel() != 1)
        fail(what, " should hold one value, it has ", t.numel());
    return t.valueAsDouble(0);
}

// The signal as complex values: the last axis holds 1 (real) or 2 (real, imaginary) components.
std::vector<Complex> complexValues(const Tensor& t, const char* what) {
    if (t.rank() < 2 || (t.shape().back() != 1 && t.shape().back() != 2))
        fail(what, " should end in an axis of 1 (real) or 2 (complex) components, it is ",
             shapeToString(t.shape()));
    const bool complex = t.shape().back() == 2;
    std::vector<Complex> out(static_cast<size_t>(t.numel() / t.shape().back()));
    for (size_t i = 0; i < out.size(); ++i)
        out[i] = complex ? Complex(t.valueAsDouble(2 * i), t.valueAsDouble(2 * i + 1))
                         : Complex(t.valueAsDouble(i), 0.0);
    return out;
}

// DFT of `n` samples read from in[0], in[stride], ... (zero past `available`), keeping `bins`
// outputs written to out[0], out[stride], ...; inverse divides by n.
void dft(const Complex* in, int64_t available, int64_t stride, int64_t n, int64_t bins,
         bool inverse, Complex* out, int64_t outStride) {
    const double sign = inverse ? 1.0 : -1.0;
    for (int64_t k = 0; k < bins; ++k) {
        Complex sum = 0.0;
        for (int64_t t = 0; t < std::min(n, available); ++t) {
            const double angle = sign * 2.0 * std::numbers::pi * static_cast<double>((k * t) % n) /
                                 static_cast<double>(n);
            sum += in[t * stride] * Complex(std::cos(angle), std::sin(angle));
        }
        out[k * outStride] = inverse ? sum / static_cast<double>(n) : sum;
    }
}

Tensor complexTensor(const Shape& shape, const std::vector<Complex>& values) {
    Tensor t(DataType::Float64, shape);
    for (size_t i = 0; i < values.size(); ++i) {
        t.data<double>()[2 * i] = values[i].real();
        t.data<double>()[2 * i + 1] = values[i].imag();
    }
    return t;
}

} // namespace

std::unique_ptr<Kernel> makeWindow(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    const DataType type = outputDatatype(a);
    const bool periodic = a.getInt("periodic", 1) != 0;
    const std::string op = info.node.opType;
    return makeKernel([=](KernelContext& ctx) {
        const int64_t size = scalarInt(ctx.in(0), "size");
        if (size < 0)
            fail("size should be >= 0, got ", size);
        Tensor w(DataType::Float64, {size});
        const double n = static_cast<double>(periodic ? size : size - 1);
        for (int64_t i = 0; i < size; ++i) {
            const double x = n > 0 ? 2.0 * std::numbers::pi * static_cast<double>(i) / n : 0.0;
            double v;
            if (op == "HannWindow")
                v = 0.5 - 0.5 * std::cos(x);
            else if (op == "HammingWindow")
                v = 25.0 / 46.0 - (1.0 - 25.0 / 46.0) * std::cos(x);
            else // BlackmanWindow
                v = 0.42 - 0.5 * std::cos(x) + 0.08 * std::cos(2.0 * x);
            w.data<double>()[i] = v;
        }
        storeAs(ctx, 0, w, type);
    });
}

std::unique_ptr<Kernel> makeDft(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 2);
    const int64_t axisAttr = a.getInt("axis", 1);
    const bool inverse = a.getInt("inverse", 0) != 0;
    const bool onesided = a.getInt("onesided", 0) != 0;
    if (inverse && onesided)
        a.fail("inverse and onesided cannot both be set");
    return makeKernel([=](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        const std::vector<Complex> values = complexValues(x, "input");
        // The axes of the signal exclude the last (components) axis.
        const int64_t rank = x.rank() - 1;
        const int64_t axis = normalizeAxis(axisAttr, rank);
        if (axis == 0)
            fail("axis 0 is the batch axis; the DFT axis should be 1 to ", rank - 1);
        const int64_t length = x.shape()[axis];
        const int64_t n = ctx.input(1) && ctx.input(1)->numel() > 0
                              ? scalarInt(*ctx.input(1), "dft_length")
                              : length;
        if (n < 1)
            fail("dft_length should be >= 1, got ", n);
        const int64_t bins = onesided ? n / 2 + 1 : n;
        Shape outShape(x.shape().begin(), x.shape().end() - 1);
        outShape[axis] = bins;
        const int64_t outer = product(outShape, 0, axis);
        const int64_t inner = product(outShape, axis + 1, outShape.size());
        std::vector<Complex> out(static_cast<size_t>(outer * bins * inner));
        for (int64_t o = 0; o < outer; ++o)
            for (int64_t i = 0; i < inner; ++i)
                dft(values.data() + o * length * inner + i, length, inner, n, bins, inverse,
                    out.data() + o * bins * inner + i, inner);
        outShape.push_back(2);
        storeAs(ctx, 0, complexTensor(outShape, out), x.dtype());
    });
}

std::unique_ptr<Kernel> makeStft(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 4);
    const bool onesided = a.getInt("onesided", 1) != 0;
    return makeKernel([=](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        if (x.rank() != 3)
            fail("signal should be [batch, length, 1 or 2], it is ", shapeToString(x.shape()));
        const std::vector<Complex> values = complexValues(x, "signal");
        const int64_t step = scalarInt(ctx.in(1), "frame_step");
        const Tensor* window = ctx.input(2) && ctx.input(2)->numel() > 0 ? ctx.input(2) : nullptr;
        const Tensor* lengthT = ctx.input(3) && ctx.input(3)->numel() > 0 ? ctx.input(3) : nullptr;
        if (!window && !lengthT)
            fail("STFT needs a window or a frame_length");
        const int64_t frame = lengthT ? scalarInt(*lengthT, "frame_length") : window->numel();
        if (window && window->numel() != frame)
            fail("window has ", window->numel(), " values, frame_length is ", frame);
        const int64_t batch = x.shape()[0], length = x.shape()[1];
        if (step < 1 || frame < 1 || frame > length)
            fail("frame_step ", step, " and frame_length ", frame,
                 " do not fit a signal of length ", length);
        const int64_t frames = (length - frame) / step + 1;
        const int64_t bins = onesided ? frame / 2 + 1 : frame;
        std::vector<Complex> out(static_cast<size_t>(batch * frames * bins));
        std::vector<Complex> windowed(static_cast<size_t>(frame));
        for (int64_t b = 0; b < batch; ++b)
            for (int64_t f = 0; f < frames; ++f) {
                for (int64_t t = 0; t < frame; ++t)
                    windowed[t] = values[b * length + f * step + t] *
                                  (window ? window->valueAsDouble(t) : 1.0);
                dft(windowed.data(), frame, 1, frame, bins, false,
                    out.data() + (b * frames + f) * bins, 1);
            }
        storeAs(ctx, 0, complexTensor({batch, frames, bins, 2}, out), x.dtype());
    });
}

// ONNX's definition (opset 17): num_mel_bins + 2 edges evenly spaced in mel between the two
// edge frequencies, each mapped to the FFT bin floor((dft_length + 1) * hz / sample_rate), and a
// triangle per mel bin between its neighbours' edges.
std::unique_ptr<Kernel> makeMelWeightMatrix(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(5, 5);
    const DataType type = outputDatatype(a);
    return makeKernel([=](KernelContext& ctx) {
        const int64_t mels = scalarInt(ctx.in(0), "num_mel_bins");
        const int64_t dftLength = scalarInt(ctx.in(1), "dft_length");
        const int64_t sampleRate = scalarInt(ctx.in(2), "sample_rate");
        const double lowHz = scalarDouble(ctx.in(3), "lower_edge_hertz");
        const double highHz = scalarDouble(ctx.in(4), "upper_edge_hertz");
        if (mels < 1 || dftLength < 1 || sampleRate < 1 || !(lowHz >= 0.0) || !(highHz > lowHz))
            fail("expected num_mel_bins, dft_length, sample_rate >= 1 and 0 <= lower_edge_hertz "
                 "< upper_edge_hertz");
        const auto toMel = [](double hz) { return 2595.0 * std::log10(1.0 + hz / 700.0); };
        const double lowMel = toMel(lowHz);
        const double step = (toMel(highHz) - lowMel) / static_cast<double>(mels + 2);
        std::vector<int64_t> edge(static_cast<size_t>(mels + 2));
        for (int64_t i = 0; i < mels + 2; ++i) {
            const double hz = 700.0 * (std::pow(10.0, (i * step + lowMel) / 2595.0) - 1.0);
            edge[i] = static_cast<int64_t>(std::floor(static_cast<double>(dftLength + 1) * hz /
                                                      static_cast<double>(sampleRate)));
        }
        const int64_t spectrogramBins = dftLength / 2 + 1;
        Tensor w(DataType::Float64, {spectrogramBins, mels});
        double* out = w.data<double>();
        const auto set = [&](int64_t row, int64_t col, double v) {
            if (row < 0 || row >= spectrogramBins)
                fail("mel bin ", col, " reaches FFT bin ", row, " of ", spectrogramBins,
                     " (upper_edge_hertz above the Nyquist frequency?)");
            out[row * mels + col] = v;
        };
        for (int64_t i = 0; i < mels; ++i) {
            const int64_t lo = edge[i], center = edge[i + 1], hi = edge[i + 2];
            if (center == lo)
                set(center, i, 1.0);
            else
                for (int64_t j = lo; j <= center; ++j)
                    set(j, i, static_cast<double>(j - lo) / static_cast<double>(center - lo));
            for (int64_t j = center; j < hi; ++j)
                set(j, i, static_cast<double>(hi - j) / static_cast<double>(hi - center));
        }
        storeAs(ctx, 0, w, type);
    });
}

} // namespace lb::backends::reference
