// MaxPool, AveragePool (2-D) and GlobalAveragePool through XNNPACK's NHWC pooling operators,
// reading an NHWC input in place and leaving the output NHWC between XNNPACK nodes (a plain
// input or output is copied inside the kernel).
//
// ceil_mode becomes extra bottom/right padding (XNNPACK's output size is the floor one). Max
// pooling ignores padded positions and XNNPACK's average pooling divides by the number of real
// pixels, which is ONNX's count_include_pad=0; count_include_pad=1 with padding is declined.
#include "backends/xnnpack/kernels.h"
#include "backends/xnnpack/xnn_util.h"
#include "core/error.h"
#include "ops/node_attrs.h"
#include "ops/window.h"

#include <algorithm>
#include <limits>

namespace lb::backends::xnnpack {

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

class PoolKernel : public runtime::Kernel {
public:
    explicit PoolKernel(const KernelInfo& info) : m_attrs(info.graph, info.node) {
        ensureInitialized();
        const std::string& t = info.node.opType;
        m_global = t == "GlobalAveragePool";
        m_max = t == "MaxPool";
        m_attrs.expectInputs(1, 1);
        m_stays = !info.outputStaysInBackend.empty() && info.outputStaysInBackend[0];
        if (!m_global) {
            m_window = ops::parseWindowAttrs(info.node);
            if (m_window.kernel.size() != 2)
                m_attrs.fail("expected a 2-D kernel_shape");
        }
    }

    void run(runtime::KernelContext& ctx) override {
        const Tensor& x = ctx.in(0);
        if (x.rank() != 4)
            m_attrs.fail("expected a 4-D NCHW input, got ", shapeToString(x.shape()));
        pthreadpool_t pool = threadPool(ctx.threads());
        if (x.shape() != m_builtFor)
            prepare(x.shape());
        const Shape& xs = x.shape();
        const float* in = x.data<float>();
        if (!isNhwc(x)) {
            nchwToNhwc(x.data<float>(), m_in.data(), xs[0], xs[1], xs[2] * xs[3]);
            in = m_in.data();
        }
        // A global pool's N x C x 1 x 1 output has the same bytes in both layouts.
        const bool nhwcOut = m_stays && !m_global;
        Tensor& y = outputTensor(ctx, 0, m_outShape, nhwcOut);
        float* out = nhwcOut || m_global ? y.data<float>() : m_out.data();
        if (in != m_setupIn || out != m_setupOut || pool != m_setupPool) {
            const auto n = static_cast<size_t>(xs[0]), h = static_cast<size_t>(xs[2]),
                       w = static_cast<size_t>(xs[3]);
            if (m_global)
                check(xnn_setup_global_average_pooling_nwc_f32(m_op.get(), n, h * w, in, out, pool),
                      "xnn_setup_global_average_pooling_nwc_f32");
            else if (m_max)
                check(xnn_setup_max_pooling2d_nhwc_f32(m_op.get(), n, h, w, in, out, pool),
                      "xnn_setup_max_pooling2d_nhwc_f32");
            else
                check(xnn_setup_average_pooling2d_nhwc_f32(m_op.get(), n, h, w, in, out, pool),
                      "xnn_setup_average_pooling2d_nhwc_f32");
            m_setupIn = in;
            m_setupOut = out;
            m_setupPool = pool;
        }
        check(xnn_run_operator(m_op.get(), pool), "xnn_run_operator (pooling)");
        if (!nhwcOut && !m_global)
            nhwcToNchw(m_out.data(), y.data<float>(), m_outShape[0], m_outShape[1],
                       m_outShape[2] * m_outShape[3]);
    }

private:
    void prepare(const Shape& x) {
        const auto n = static_cast<size_t>(x[0]), c = static_cast<size_t>(x[1]),
                   h = static_cast<size_t>(x[2]), w = static_cast<size_t>(x[3]);
        m_in.resize(n * c * h * w);
        xnn_operator_t op = nullptr;
        if (m_global) {
            m_outShape = {x[0], x[1], 1, 1};
            m_out.resize(n * c);
            if (!m_op || x[1] != m_builtFor[1]) {
                check(xnn_create_global_average_pooling_nwc_f32(c, c, c, -kInf, kInf, 0, &op),
                      "xnn_create_global_average_pooling_nwc_f32");
                m_op.reset(op);
            }
        } else {
            uint32_t padBegin[2], padEnd[2], stride[2], dilation[2];
            int64_t out[2];
            for (size_t i = 0; i < 2; ++i) {
                const int64_t k = m_window.kernel[i];
                const ops::WindowAxis a = ops::windowAxis(m_window, i, 2, x[2 + i], k);
                const int64_t effective = (k - 1) * a.dilation + 1;
                // The end padding XNNPACK's floor division needs to give ONNX's output size.
                const int64_t needed = (a.out - 1) * a.stride + effective - x[2 + i] - a.padBegin;
                padBegin[i] = static_cast<uint32_t>(a.padBegin);
                padEnd[i] = static_cast<uint32_t>(std::max(a.padEnd, needed));
                stride[i] = static_cast<uint32_t>(a.stride);
                dilation[i] = static_cast<uint32_t>(a.dilation);
                out[i] = a.out;
            }
            const auto kh = static_cast<uint32_t>(m_window.kernel[0]),
                       kw = static_cast<uint32_t>(m_window.kernel[1]);
            if (m_max)
                check(xnn_create_max_pooling2d_nhwc_f32(
                          padBegin[0], padEnd[1], padEnd[0], padBegin[1], kh, kw, stride[0],
                          stride[1], dilation[0], dilation[1], c, c, c, -kInf, kInf, 0, &op),
                      "xnn_create_max_pooling2d_nhwc_f32");
            else
                check(xnn_create_average_pooling2d_nhwc_f32(
                          padBegin[0], padEnd[1], padEnd[0], padBegin[1], kh, kw, stride[0],
                          stride[1], c, c, c, -kInf, kInf, 0, &op),
                      "xnn_create_average_pooling2d_nhwc_f32");
            m_op.reset(op);
            m_outShape = {x[0], x[1], out[0], out[1]};
            m_out.resize(n * c * static_cast<size_t>(out[0] * out[1]));
        }
        m_builtFor = x;
        m_setupIn = nullptr; // set up again at the next run
    }

