// ai.layerbench ChannelShuffle (passes::FuseChannelShuffle) as oneDNN's shuffle primitive on the
// input's own layout: a blocked tensor from a Conv stays blocked, where the exported Reshape ->
// Transpose -> Reshape went to plain (Reshape is not ours), through a 5-D permuting reorder, and
// back to blocked for the next Conv. ShuffleNetV2 1.0x at 224x224: that Transpose alone was a third
// of the network's time on one thread.
#include "backends/onednn/kernels.h"
#include "backends/onednn/layout.h"
#include "backends/onednn/op_attrs.h"

namespace lb::backends::onednn {

namespace {

class ShuffleKernel : public runtime::Kernel {
public:
    ShuffleKernel(const runtime::KernelInfo& info, int64_t group)
        : m_group(group),
          m_stays(!info.outputStaysInBackend.empty() && info.outputStaysInBackend[0]) {
        if (m_stays)
            if (auto shape = staticShape(info.graph, info.node.outputs[0]))
                m_storageBound = blockedStorageBound(*shape);
    }

    void run(runtime::KernelContext& ctx) override {
        ThreadScope scope(ctx.threads());
        const Tensor& x = ctx.in(0);
        if (x.dtype() != DataType::Float32)
            fail("expected a float32 input, got ", dtypeName(x.dtype()));
        if (x.rank() < 2 || x.shape()[1] % m_group != 0)
            fail("input ", shapeToString(x.shape()), " has no channel axis divisible by group ",
                 m_group);
        if (x.numel() == 0) {
            ctx.output(0, DataType::Float32, x.shape());
            return;
        }
        const memory::desc desc = descOf(x);
        if (!m_prim || !(desc == m_desc)) {
            // oneDNN's group_size is the size of the dimension the data is transposed against:
            // channels seen as [C / group_size, group_size] become [group_size, C / group_size],
            // so the ONNX shuffle of g groups is group_size C / g.
            const int groupSize = static_cast<int>(x.shape()[1] / m_group);
            dnnl::shuffle_forward::desc d(dnnl::prop_kind::forward_inference, desc, 1, groupSize);
            m_prim = std::make_unique<dnnl::shuffle_forward>(
                dnnl::shuffle_forward::primitive_desc(d, cpuEngine()));
            m_desc = desc;
        }
        const memory src(desc, cpuEngine(), const_cast<void*>(x.rawData()));
        const memory dst = m_out.prepare(ctx, 0, x.shape(), desc, m_stays);
        dnnl::stream& s = cpuStream();
        m_prim->execute(s, {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}});
        m_out.finish();
        s.wait();
    }

    size_t outputStorageBytes(size_t output) const override {
        return output == 0 ? m_storageBound : 0;
    }

private:
    int64_t m_group;
    bool m_stays;
    size_t m_storageBound = 0;
    memory::desc m_desc;
    std::unique_ptr<dnnl::shuffle_forward> m_prim;
    OutputWriter m_out;
};

} // namespace

KernelPtr makeShuffle(const KernelInfo& info) {
    const NodeAttrs a(info.graph, info.node);
    if (info.inputCount() != 1 || !info.hasInput(0))
        a.fail("expected one input, got ", info.inputCount());
    const int64_t group = a.getInt("group", 0);
    if (group < 1)
        a.fail("group must be at least 1, got ", group);
    return std::make_unique<ShuffleKernel>(info, group);
}

} // namespace lb::backends::onednn
