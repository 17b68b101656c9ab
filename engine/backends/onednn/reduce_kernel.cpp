// ReduceMean and ReduceMax over every axis after the channels (axes attribute {2, ..., rank-1},
// rank 4 or 5; a 3-D [N, T, C] mean over the last axis is a layer norm's, not a pooling's): the global average / max pooling that networks write as `x.mean([2, 3])`
// (ShuffleNetV2, ...), run as oneDNN's pooling on the input's own layout. On the reference backend
// it was a reorder of the blocked feature map to plain plus an index map built per run
// (ShuffleNetV2 at 224: 0.17-0.24 ms, 4-6% of the network, for a 1x1024x7x7 mean). Other axes are
// declined: oneDNN 2.6's reduction primitive is `ref:any` for them (and for blocked inputs: the
// same mean took 1.25 ms there). The output is written plain: the reduced axes are 1 in oneDNN's
// dims, and dropping size-1 axes (keepdims 0) does not move a byte.
#include "backends/onednn/kernels.h"
#include "backends/onednn/layout.h"
#include "backends/onednn/op_attrs.h"

namespace lb::backends::onednn {

namespace {

// The axes are exactly {2, ..., rank-1} (negative ones counted from the end).
bool trailingSpatial(const std::vector<int64_t>& axes, int64_t rank) {
    if (rank < 4 || rank > 5 || static_cast<int64_t>(axes.size()) != rank - 2)
        return false;
    std::vector<bool> seen(static_cast<size_t>(rank), false);
    for (int64_t axis : axes) {
        if (axis < -rank || axis >= rank)
            return false;
        const int64_t a = axis < 0 ? axis + rank : axis;
        if (a < 2 || seen[static_cast<size_t>(a)])
            return false;
        seen[static_cast<size_t>(a)] = true;
    }
    return true;
}

class ReduceKernel : public runtime::Kernel {
public:
    ReduceKernel(dnnl::algorithm alg, std::vector<int64_t> axes, bool keepDims)
        : m_alg(alg), m_axes(std::move(axes)), m_keepDims(keepDims) {}

    void run(runtime::KernelContext& ctx) override {
        ThreadScope scope(ctx.threads());
        const Tensor& x = ctx.in(0);
        if (x.dtype() != DataType::Float32)
            fail("expected a float32 input, got ", dtypeName(x.dtype()));
        if (!trailingSpatial(m_axes, x.rank()))
            fail("expected an input whose axes after the channels are the reduced ones, got ",
                 shapeToString(x.shape()));
        for (int64_t d : x.shape())
            if (d <= 0)
                fail("cannot reduce the empty input ", shapeToString(x.shape()));
        Shape kept = x.shape(), out = {x.shape()[0], x.shape()[1]};
        for (size_t d = 2; d < kept.size(); ++d) {
            kept[d] = 1;
            if (m_keepDims)
                out.push_back(1);
        }
        Tensor& y = ctx.output(0, DataType::Float32, out);
        const memory::desc src = descOf(x);
        if (!m_built || !(src == m_src) || kept != m_kept)
            build(src, x.shape(), kept);
        dnnl::stream& s = cpuStream();
        memory dst(m_dst, cpuEngine(), m_direct ? y.rawData() : m_scratch.data());
        m_prim.execute(s, {{DNNL_ARG_SRC, memory(m_src, cpuEngine(), const_cast<void*>(x.rawData()))},
                           {DNNL_ARG_DST, dst}});
        if (!m_direct) {
            memory to(plainDesc(kept), cpuEngine(), y.rawData());
            m_toPlain.execute(s, dst, to);
        }
        s.wait();
    }

    std::string implementation() const override {
        return m_built ? "pooling:" + std::string(m_pd.impl_info_str()) : std::string();
    }

private:
    void build(const memory::desc& src, const Shape& x, const Shape& kept) {
        const memory::dims kernel(x.begin() + 2, x.end());
        const memory::dims ones(kernel.size(), 1), zeros(kernel.size(), 0);
        const auto alg = m_alg == dnnl::algorithm::reduction_mean
                             ? dnnl::algorithm::pooling_avg_exclude_padding
                             : dnnl::algorithm::pooling_max;
        m_pd = dnnl::pooling_v2_forward::primitive_desc(
            dnnl::pooling_v2_forward::desc(
                dnnl::prop_kind::forward_inference, alg, src,
                memory::desc(toDims(kept), memory::data_type::f32, memory::format_tag::any), ones,
                kernel, zeros, zeros, zeros),
            cpuEngine());
        m_prim = dnnl::pooling_v2_forward(m_pd);
        m_dst = m_pd.dst_desc();
        // A blocked input gives a blocked (channel-padded) result: reordered into the output.
        m_direct = m_dst == plainDesc(kept);
        if (!m_direct) {
            m_scratch.reserve(m_dst.get_size());
            m_toPlain = dnnl::reorder(
                dnnl::reorder::primitive_desc(cpuEngine(), m_dst, cpuEngine(), plainDesc(kept)));
        }
        m_src = src;
        m_kept = kept;
        m_built = true;
    }

    dnnl::algorithm m_alg;
    std::vector<int64_t> m_axes;
    bool m_keepDims;
    memory::desc m_src, m_dst;
    Shape m_kept;
    bool m_built = false, m_direct = false;
    dnnl::pooling_v2_forward::primitive_desc m_pd;
    dnnl::pooling_v2_forward m_prim;
    dnnl::reorder m_toPlain;
    Buffer m_scratch;
};

} // namespace

Claim claimReduce(const KernelInfo& info) {
    const NodeAttrs a(info.graph, info.node);
    if (info.inputCount() != 1)
        return Claim::declined(Decline::Input, "axes as an input (only the axes attribute)");
    const auto shape = staticShape(info.graph, info.node.inputs[0]);
    if (!shape)
        return Claim::declined(Decline::Shape, "an input of unknown rank");
    if (!trailingSpatial(a.getInts("axes"), static_cast<int64_t>(shape->size())))
        return Claim::declined(Decline::Attribute,
                               "axes other than every axis after the channels of a 4-D or 5-D "
                               "input (oneDNN 2.6's reduction is its reference loop there)");
    return Claim::claimed();
}

KernelPtr makeReduce(const KernelInfo& info) {
    const NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    const auto alg = info.node.opType == "ReduceMax" ? dnnl::algorithm::reduction_max
                                                     : dnnl::algorithm::reduction_mean;
    return std::make_unique<ReduceKernel>(alg, a.getInts("axes"), a.getInt("keepdims", 1) != 0);
}

} // namespace lb::backends::onednn
