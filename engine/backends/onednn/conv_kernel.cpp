// Conv / FusedConv: 2-D convolution with oneDNN choosing blocked src/weights/dst formats
// (format_tag::any). Weights are reordered once into the chosen format; bias, the residual Z
// (a binary add post-op, or a sum where Winograd runs) and the activation (eltwise post-ops)
// are fused into the primitive.
//
// Dense 3x3 stride-1 convolutions over large maps, or wide ones over maps that are not small
// next to their weights, run as Winograd (oneDNN 2.6 picks the tile; winogradCandidate has the
// measured shapes): PaddleOCR det's 96 -> 24 layers, ResNet's 56x56 and 28x28 stages. oneDNN
// wants 16-aligned output channels there, so the weights and bias get zero channels up to the
// next multiple of 16 and the primitive writes a 16-blocked tensor whose padding channels come
// out as zero: exactly the bytes of the unpadded tensor in the same blocked format, which is
// the descriptor the rest of the graph sees.
#include "backends/onednn/fp32_small_map_conv.h"
#include "backends/onednn/kernels.h"
#include "backends/onednn/layout.h"
#include "backends/onednn/op_attrs.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>

namespace lb::backends::onednn {

namespace {

using dnnl::convolution_forward;
using tag = memory::format_tag;

class ConvKernel : public runtime::Kernel {
public:
    explicit ConvKernel(const runtime::KernelInfo& info) : m_attrs(info.graph, info.node) {
        const NodeAttrs& a = m_attrs;
        const bool fused = info.node.opType == "FusedConv";
        if (info.inputCount() < 2 || info.inputCount() > (fused ? 4u : 3u))
            a.fail("expected X, W", fused ? ", optional B and Z" : " and optional B", ", got ",
                   info.inputCount(), " inputs");
        const Tensor* w = info.constantInput(1); // claimConv declined non-constant weights
        if (w->dtype() != DataType::Float32 || w->rank() != 4)
            a.fail("expected float32 4-D weights (2-D convolution), got ", dtypeName(w->dtype()),
                   " ", shapeToString(w->shape()));
        m_weights = *w;
        m_group = a.getInt("group", 1);
        const int64_t m = w->shape()[0];
        if (m_group < 1 || m % m_group != 0)
            a.fail("group ", m_group, " does not divide the ", m, " output channels");
        m_channels = w->shape()[1] * m_group;
        m_window = parseWindow(a, 2);
        m_kernel = {w->shape()[2], w->shape()[3]};
        if (!m_window.kernel.empty() && m_window.kernel != m_kernel)
            a.fail("kernel_shape does not match the weights ", shapeToString(w->shape()));
        if (info.hasInput(2)) {
            const Tensor* b = info.constantInput(2);
            if (b->dtype() != DataType::Float32 || b->numel() != m)
                a.fail("expected a float32 bias of ", m, " values, got ",
                       shapeToString(b->shape()));
            m_bias = *b;
        }
        m_hasZ = info.hasInput(3);
        m_steps = fused ? fusedActivation(a) : std::vector<EltwiseStep>{};
        m_stays = !info.outputStaysInBackend.empty() && info.outputStaysInBackend[0];
        m_threads = info.threads;
        const auto x = staticShape(info.graph, info.node.inputs[0]);
        if (x && (x->size() != 4 || (*x)[1] != m_channels))
            a.fail("expected input X of shape Nx", m_channels, "xHxW, got ", shapeToString(*x));
        if (x) {
            ThreadScope scope(m_threads);
            build(*x);
        }
    }