    ops::NodeAttrs m_attrs;
    bool m_global = false, m_max = false;
    ops::WindowAttrs m_window;
    std::vector<float> m_in, m_out;
    Operator m_op;
    Shape m_builtFor, m_outShape;
    bool m_stays = false;
    const float* m_setupIn = nullptr;
    float* m_setupOut = nullptr;
    pthreadpool_t m_setupPool = nullptr;
};

} // namespace

KernelPtr makePool(const KernelInfo& info) {
    return std::make_unique<PoolKernel>(info);
}

Claim claimPool(const KernelInfo& info) {
    const auto& s = info.node.inputs.empty() ? std::nullopt : info.inputValue(0).shape;
    if (s && s->size() != 4)
        return Claim::declined(Decline::Shape, s->size() - 2,
                               "-D pooling; the XNNPACK backend runs 2-D ones");
    if (info.node.opType == "GlobalAveragePool")
        return Claim::claimed();
    if (info.node.outputs.size() > 1 && info.node.outputs[1] != ir::kNoValue)
        return Claim::declined(Decline::Input, "the Indices output is not produced");
    const ops::NodeAttrs a(info.graph, info.node);
    const ops::WindowAttrs w = ops::parseWindowAttrs(info.node);
    if (w.kernel.size() != 2)
        return Claim::declined(Decline::Shape, "a ", w.kernel.size(),
                               "-D kernel_shape; the XNNPACK backend runs 2-D pooling");
    if (w.kernel[0] * w.kernel[1] == 1)
        return Claim::declined(Decline::Shape, "a 1x1 window (XNNPACK rejects it)");
    const bool dilated =
        std::any_of(w.dilations.begin(), w.dilations.end(), [](int64_t d) { return d != 1; });
    if (info.node.opType == "AveragePool") {
        if (dilated)
            return Claim::declined(Decline::Attribute, "dilations (XNNPACK's average pooling "
                                                       "has none)");
        const bool padded =
            w.ceilMode || (w.autoPad != "NOTSET" && w.autoPad != "VALID") ||
            std::any_of(w.pads.begin(), w.pads.end(), [](int64_t p) { return p != 0; });
        if (a.getInt("count_include_pad", 0) != 0 && padded)
            return Claim::declined(Decline::Attribute,
                                   "count_include_pad=1 with padding (XNNPACK divides by the "
                                   "real pixels only)");
    }
    for (size_t i = 0; i < 2; ++i) {
        const int64_t stride = w.strides.empty() ? 1 : w.strides[i];
        if (stride > w.kernel[i])
            return Claim::declined(Decline::Attribute, "stride ", stride,
                                   " larger than the window ", w.kernel[i]);
    }
    return Claim::claimed();
}

} // namespace lb::backends::xnnpack
