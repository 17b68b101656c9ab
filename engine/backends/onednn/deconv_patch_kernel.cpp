// ConvTranspose whose stride equals its kernel (no padding, dilation or groups): every input
// pixel writes its own kH x kW patch of the output, so the op is one matmul
// [N*H*W, C] x [C, kH*kW*C_out] followed by a copy of each row's patches into an NHWC output.
// oneDNN's deconvolution runs det's last layer (24 -> 1 channel, 2x2 stride 2) as gemm + col2im
// at ~1 GFLOP/s; this runs at matmul speed. An output that stays in the backend with a multiple
// of 16 channels is written in the blocked layout (nChw16c) the convolutions use instead: UNet's
// up-path Concat of this output with a blocked skip tensor was oneDNN's reference concat
// (`ref:any`, mixed layouts), 1 ms for 1x32x256x256.
#include "backends/onednn/kernels.h"
#include "backends/onednn/layout.h"
#include "backends/onednn/op_attrs.h"

#include <cstring>

namespace lb::backends::onednn {

namespace {

using dnnl::matmul;
using tag = memory::format_tag;

bool allEqual(const std::vector<int64_t>& v, int64_t value) {
    for (int64_t x : v)
        if (x != value)
            return false;
    return true;
}

class PatchDeconvKernel : public runtime::Kernel {
public:
    PatchDeconvKernel(const runtime::KernelInfo& info, const Tensor& w, const Tensor* bias)
        : m_channels(w.shape()[0]), m_outChannels(w.shape()[1]), m_kh(w.shape()[2]),
          m_kw(w.shape()[3]),
          m_stays(!info.outputStaysInBackend.empty() && info.outputStaysInBackend[0]) {
        // Columns in (a, b, o) order so each output pixel's channels are contiguous.
        const int64_t k = m_kh * m_kw * m_outChannels;
        m_weights = Tensor(DataType::Float32, {m_channels, k});
        m_bias = Tensor(DataType::Float32, {1, k});
        const float* src = w.data<float>();
        float* dst = m_weights.data<float>();
        for (int64_t c = 0; c < m_channels; ++c)
            for (int64_t o = 0; o < m_outChannels; ++o)
                for (int64_t p = 0; p < m_kh * m_kw; ++p)
                    dst[c * k + p * m_outChannels + o] =
                        src[(c * m_outChannels + o) * m_kh * m_kw + p];
        for (int64_t p = 0; p < m_kh * m_kw; ++p)
            for (int64_t o = 0; o < m_outChannels; ++o)
                m_bias.data<float>()[p * m_outChannels + o] = bias ? bias->data<float>()[o] : 0.0f;
    }

    void run(runtime::KernelContext& ctx) override {
        ThreadScope scope(ctx.threads());
        const Tensor& x = ctx.in(0);
        if (x.rank() != 4 || x.shape()[1] != m_channels)
            fail("expected input X of shape Nx", m_channels, "xHxW, got ",
                 shapeToString(x.shape()));
        if (x.shape() != m_builtFor)
            build(x.shape());
        const Shape& xs = x.shape();
        const int64_t rows = xs[0] * xs[2] * xs[3], k = m_kh * m_kw * m_outChannels;
        dnnl::stream& s = cpuStream();
        const memory src =
            m_src.convert(x, memory::desc(toDims(xs), memory::data_type::f32, tag::acdb));
        const memory a(plainDesc({rows, m_channels}), cpuEngine(), src.get_data_handle());
        const memory t(plainDesc({rows, k}), cpuEngine(),
                       m_patches.reserve(rows * k * sizeof(float)));
        m_prim.execute(s,
                       {{DNNL_ARG_SRC, a},
                        {DNNL_ARG_WEIGHTS, m_packed},
                        {DNNL_ARG_BIAS, memory(plainDesc({1, k}), cpuEngine(), m_bias.rawData())},
                        {DNNL_ARG_DST, t}});
        s.wait();
        memory dst = m_out.prepare(ctx, 0, m_outShape, m_outDesc, m_stays);
        if (m_blocked)
            scatterBlocked(static_cast<const float*>(t.get_data_handle()),
                           static_cast<float*>(dst.get_data_handle()), xs, ctx.threads());
        else
            scatter(static_cast<const float*>(t.get_data_handle()),
                    static_cast<float*>(dst.get_data_handle()), xs, ctx.threads());
        m_out.finish();
        s.wait();
    }