    void run(runtime::KernelContext& ctx) override {
        ThreadScope scope(ctx.threads());
        const Tensor& x = ctx.in(0);
        if (x.rank() != 4 || x.shape()[1] != m_channels)
            fail("expected input X of shape Nx", m_channels, "xHxW, got ",
                 shapeToString(x.shape()));
        if (x.shape() != m_builtFor)
            build(x.shape());
        if (m_smallMap) {
            runSmallMap(ctx, x);
            return;
        }
        dnnl::stream& s = cpuStream();
        memory src = m_src.convert(x, m_pd.src_desc());
        memory dst = m_out.prepare(ctx, 0, m_outShape, m_outDesc, m_stays);
        memory zm;
        if (m_hasZ) {
            const Tensor& z = ctx.in(3);
            if (z.shape() != m_outShape)
                fail("residual Z should have the output shape ", shapeToString(m_outShape),
                     ", got ", shapeToString(z.shape()));
            zm = m_z.convert(z, m_outDesc);
            if (!m_zBinary && zm.get_data_handle() != dst.get_data_handle())
                std::memcpy(dst.get_data_handle(), zm.get_data_handle(), m_outDesc.get_size());
        }
        // The Winograd primitive sees the channel-padded twin of the output descriptor.
        if (m_winograd) {
            if (!m_winoDst || m_winoDst.get_data_handle() != dst.get_data_handle())
                m_winoDst = memory(m_pd.dst_desc(), cpuEngine(), dst.get_data_handle());
            dst = m_winoDst;
        }
        // The argument map is rebuilt only when a memory object changed: in steady runs the
        // converters hand back the same ones, and the map's nodes are allocations too.
        if (m_args.empty() || src.get() != m_argSrc || dst.get() != m_argDst ||
            (m_zBinary && zm.get() != m_argZ)) {
            m_args = {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, m_packed}, {DNNL_ARG_DST, dst}};
            if (m_zBinary)
                m_args[DNNL_ARG_ATTR_MULTIPLE_POST_OP(0) | DNNL_ARG_SRC_1] = zm;
            if (!m_primBias.empty())
                m_args[DNNL_ARG_BIAS] =
                    memory(plainDesc({m_primBias.numel()}), cpuEngine(), m_primBias.rawData());
            m_argSrc = src.get();
            m_argDst = dst.get();
            m_argZ = m_zBinary ? zm.get() : nullptr;
        }
        const auto& args = m_args;
        m_prim.execute(s, args);
        m_out.finish();
        s.wait();
    }

    std::string implementation() const override {
        if (m_builtFor.empty())
            return {};
        return m_smallMap ? std::string(kSmallMapImpl) : std::string(m_pd.impl_info_str());
    }

    size_t outputStorageBytes(size_t output) const override {
        return output == 0 && m_stays && !m_builtFor.empty()
                   ? extraStorageBytes(m_outDesc, m_outShape)
                   : 0;
    }

private:
    static constexpr const char* kSmallMapImpl = "lb_small_map_gemm:avx512";
    static constexpr int64_t kSmallMapPixels = 64, kSmallMapWeightBytes = int64_t{1} << 20;

    void runSmallMap(runtime::KernelContext& ctx, const Tensor& x) {
        memory src = m_src.convert(x, m_smallSrcDesc);
        memory dst = m_out.prepare(ctx, 0, m_outShape, m_outDesc, m_stays);
        const float* z = nullptr;
        if (m_hasZ) {
            const Tensor& zt = ctx.in(3);
            if (zt.shape() != m_outShape)
                fail("residual Z should have the output shape ", shapeToString(m_outShape),
                     ", got ", shapeToString(zt.shape()));
            memory zm = m_z.convert(zt, m_outDesc);
            z = static_cast<const float*>(zm.get_data_handle());
            if (z == dst.get_data_handle()) { // the kernel accumulates in dst before adding Z
                const size_t bytes = m_outDesc.get_size();
                z = static_cast<const float*>(std::memcpy(m_zCopy.reserve(bytes), z, bytes));
            }
        }
        m_smallMap->run(static_cast<const float*>(src.get_data_handle()), z,
                        static_cast<float*>(dst.get_data_handle()), m_outShape[0], ctx.threads());
        m_out.finish();
    }

