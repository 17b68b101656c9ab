// MaxPool / AveragePool / GlobalAveragePool / GlobalMaxPool (2-D) as oneDNN pooling_v2, on the
// input's own layout. ONNX's ceil_mode becomes explicit right padding; AveragePool's
// count_include_pad divides by the padded window, which oneDNN only matches without ceil padding.
// QMaxPool (ops/int8_ops.h) is MaxPool on uint8: the max of bytes is the byte of the max, as
// dequantizing is increasing, and the requantization to the output's encoding (a 256-entry table,
// also increasing) commutes with it, so the bytes are the simulation's.
#include "backends/onednn/fp32_pool.h"
#include "backends/onednn/int8_layout.h"
#include "backends/onednn/int8_vector.h"
#include "backends/onednn/kernels.h"
#include "backends/onednn/layout.h"
#include "backends/onednn/op_attrs.h"
#include "backends/onednn/simd.h"

namespace lb::backends::onednn {

namespace {

using dnnl::algorithm;
using dnnl::pooling_v2_forward;

std::string ceilPaddingProblem(const Shape& x) {
    return "count_include_pad with ceil_mode padding beyond the pads (input " + shapeToString(x) +
           ")";
}

class PoolKernel : public runtime::Kernel {
public:
    explicit PoolKernel(const runtime::KernelInfo& info) : m_attrs(info.graph, info.node) {
        const NodeAttrs& a = m_attrs;
        const std::string& op = info.node.opType;
        m_global = op == "GlobalAveragePool" || op == "GlobalMaxPool";
        m_quantized = op == "QMaxPool";
        const bool isMax = op == "MaxPool" || op == "GlobalMaxPool" || m_quantized;
        if (m_quantized)
            buildTable(a);
        if (info.inputCount() != 1 || !info.hasInput(0))
            a.fail("expected one input, got ", info.inputCount());
        // No Indices output, 2-D, dense AveragePool windows: claimPool declined the rest.
        if (!m_global) {
            m_window = parseWindow(a, 2);
            if (m_window.kernel.size() != 2)
                a.fail("expected a 2-D kernel_shape, got ", m_window.kernel.size(), " values");
        }
        m_includePad = !isMax && a.getInt("count_include_pad", 0) != 0;
        m_algorithm = isMax ? algorithm::pooling_max
                            : (m_includePad ? algorithm::pooling_avg_include_padding
                                            : algorithm::pooling_avg_exclude_padding);
        m_stays = !info.outputStaysInBackend.empty() && info.outputStaysInBackend[0];
        if (auto x = staticShape(info.graph, info.node.inputs[0])) {
            ThreadScope scope(info.threads);
            build(plainDescOf(*x, m_quantized ? DataType::UInt8 : DataType::Float32), *x);
            if (m_stays && !m_quantized)
                m_storageBound = blockedStorageBound(m_outShape);
        }
    }

    void run(runtime::KernelContext& ctx) override {
        ThreadScope scope(ctx.threads());
        const Tensor& x = ctx.in(0);
        const DataType type = m_quantized ? DataType::UInt8 : DataType::Float32;
        if (x.dtype() != type || x.rank() != 4)
            fail("expected a ", dtypeName(type), " NxCxHxW input, got ", dtypeName(x.dtype()), " ",
                 shapeToString(x.shape()));
        const memory::desc desc = descOf(x);
        if (!m_prim || !(desc == m_src))
            build(desc, x.shape());
        dnnl::stream& s = cpuStream();
        const memory src = m_in.convert(x, desc); // x's own bytes, the memory object reused
        memory dst = m_out.prepare(ctx, 0, type, m_outShape, m_pd.dst_desc(), m_stays);
        if (m_own) {
            const auto* in = static_cast<const float*>(src.get_data_handle());
            auto* out = static_cast<float*>(dst.get_data_handle());
            if (m_global)
                globalAveragePool(in, out, m_layout, ctx.threads());
            else
                maxPool2d(in, out, m_layout, m_ownWindow, ctx.threads());
            m_out.finish();
            return;
        }
        std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}};
        if (m_workspace)
            args[DNNL_ARG_WORKSPACE] = m_workspace;
        m_prim.execute(s, args);
        s.wait();
        if (m_quantized && !m_identity) {
            auto* bytes = static_cast<uint8_t*>(dst.get_data_handle());
            vec::lookup(m_table, bytes, bytes, static_cast<int64_t>(m_pd.dst_desc().get_size()));
        }
        m_out.finish();
    }