    size_t outputStorageBytes(size_t output) const override {
        return output == 0 && m_stays && !m_builtFor.empty()
                   ? extraStorageBytes(m_outDesc, m_outShape)
                   : 0;
    }

private:
    void build(const Shape& xs) {
        const int64_t rows = xs[0] * xs[2] * xs[3], k = m_kh * m_kw * m_outChannels;
        const auto f32 = memory::data_type::f32;
        const matmul::desc desc(plainDesc({rows, m_channels}),
                                memory::desc({m_channels, k}, f32, tag::any), plainDesc({1, k}),
                                plainDesc({rows, k}));
        m_pd = matmul::primitive_desc(desc, cpuEngine());
        m_prim = matmul(m_pd);
        packWeights(m_packed, m_pd.weights_desc(), plainDesc({m_channels, k}), m_weights.rawData());
        m_outShape = {xs[0], m_outChannels, xs[2] * m_kh, xs[3] * m_kw};
        // NHWC; with one channel that is plain NCHW; blocked where it stays and fills blocks.
        m_blocked = m_stays && m_outChannels % 16 == 0;
        m_outDesc = m_outChannels == 1 ? plainDesc(m_outShape)
                    : m_blocked        ? memory::desc(toDims(m_outShape), f32, tag::aBcd16b)
                                       : memory::desc(toDims(m_outShape), f32, tag::acdb);
        m_builtFor = xs;
    }

    // t[(n, i, j), (a, b, o)] -> out[n, i*kH + a, j*kW + b, o] (NHWC).
    void scatter(const float* t, float* out, const Shape& xs, int threads) const {
        const int64_t h = xs[2], w = xs[3], wOut = w * m_kw, k = m_kh * m_kw * m_outChannels;
        const int64_t run = m_kw * m_outChannels; // one patch row: contiguous in t and in out
        const int64_t lines = xs[0] * h;
#pragma omp parallel for num_threads(threads) if (lines * w * k > 65536)
        for (int64_t line = 0; line < lines; ++line) // line = n * h + i
            for (int64_t a = 0; a < m_kh; ++a) {
                float* o = out + (line * m_kh + a) * wOut * m_outChannels;
                const float* r = t + line * w * k + a * run;
                for (int64_t j = 0; j < w; ++j)
                    std::memcpy(o + j * run, r + j * k, static_cast<size_t>(run) * sizeof(float));
            }
    }

    // t[(n, i, j), (a, b, o)] -> out[n, o / 16, i*kH + a, j*kW + b, o % 16] (nChw16c).
    void scatterBlocked(const float* t, float* out, const Shape& xs, int threads) const {
        constexpr int64_t kBlock = 16;
        const int64_t h = xs[2], w = xs[3], hOut = h * m_kh, wOut = w * m_kw;
        const int64_t k = m_kh * m_kw * m_outChannels, blocks = m_outChannels / kBlock;
        const int64_t lines = xs[0] * blocks * hOut; // (n, block, output row)
#pragma omp parallel for num_threads(threads) if (lines * wOut * kBlock > 65536)
        for (int64_t line = 0; line < lines; ++line) {
            const int64_t y = line % hOut, nb = line / hOut, cb = nb % blocks, n = nb / blocks;
            const int64_t i = y / m_kh, a = y % m_kh;
            float* o = out + line * wOut * kBlock;
            const float* r = t + ((n * h + i) * w) * k + a * m_kw * m_outChannels + cb * kBlock;
            for (int64_t j = 0; j < w; ++j)
                for (int64_t b = 0; b < m_kw; ++b)
                    std::memcpy(o + (j * m_kw + b) * kBlock, r + j * k + b * m_outChannels,
                                kBlock * sizeof(float));
        }
    }

    int64_t m_channels, m_outChannels, m_kh, m_kw;
    bool m_stays;
    bool m_blocked = false;
    Tensor m_weights, m_bias;
    Shape m_builtFor, m_outShape;
    memory::desc m_outDesc;
    matmul::primitive_desc m_pd;
    matmul m_prim;
    memory m_packed;
    Buffer m_patches;
    InputConverter m_src;
    OutputWriter m_out;
};

} // namespace

std::unique_ptr<runtime::Kernel> makePatchDeconv(const runtime::KernelInfo& info) {
    const NodeAttrs a(info.graph, info.node);
    const Tensor* w = info.constantInput(1);
    if (!w || w->dtype() != DataType::Float32 || w->rank() != 4 || info.inputCount() > 3)
        return nullptr;
    const Tensor* b = info.hasInput(2) ? info.constantInput(2) : nullptr;
    if (info.hasInput(2) && (!b || b->numel() != w->shape()[1]))
        return nullptr;
    const WindowAttrs win = parseWindow(a, 2);
    const std::vector<int64_t> kernel{w->shape()[2], w->shape()[3]};
    if (a.getInt("group", 1) != 1 || win.autoPad != "NOTSET" || win.strides != kernel ||
        (!win.kernel.empty() && win.kernel != kernel) || !allEqual(win.pads, 0) ||
        !allEqual(win.dilations, 1) || !allEqual(a.getInts("output_padding"), 0) ||
        !a.getInts("output_shape").empty())
        return nullptr;
    return std::make_unique<PatchDeconvKernel>(info, *w, b);
}

} // namespace lb::backends::onednn