    // Winograd applies to dense 3x3, stride 1, undilated convolutions with 16-aligned input
    // channels, and only with post-ops that keep zero at zero (the padding channels must stay
    // zero for the blocked layout; a residual sum adds the zero padding of Z).
    // Over large maps (from 64x64, PaddleOCR det's layers): its tile transforms cost in
    // proportion to in + out channels, the product it saves to in * out, so narrow convolutions
    // lose: CPU ms at 1 thread, Winograd vs direct (in->out at HxW): 16->16 at 256 9.6 vs 3.5,
    // 32->16 at 256 18.8 vs 7.1, 16->32 at 256 8.1 vs 6.6; 16->64 at 128 2.05 vs 2.76, 32->32 at
    // 128 2.45 vs 3.01, 64->32 at 128 4.9 vs 5.4 (UNet's full-resolution 16-channel convolutions
    // were 3x ONNX Runtime's under Winograd). So in * out / (in + out) >= 12.
    // Below 64x64 only wide layers whose transformed weights (16/9 of the direct ones, read cold
    // from memory once per inference) are small next to the map. Per-primitive minimum over runs
    // inside the real networks at 1 thread (oneDNN 2.6 jit_fp32_wino_2x3 vs the direct
    // jit:avx512_core, both nChw16c): ResNet's 64->64 at 56x56 0.85 vs 1.45 ms, 128->128 at
    // 28x28 0.93 vs 1.43; but DenseNet's 128->32 at 56x56 1.89 vs 1.39, 28x28 0.42 vs 0.35 (an
    // isolated loop with hot weights had all of these as wins, so it cannot decide this).
    // ResNet's 256->256 at 14x14 (in * out = 334 * map) measured 1.61 vs 1.54 once; re-measured
    // with the two rules alternated in one session, minimum per node over 5 runs of 15: ResNet-50
    // 1.37-1.75 vs 1.66-1.73 (5 convs, 7.44 vs 8.47 ms in all), ResNet-18 1.19-1.30 vs 1.50-1.52
    // (3 convs); cold weights in lb-bench-small-map-conv 1.37 vs 1.48, 1.25 vs 1.48. So the bound
    // is 384 * map; no other network of the architecture set or PaddleOCR has a conv it moves.
    bool winogradCandidate(const Shape& x, const WindowGeometry& g) const {
        if (m_group != 1 || m_kernel != std::vector<int64_t>{3, 3} || m_channels % 16 != 0)
            return false;
        for (size_t i = 0; i < 2; ++i)
            if (g.strides[i] != 1 || g.dilations[i] != 1)
                return false;
        const int64_t out = m_weights.shape()[0], outPadded = (out + 15) / 16 * 16,
                      map = x[2] * x[3];
        const bool large =
            map >= 64 * 64 && out >= 16 && m_channels * out >= 12 * (m_channels + out);
        const bool wide = std::min(x[2], x[3]) >= 14 && m_channels >= 64 && outPadded >= 64 &&
                          m_channels * outPadded <= 384 * map;
        if (!large && !wide)
            return false;
        for (const EltwiseStep& step : m_steps) {
            const bool keepsZero = step.algorithm == dnnl::algorithm::eltwise_relu ||
                                   step.algorithm == dnnl::algorithm::eltwise_hardswish ||
                                   step.algorithm == dnnl::algorithm::eltwise_swish ||
                                   step.algorithm == dnnl::algorithm::eltwise_gelu_erf ||
                                   (step.algorithm == dnnl::algorithm::eltwise_clip &&
                                    step.alpha <= 0.0f && step.beta >= 0.0f);
            if (!keepsZero)
                return false;
        }
        return true;
    }

    // The activation of a convolution SmallMapConv can take (none, ReLU or clip), or false.
    bool smallMapActivation(SmallMapConv::Activation& act, float& lo, float& hi) const {
        act = SmallMapConv::Activation::None;
        if (m_steps.size() > 1)
            return false;
        if (m_steps.empty())
            return true;
        const EltwiseStep& step = m_steps[0];
        if (step.algorithm == dnnl::algorithm::eltwise_relu && step.alpha == 0.0f) {
            act = SmallMapConv::Activation::Relu;
            return true;
        }
        if (step.algorithm == dnnl::algorithm::eltwise_clip) {
            act = SmallMapConv::Activation::Clip;
            lo = step.alpha;
            hi = step.beta;
            return true;
        }
        return false;
    }