    std::string implementation() const override {
        if (m_own)
            return "pool:avx512"; // fp32_pool.cpp
        return m_prim ? m_pd.impl_info_str() : std::string();
    }

    size_t outputStorageBytes(size_t output) const override {
        return output == 0 ? m_storageBound : 0;
    }

private:
    void build(const memory::desc& src, const Shape& x) {
        WindowGeometry g;
        if (m_global) {
            g.kernel = {x[2], x[3]};
            g.strides = {1, 1};
            g.dilations = {1, 1};
            g.padL = g.padR = {0, 0};
            g.out = {1, 1};
        } else {
            g = windowGeometry(m_window, {x[2], x[3]}, m_window.kernel);
            if (g.ceilExtra && m_includePad) // claimPool declines it where x is known
                m_attrs.fail(ceilPaddingProblem(x));
        }
        m_outShape = {x[0], x[1], g.out[0], g.out[1]};
        for (int64_t d : m_outShape)
            if (d < 1)
                m_attrs.fail("empty output ", shapeToString(m_outShape), " is not supported");
        auto dims = [](const std::vector<int64_t>& v) { return memory::dims(v.begin(), v.end()); };
        memory::dims dil;
        for (int64_t d : g.dilations)
            dil.push_back(d - 1);
        const memory::desc dst(toDims(m_outShape),
                               m_quantized ? memory::data_type::u8 : memory::data_type::f32,
                               memory::format_tag::any);
        try {
            pooling_v2_forward::desc d(dnnl::prop_kind::forward_inference, m_algorithm, src, dst,
                                       dims(g.strides), dims(g.kernel), dil, dims(g.padL),
                                       dims(g.padR));
            m_pd = pooling_v2_forward::primitive_desc(d, cpuEngine());
        } catch (const dnnl::error& e) {
            m_attrs.fail("oneDNN has no pooling for input ", shapeToString(x), ": ", e.what());
        }
        m_prim = pooling_v2_forward(m_pd);
        m_src = src;
        chooseOwnLoop(src, x, g);
        // Forward inference has none; allocated once rather than per run if a primitive asks.
        m_workspace = m_pd.workspace_desc().get_size() > 0
                          ? memory(m_pd.workspace_desc(), cpuEngine())
                          : memory();
    }

    // fp32_pool.h's loops for MaxPool and GlobalAveragePool where the input and the primitive's
    // output share a layout they take (not plain, where the primitive vectorizes along the
    // width and the loops, vectorized across channels, could not); the primitive stays for the
    // rest.
    void chooseOwnLoop(const memory::desc& src, const Shape& x, const WindowGeometry& g) {
        m_own = false;
        const bool max = m_algorithm == algorithm::pooling_max;
        if (m_quantized || !simdAvailable(Simd::Avx512) || (m_global == max))
            return;
        const auto in = channelLayout(src, x), out = channelLayout(m_pd.dst_desc(), m_outShape);
        const int block = in ? in->block : -1, outBlock = out ? out->block : -1;
        // A global pool's N x C x 1 x 1 output has the same bytes plain and channels last.
        const bool sameLayout =
            outBlock == block || (m_global && block <= 1 && outBlock >= 0 && outBlock <= 1);
        if (block < 0 || block == 1 || !sameLayout)
            return;
        m_layout = *in;
        if (max)
            m_ownWindow = PoolWindow{g.kernel[0],    g.kernel[1],    g.strides[0], g.strides[1],
                                     g.dilations[0], g.dilations[1], g.padL[0],    g.padL[1],
                                     x[2],           x[3],           g.out[0],     g.out[1]};
        m_own = true;
    }

