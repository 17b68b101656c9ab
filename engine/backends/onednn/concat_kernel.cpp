// Concat as the oneDNN concat primitive: inputs in whatever layouts they arrive in (blocked
// channel concatenation stays blocked), output in the layout the primitive picks.
#include "backends/onednn/kernels.h"
#include "backends/onednn/layout.h"
#include "backends/onednn/op_attrs.h"

namespace lb::backends::onednn {

namespace {

class ConcatKernel : public runtime::Kernel {
public:
    ConcatKernel(const runtime::KernelInfo& info, int64_t axis)
        : m_axis(axis),
          m_stays(!info.outputStaysInBackend.empty() && info.outputStaysInBackend[0]) {
        if (m_stays)
            if (auto shape = staticShape(info.graph, info.node.outputs[0]))
                m_storageBound = blockedStorageBound(*shape);
    }

    void run(runtime::KernelContext& ctx) override {
        ThreadScope scope(ctx.threads());
        const Tensor& first = ctx.in(0);
        const int64_t rank = first.rank();
        const int axis = static_cast<int>(m_axis < 0 ? m_axis + rank : m_axis);
        if (rank < 1 || axis < 0 || axis >= rank)
            fail("axis ", m_axis, " is out of range for input ", shapeToString(first.shape()));
        Shape outShape = first.shape();
        outShape[axis] = 0;
        std::vector<memory::desc> descs;
        for (size_t i = 0; i < ctx.inputCount(); ++i) {
            const Tensor& t = ctx.in(i);
            bool ok = t.dtype() == DataType::Float32 && t.rank() == rank && t.numel() > 0;
            for (int64_t d = 0; ok && d < rank; ++d)
                ok = d == axis || t.shape()[d] == first.shape()[d];
            if (!ok)
                fail("input ", i, " of shape ", shapeToString(t.shape()),
                     " cannot be concatenated with ", shapeToString(first.shape()), " on axis ",
                     axis, " (non-empty float32 inputs only)");
            outShape[axis] += t.shape()[axis];
            descs.push_back(descOf(t));
        }
        if (!m_prim || descs != m_descs) {
            m_pd = dnnl::concat::primitive_desc(axis, descs, cpuEngine());
            m_prim = dnnl::concat(m_pd);
            m_descs = descs;
        }
        std::unordered_map<int, memory> args;
        for (size_t i = 0; i < descs.size(); ++i)
            args[DNNL_ARG_MULTIPLE_SRC + static_cast<int>(i)] =
                memory(descs[i], cpuEngine(), const_cast<void*>(ctx.in(i).rawData()));
        args[DNNL_ARG_DST] = m_out.prepare(ctx, 0, outShape, m_pd.dst_desc(), m_stays);
        m_prim.execute(cpuStream(), args);
        m_out.finish();
        cpuStream().wait();
    }

    size_t outputStorageBytes(size_t output) const override {
        return output == 0 ? m_storageBound : 0;
    }

private:
    int64_t m_axis;
    bool m_stays;
    size_t m_storageBound = 0;
    std::vector<memory::desc> m_descs;
    dnnl::concat::primitive_desc m_pd;
    dnnl::concat m_prim;
    OutputWriter m_out;
};

} // namespace

std::unique_ptr<runtime::Kernel> makeConcat(const runtime::KernelInfo& info, bool check) {
    const Attrs a(info.graph, info.node);
    if (info.inputCount() < 1)
        a.fail("expected at least one input");
    for (size_t i = 0; i < info.inputCount(); ++i)
        if (!info.hasInput(i))
            a.fail("input ", i, " is omitted");
    const ir::Attribute* axis = info.node.attribute("axis");
    if (!axis || axis->type != ir::AttributeType::Int)
        a.fail("the int attribute 'axis' is required");
    if (check)
        return nullptr;
    return std::make_unique<ConcatKernel>(info, axis->i);
}

} // namespace lb::backends::onednn
