// QConvTranspose (ops/int8_ops.h) whose stride equals its kernel (no padding, dilation or
// groups: PaddleOCR det's head): every input pixel writes its own kH x kW patch, so the op is one
// int8 matmul [N*H*W, C_in] x [C_in, kH*kW*C_out] (columns in (a, b, o) order) into u8 patches,
// whose kW*C_out runs are then copied into the NHWC output. The quantization is QConv's: u8 source
// with a runtime zero point, s8 weights pre-packed once, output scales s_x * s_w[o] per column,
// the bias in accumulator units, and an eltwise_linear (1 / s_y, -offset_y) before the u8
// saturation.
#include "backends/onednn/int8_layout.h"
#include "backends/onednn/int8_vector.h"
#include "backends/onednn/kernels.h"
#include "backends/onednn/layout.h"
#include "backends/onednn/op_attrs.h"

#include <algorithm>
#include <cstring>

namespace lb::backends::onednn {

namespace {

using tag = memory::format_tag;
using dt = memory::data_type;

class QPatchDeconvKernel : public runtime::Kernel {
public:
    QPatchDeconvKernel(const runtime::KernelInfo& info, const NodeAttrs& a, const Tensor& w)
        : m_channels(w.shape()[0]), m_outChannels(w.shape()[1]), m_kh(w.shape()[2]),
          m_kw(w.shape()[3]),
          m_stays(!info.outputStaysInBackend.empty() && info.outputStaysInBackend[0]) {
        const int64_t k = m_kh * m_kw * m_outChannels, m = m_outChannels;
        const QuantizedConvAttrs q = parseQuantizedConv(a, info, m);
        m_weights = Tensor(DataType::Int8, {m_channels, k});
        const int8_t* src = w.data<int8_t>();
        int8_t* dst = m_weights.data<int8_t>();
        for (int64_t c = 0; c < m_channels; ++c)
            for (int64_t o = 0; o < m; ++o)
                for (int64_t p = 0; p < m_kh * m_kw; ++p)
                    dst[c * k + p * m + o] = src[(c * m + o) * m_kh * m_kw + p];
        // One matmul column per (tap, output channel): its channel's scale and bias.
        for (int64_t p = 0; p < m_kh * m_kw; ++p) {
            m_scales.insert(m_scales.end(), q.scales.begin(), q.scales.end());
            m_bias.insert(m_bias.end(), q.bias.begin(), q.bias.end());
        }
        m_steps = q.steps(a);
        m_zeroPoint = q.zeroPoint();
    }

    void run(runtime::KernelContext& ctx) override {
        ThreadScope scope(ctx.threads());
        const Tensor& x = ctx.in(0);
        checkQuantizedInput(x, m_channels);
        if (x.shape() != m_builtFor)
            build(x.shape());
        const Shape& xs = x.shape();
        const int64_t rows = xs[0] * xs[2] * xs[3], k = m_kh * m_kw * m_outChannels;
        dnnl::stream& s = cpuStream();
        const memory in = m_src.convert(x, memory::desc(toDims(xs), dt::u8, tag::nhwc));
        const memory a(memory::desc({rows, m_channels}, dt::u8, tag::ab), cpuEngine(),
                       in.get_data_handle());
        const memory t(memory::desc({rows, k}, dt::u8, tag::ab), cpuEngine(),
                       m_patches.reserve(static_cast<size_t>(rows * k)));
        memory zp(memory::desc({1}, dt::s32, tag::x), cpuEngine(), &m_zeroPoint);
        m_prim.execute(s, {{DNNL_ARG_SRC, a},
                           {DNNL_ARG_WEIGHTS, m_packed},
                           {DNNL_ARG_BIAS, m_biasMem},
                           {DNNL_ARG_DST, t},
                           {DNNL_ARG_ATTR_ZERO_POINTS | DNNL_ARG_SRC, zp}});
        s.wait();
        const memory::desc nhwc(toDims(m_outShape), dt::u8, tag::nhwc);
        memory dst = m_out.prepare(ctx, 0, DataType::UInt8, m_outShape, nhwc, m_stays);
        scatter(static_cast<const uint8_t*>(t.get_data_handle()),
                static_cast<uint8_t*>(dst.get_data_handle()), xs);
        m_out.finish();
        s.wait();
    }