    // QMaxPool: input byte -> output byte (x_scales / x_offsets to y_scale / y_offset).
    void buildTable(const NodeAttrs& a) {
        const std::vector<float> scales = a.getFloats("x_scales");
        const std::vector<int64_t> offsets = a.getInts("x_offsets");
        const float yScale = a.getFloat("y_scale", 0.0f);
        const float lo = static_cast<float>(a.getInt("y_offset", 0));
        if (scales.size() != 1 || offsets.size() != 1 || !(scales[0] > 0) || !(yScale > 0))
            a.fail("expected one x_scales / x_offsets entry and y_scale > 0");
        for (int v = 0; v < 256; ++v) {
            const float real = static_cast<float>(v + offsets[0]) * scales[0];
            m_table[v] = static_cast<uint8_t>(
                static_cast<int32_t>(quantizeRounded(real, yScale, lo, lo + 255.0f) - lo));
            m_identity &= m_table[v] == v;
        }
    }

    NodeAttrs m_attrs;
    WindowAttrs m_window;
    bool m_global = false, m_includePad = false, m_stays = false, m_quantized = false;
    bool m_identity = true;
    bool m_own = false; // fp32_pool.cpp's loop instead of the primitive
    ChannelLayout m_layout;
    PoolWindow m_ownWindow;
    uint8_t m_table[256] = {};
    algorithm m_algorithm = algorithm::pooling_max;
    size_t m_storageBound = 0;
    Shape m_outShape;
    memory::desc m_src;
    pooling_v2_forward::primitive_desc m_pd;
    pooling_v2_forward m_prim;
    InputConverter m_in;
    OutputWriter m_out;
    memory m_workspace;
};

} // namespace

KernelPtr makePool(const KernelInfo& info) {
    return std::make_unique<PoolKernel>(info);
}

// 2-D pooling without the Indices output, AveragePool without dilations, and no
// count_include_pad where ceil_mode pads beyond the pads (ONNX divides those windows by the
// declared padding only, oneDNN by all of it).
Claim claimPool(const KernelInfo& info) {
    const NodeAttrs a(info.graph, info.node);
    const std::string& op = info.node.opType;
    const bool global = op == "GlobalAveragePool" || op == "GlobalMaxPool";
    const bool isMax = op == "MaxPool" || op == "GlobalMaxPool" || op == "QMaxPool";
    if (info.node.outputs.size() > 1 && info.node.outputs[1] != ir::kNoValue)
        return Claim::declined(Decline::Input, "the Indices output is not produced");
    if (info.inputCount() != 1 || !info.hasInput(0))
        return Claim::claimed(); // invalid: the factory says so
    const auto& declared = info.inputValue(0).shape;
    if (declared && declared->size() != 4)
        return Claim::declined(Decline::Shape, "a rank-", declared->size(),
                               " input; the oneDNN backend pools 4-D NxCxHxW ones");
    if (global)
        return Claim::claimed();
    const WindowAttrs w = ops::parseWindowAttrs(info.node);
    if (w.rank() != 2)
        return Claim::declined(Decline::Shape, w.rank(),
                               "-D window; the oneDNN backend pools 2-D ones");
    if (!isMax)
        for (int64_t d : w.dilations)
            if (d != 1)
                return Claim::declined(Decline::Attribute, "AveragePool dilations other than 1");
    const auto x = staticShape(info.graph, info.node.inputs[0]);
    if (!x || w.kernel.size() != 2)
        return Claim::claimed();
    for (int64_t d : *x)
        if (d == 0)
            return Claim::declined(Decline::Shape, "empty input ", shapeToString(*x));
    if (!isMax && a.getInt("count_include_pad", 0) != 0 &&
        windowGeometry(w, {(*x)[2], (*x)[3]}, w.kernel).ceilExtra)
        return Claim::declined(Decline::Attribute, ceilPaddingProblem(*x));
    return Claim::claimed();
}

} // namespace lb::backends::onednn