    // Dense convolutions over small maps with large weights run as SmallMapConv's GEMM, which
    // prefetches the weights ahead of the compute. oneDNN's direct kernels read them once too,
    // but stall on them: with cold weights they cost their hot time plus the weights at ~11 GB/s
    // (3x3 512 -> 512 at 7x7: 1.43 ms hot, 2.1-2.3 cold). CPU ms at 1 thread, weights evicted
    // (lb-bench-small-map-conv --min), oneDNN vs SmallMapConv: that 3x3 2.05 vs 1.78, its stride-2
    // twin from 14x14 2.24 vs 2.10, 1x1 512 -> 2048 at 7x7 0.88 vs 0.81, 2048 -> 512 0.84 vs 0.83,
    // 320 -> 1280 0.50 vs 0.36; in ResNet-50 (per-node minimum, the two builds alternated) its
    // nine 7x7 convs 18.7 -> 14.0 ms. At 14x14 outputs (196 pixels) it is no faster (0.77-1.0),
    // and under 1 MB the weights of a small network stay warm in cache, where oneDNN's kernels
    // are faster (hot: 0.74-0.88 of its time for 0.25-0.74 MB 1x1s at 7x7).
    bool smallMapCandidate(const WindowGeometry& g) const {
        if (m_group != 1 || m_channels < 16 || m_weights.shape()[0] < 16 ||
            !SmallMapConv::available())
            return false;
        for (size_t i = 0; i < 2; ++i)
            if (g.dilations[i] != 1)
                return false;
        SmallMapConv::Activation act;
        float lo = 0, hi = 0;
        if (!smallMapActivation(act, lo, hi))
            return false;
        // Where one weight byte serves few pixels, streaming the weights is what costs.
        const int64_t weightBytes = m_weights.numel() * 4, pixels = g.out[0] * g.out[1];
        return pixels <= kSmallMapPixels && weightBytes >= kSmallMapWeightBytes;
    }

    void buildSmallMap(const Shape& x, const WindowGeometry& g) {
        SmallMapConv::Geometry geo;
        geo.channels = m_channels;
        geo.outChannels = m_weights.shape()[0];
        geo.height = x[2];
        geo.width = x[3];
        geo.kernelH = m_kernel[0];
        geo.kernelW = m_kernel[1];
        geo.strideH = g.strides[0];
        geo.strideW = g.strides[1];
        geo.padTop = g.padL[0];
        geo.padLeft = g.padL[1];
        geo.outHeight = g.out[0];
        geo.outWidth = g.out[1];
        SmallMapConv::Activation act;
        float lo = 0, hi = 0;
        smallMapActivation(act, lo, hi);
        m_smallMap = std::make_shared<SmallMapConv>(geo, m_weights.data<float>(),
                                                    m_bias.empty() ? nullptr : m_bias.data<float>(),
                                                    act, lo, hi);
        const auto f32 = memory::data_type::f32;
        m_smallSrcDesc = memory::desc(toDims(x), f32, tag::aBcd16b);
        m_outDesc = memory::desc(toDims(m_outShape), f32, tag::aBcd16b);
        m_builtFor = x;
    }

    // The Winograd primitive descriptor for output channels padded to 16, or false.
    bool buildWinograd(const Shape& x, const memory::dims& strides, const memory::dims& dil,
                       const memory::dims& padL, const memory::dims& padR,
                       const dnnl::primitive_attr& attr) {
        const auto f32 = memory::data_type::f32;
        const int64_t m = m_weights.shape()[0], padded = (m + 15) / 16 * 16;
        const memory::desc src(toDims(x), f32, tag::aBcd16b),
            dst({m_outShape[0], padded, m_outShape[2], m_outShape[3]}, f32, tag::aBcd16b),
            w({padded, m_channels, 3, 3}, f32, tag::any), b({padded}, f32, tag::x);
        try {
            const convolution_forward::desc desc(dnnl::prop_kind::forward_inference,
                                                 dnnl::algorithm::convolution_winograd, src, w, b,
                                                 dst, strides, dil, padL, padR);
            m_pd = convolution_forward::primitive_desc(desc, attr, cpuEngine());
        } catch (const dnnl::error&) {
            return false;
        }
        m_outDesc = memory::desc(toDims(m_outShape), f32, tag::aBcd16b);
        if (m_paddedWeights.empty()) {
            const int64_t per = m_channels * 9;
            m_paddedWeights = Tensor(DataType::Float32, {padded, m_channels, 3, 3});
            m_primBias = Tensor(DataType::Float32, {padded});
            float* pw = m_paddedWeights.data<float>();
            float* pb = m_primBias.data<float>();
            std::memset(pw, 0, static_cast<size_t>(padded * per) * sizeof(float));
            std::memset(pb, 0, static_cast<size_t>(padded) * sizeof(float));
            std::memcpy(pw, m_weights.rawData(), static_cast<size_t>(m * per) * sizeof(float));
            if (!m_bias.empty())
                std::memcpy(pb, m_bias.rawData(), static_cast<size_t>(m) * sizeof(float));
        }
        return true;
    }