    std::string implementation() const override {
        return m_builtFor.empty() ? std::string()
                                  : "patch matmul " + std::string(m_pd.impl_info_str());
    }

private:
    void build(const Shape& xs) {
        const int64_t rows = xs[0] * xs[2] * xs[3], k = m_kh * m_kw * m_outChannels;
        dnnl::post_ops ops;
        appendSteps(ops, m_steps);
        dnnl::primitive_attr attr;
        attr.set_output_scales(1 << 1, m_scales);
        attr.set_zero_points(DNNL_ARG_SRC, 0, {DNNL_RUNTIME_S32_VAL});
        attr.set_post_ops(ops);
        const dnnl::matmul::desc desc(memory::desc({rows, m_channels}, dt::u8, tag::ab),
                                      memory::desc({m_channels, k}, dt::s8, tag::any),
                                      memory::desc({1, k}, dt::f32, tag::ab),
                                      memory::desc({rows, k}, dt::u8, tag::ab));
        m_pd = dnnl::matmul::primitive_desc(desc, attr, cpuEngine());
        m_prim = dnnl::matmul(m_pd);
        packWeights(m_packed, m_pd.weights_desc(), memory::desc({m_channels, k}, dt::s8, tag::ab),
                    m_weights.rawData());
        m_biasMem = memory(memory::desc({1, k}, dt::f32, tag::ab), cpuEngine(), m_bias.data());
        m_outShape = {xs[0], m_outChannels, xs[2] * m_kh, xs[3] * m_kw};
        m_builtFor = xs;
    }

    // t[(n, i, j), (a, b, o)] -> out[n, i*kH + a, j*kW + b, o] (NHWC).
    void scatter(const uint8_t* t, uint8_t* out, const Shape& xs) const {
        const int64_t w = xs[3], k = m_kh * m_kw * m_outChannels;
        const int64_t run = m_kw * m_outChannels, lines = xs[0] * xs[2];
#pragma omp parallel for schedule(static)
        for (int64_t line = 0; line < lines; ++line) // line = n * H + i
            for (int64_t a = 0; a < m_kh; ++a) {
                const uint8_t* from = t + line * w * k + a * run;
                uint8_t* to = out + (line * m_kh + a) * w * run;
                // Short runs (det's last layer: 2 bytes) as fixed-size copies.
                switch (run) {
                case 1:
                    copyRuns<1>(from, k, to, w);
                    break;
                case 2:
                    copyRuns<2>(from, k, to, w);
                    break;
                case 4:
                    copyRuns<4>(from, k, to, w);
                    break;
                case 8:
                    copyRuns<8>(from, k, to, w);
                    break;
                default:
                    vec::copyRows(from, k, to, run, w, run);
                }
            }
    }

    // `count` runs of N bytes, from x every xStride bytes, packed into y.
    template <int N>
    static void copyRuns(const uint8_t* x, int64_t xStride, uint8_t* y, int64_t count) {
        for (int64_t j = 0; j < count; ++j)
            std::memcpy(y + j * N, x + j * xStride, N);
    }

    int64_t m_channels, m_outChannels, m_kh, m_kw;
    bool m_stays;
    Tensor m_weights;
    std::vector<float> m_scales, m_bias;
    std::vector<EltwiseStep> m_steps;
    int32_t m_zeroPoint = 0;
    Shape m_builtFor, m_outShape;
    dnnl::matmul::primitive_desc m_pd;
    dnnl::matmul m_prim;
    memory m_packed, m_biasMem;
    Buffer m_patches;
    InputConverter m_src;
    OutputWriter m_out;
};

bool allEqual(const std::vector<int64_t>& v, int64_t value) {
    return std::all_of(v.begin(), v.end(), [&](int64_t x) { return x == value; });
}

// The stride == kernel geometry the patch kernel runs.
bool patchGeometry(const NodeAttrs& a, const Tensor& w) {
    const WindowAttrs win = parseWindow(a, 2);
    const std::vector<int64_t> kernel{w.shape()[2], w.shape()[3]};
    return a.getInt("group", 1) == 1 && win.autoPad == "NOTSET" && win.strides == kernel &&
           (win.kernel.empty() || win.kernel == kernel) && allEqual(win.pads, 0) &&
           allEqual(win.dilations, 1) && allEqual(a.getInts("output_padding"), 0) &&
           a.getInts("output_shape").empty();
}

} // namespace

std::unique_ptr<runtime::Kernel> makeQPatchDeconv(const runtime::KernelInfo& info) {
    const NodeAttrs a(info.graph, info.node);
    const Tensor* w =
        info.inputCount() >= 2 ? info.graph.initializer(info.node.inputs[1]) : nullptr;
    if (!w || w->dtype() != DataType::Int8 || w->rank() != 4 || info.inputCount() > 3 ||
        !patchGeometry(a, *w))
        return nullptr;
    return std::make_unique<QPatchDeconvKernel>(info, a, *w);
}

} // namespace lb::backends::onednn