    void build(const Shape& x) {
        m_args.clear(); // weights, bias and output descriptor may all change
        m_winoDst = memory();
        m_smallMap.reset();
        const WindowGeometry g = windowGeometry(m_window, {x[2], x[3]}, m_kernel);
        const int64_t m = m_weights.shape()[0];
        m_outShape = {x[0], m, g.out[0], g.out[1]};
        for (int64_t d : m_outShape)
            if (d < 1)
                m_attrs.fail("empty output ", shapeToString(m_outShape), " is not supported");
        if (smallMapCandidate(g)) {
            buildSmallMap(x, g);
            return;
        }
        memory::dims wdims = toDims(m_weights.shape());
        tag wtag = tag::oihw;
        if (m_group > 1) {
            wdims = {m_group, m / m_group, m_weights.shape()[1], m_kernel[0], m_kernel[1]};
            wtag = tag::goihw;
        }
        const auto f32 = memory::data_type::f32;
        // Activations with 16 or more channels in oneDNN's 16-channel blocks rather than its
        // default NHWC pick: its jit 1x1 and depthwise kernels there measured 1-4% and 10-20%
        // faster than brgconv on NHWC for PaddleOCR's shapes (rec ~3% overall, det and cls no
        // slower), and Winograd wants that layout anyway.
        const auto layoutFor = [](int64_t channels) {
            return channels >= 16 ? tag::aBcd16b : tag::any;
        };
        const memory::desc srcBlocked(toDims(x), f32, layoutFor(m_channels)),
            dstBlocked(toDims(m_outShape), f32, layoutFor(m));
        const memory::desc srcAny(toDims(x), f32, tag::any),
            dstAny(toDims(m_outShape), f32, tag::any);
        const memory::desc wAny(wdims, f32, tag::any);
        const memory::dims strides(g.strides.begin(), g.strides.end());
        memory::dims dil, padL(g.padL.begin(), g.padL.end()), padR(g.padR.begin(), g.padR.end());
        for (int64_t d : g.dilations)
            dil.push_back(d - 1); // oneDNN counts the gaps
        // The residual Z as a sum post-op accumulates into dst, so Z is first copied there (the
        // runtime gives Z and the output separate buffers); a binary add post-op reads Z where
        // it is. CPU time per call at 1 thread, ResNet-50's 1x1 64 -> 256 at 56x56: copy + sum
        // 1.00 ms, binary add 0.87 ms (128 -> 512 at 28x28: 0.82 vs 0.73). Winograd takes only
        // the sum, and the binary add needs Z's layout fixed before oneDNN picks dst's, so it
        // is used where dst is blocked (16 or more output channels) and the primitive agrees.
        const auto postOps = [&](bool zBinary) {
            dnnl::post_ops ops;
            if (m_hasZ && zBinary)
                ops.append_binary(dnnl::algorithm::binary_add, dstBlocked);
            else if (m_hasZ)
                ops.append_sum(1.0f);
            appendSteps(ops, m_steps);
            dnnl::primitive_attr attr;
            attr.set_post_ops(ops);
            return attr;
        };
        dnnl::primitive_attr attr = postOps(false);
        m_zBinary = false;
        m_winograd = winogradCandidate(x, g) && buildWinograd(x, strides, dil, padL, padR, attr);
        if (m_winograd) {
            m_prim = convolution_forward(m_pd);
            const Tensor& w = m_paddedWeights;
            packWeights(m_packed, m_pd.weights_desc(),
                        memory::desc(toDims(w.shape()), f32, tag::oihw), w.rawData());
            m_builtFor = x;
            return;
        }
        const auto prop = dnnl::prop_kind::forward_inference;
        const auto alg = dnnl::algorithm::convolution_direct;
        const auto makePd = [&](const memory::desc& src, const memory::desc& dst) {
            const auto desc =
                m_bias.empty()
                    ? convolution_forward::desc(prop, alg, src, wAny, dst, strides, dil, padL, padR)
                    : convolution_forward::desc(prop, alg, src, wAny,
                                                memory::desc({m}, f32, tag::x), dst, strides, dil,
                                                padL, padR);
            return convolution_forward::primitive_desc(desc, attr, cpuEngine());
        };
        try {
            try {
                m_pd = makePd(srcBlocked, dstBlocked);
            } catch (const dnnl::error&) {
                m_pd = makePd(srcAny, dstAny); // no blocked implementation (some grouped convs)
            }
        } catch (const dnnl::error& e) {
            m_attrs.fail("oneDNN has no convolution for input ", shapeToString(x), ": ", e.what());
        }
        // Grouped convolutions whose groups are not whole 16-channel blocks (RegNet's groups of
        // 8) got oneDNN's reference implementation in the blocked layout: 17.9 s for
        // RegNetY-400MF's 16 grouped 3x3 convs on one thread, ONNX Runtime 5 ms for the whole
        // network. Channels-last has a JIT one; take the first layout that is not "ref".
        const auto isRef = [](const convolution_forward::primitive_desc& pd) {
            return std::string(pd.impl_info_str()).rfind("ref", 0) == 0;
        };
        if (isRef(m_pd))
            for (const auto& [src, dst] :
                 {std::pair{srcAny, dstAny},
                  std::pair{memory::desc(toDims(x), f32, tag::nhwc),
                            memory::desc(toDims(m_outShape), f32, tag::nhwc)}}) {
                try {
                    auto pd = makePd(src, dst);
                    if (!isRef(pd)) {
                        m_pd = pd;
                        break;
                    }
                } catch (const dnnl::error&) {
                    // no implementation for this layout: the next one, or keep "ref"
                }
            }
        if (m_hasZ && m > 15 && !isRef(m_pd) && m_pd.dst_desc() == dstBlocked) {
            try {
                attr = postOps(true);
                auto pd = makePd(m_pd.src_desc(), dstBlocked);
                if (!isRef(pd) && pd.src_desc() == m_pd.src_desc() && pd.dst_desc() == dstBlocked) {
                    m_pd = pd;
                    m_zBinary = true;
                }
            } catch (const dnnl::error&) {
                // no binary post-op for this convolution: the sum stays
            }
        }
        m_outDesc = m_pd.dst_desc();
        m_primBias = m_bias;
        m_prim = convolution_forward(m_pd);
        packWeights(m_packed, m_pd.weights_desc(), memory::desc(wdims, f32, wtag),
                    m_weights.rawData());
        m_builtFor = x;
    }

    NodeAttrs m_attrs;
    WindowAttrs m_window;
    std::vector<int64_t> m_kernel;
    Tensor m_weights, m_bias;
    Tensor m_paddedWeights, m_primBias; // what the primitive reads (channel-padded for Winograd)
    int64_t m_group = 1, m_channels = 0;
    bool m_hasZ = false, m_stays = false, m_winograd = false;
    bool m_zBinary = false; // Z read by a binary add post-op rather than summed into dst
    int m_threads = 1;
    std::vector<EltwiseStep> m_steps;
    Shape m_builtFor, m_outShape;
    convolution_forward::primitive_desc m_pd;
    memory::desc m_outDesc; // the output as the graph sees it
    convolution_forward m_prim;
    memory m_packed;
    InputConverter m_src, m_z;
    OutputWriter m_out;
    memory m_winoDst;
    std::unordered_map<int, memory> m_args;
    std::shared_ptr<SmallMapConv> m_smallMap; // set where smallMapCandidate holds
    memory::desc m_smallSrcDesc;
    Buffer m_zCopy;
    dnnl_memory_t m_argSrc = nullptr, m_argDst = nullptr, m_argZ = nullptr;
};

} // namespace

KernelPtr makeConv(const KernelInfo& info) {
    return std::make_unique<ConvKernel>(info);
}

// 1-D and 3-D convolutions, weights or bias computed in the graph and empty tensors are valid
// ONNX this kernel does not implement; everything else it builds or reports as invalid.
Claim claimConv(const KernelInfo& info) {
    if (info.inputCount() < 2 || !info.hasInput(1))
        return Claim::claimed(); // invalid: the factory says what is missing
    const Tensor* w = info.constantInput(1);
    if (!w)
        return Claim::declined(Decline::Input,
                               "weights W are not a constant initializer (they are pre-packed)");
    if (w->rank() == 3 || w->rank() == 5)
        return Claim::declined(Decline::Shape, w->rank() - 2, "-D convolution (W ",
                               shapeToString(w->shape()), "); the oneDNN backend runs 2-D ones");
    if (info.hasInput(2) && !info.constantInput(2))
        return Claim::declined(Decline::Input, "bias B is not a constant initializer");
    if (const auto x = staticShape(info.graph, info.node.inputs[0]))
        for (int64_t d : *x)
            if (d == 0)
                return Claim::declined(Decline::Shape, "empty input ", shapeToString(*x));
    return Claim::claimed();
}

} // namespace lb::backends::onednn
