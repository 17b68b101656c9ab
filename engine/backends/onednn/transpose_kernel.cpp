// Transpose as one oneDNN reorder: the input's descriptor (plain or blocked) with its axes
// permuted is copied into a plain output, so a blocked producer needs no separate reorder.
#include "backends/onednn/kernels.h"
#include "backends/onednn/layout.h"
#include "backends/onednn/op_attrs.h"

#include <algorithm>

namespace lb::backends::onednn {

namespace {

class TransposeKernel : public runtime::Kernel {
public:
    explicit TransposeKernel(std::vector<int64_t> perm) : m_perm(std::move(perm)) {}

    void run(runtime::KernelContext& ctx) override {
        ThreadScope scope(ctx.threads());
        const Tensor& x = ctx.in(0);
        if (x.dtype() != DataType::Float32)
            fail("expected a float32 input, got ", dtypeName(x.dtype()));
        const size_t rank = x.shape().size();
        std::vector<int64_t> perm = m_perm;
        if (perm.empty())
            for (size_t d = rank; d-- > 0;)
                perm.push_back(static_cast<int64_t>(d));
        if (perm.size() != rank)
            fail("perm has ", perm.size(), " axes, the input ", shapeToString(x.shape()), " has ",
                 rank);
        Shape outShape(rank);
        std::vector<int> inverse(rank);
        for (size_t i = 0; i < rank; ++i) {
            outShape[i] = x.shape()[static_cast<size_t>(perm[i])];
            inverse[static_cast<size_t>(perm[i])] = static_cast<int>(i);
        }
        if (x.numel() == 0 || rank == 0) {
            Tensor& out = ctx.output(0, DataType::Float32, outShape);
            if (x.numel() > 0)
                *out.data<float>() = *toPlainTensor(x, 1).data<float>();
            return;
        }
        const memory::desc from = descOf(x).permute_axes(inverse);
        const memory::desc to = plainDesc(outShape);
        if (!m_reorder || !(from == m_from)) {
            m_reorder = std::make_unique<dnnl::reorder>(
                dnnl::reorder::primitive_desc(cpuEngine(), from, cpuEngine(), to));
            m_from = from;
        }
        Tensor& out = ctx.output(0, DataType::Float32, outShape);
        memory src(from, cpuEngine(), const_cast<void*>(x.rawData()));
        memory dst(to, cpuEngine(), out.rawData());
        dnnl::stream& s = cpuStream();
        m_reorder->execute(s, src, dst);
        s.wait();
    }

private:
    std::vector<int64_t> m_perm;
    memory::desc m_from;
    std::unique_ptr<dnnl::reorder> m_reorder;
};

} // namespace

KernelPtr makeTranspose(const KernelInfo& info) {
    const NodeAttrs a(info.graph, info.node);
    if (info.inputCount() != 1 || !info.hasInput(0))
        a.fail("expected one input, got ", info.inputCount());
    std::vector<int64_t> perm = a.getInts("perm");
    std::vector<int64_t> sorted = perm;
    std::sort(sorted.begin(), sorted.end());
    for (size_t i = 0; i < sorted.size(); ++i)
        if (sorted[i] != static_cast<int64_t>(i))
            a.fail("perm is not a permutation of 0..", sorted.size() - 1);
    if (const auto& s = info.inputValue(0).shape; s && !perm.empty() && s->size() != perm.size())
        a.fail("perm has ", perm.size(), " axes, the input has ", s->size());
    return std::make_unique<TransposeKernel>(std::move(perm));
}

// One reorder: at most oneDNN's DNNL_MAX_NDIMS axes.
Claim claimTranspose(const KernelInfo& info) {
    size_t rank = NodeAttrs(info.graph, info.node).getInts("perm").size();
    if (info.hasInput(0))
        if (const auto& s = info.inputValue(0).shape)
            rank = std::max(rank, s->size());
    if (rank > DNNL_MAX_NDIMS)
        return Claim::declined(Decline::Shape, rank, " axes; oneDNN handles at most ",
                               DNNL_MAX_NDIMS);
    return Claim::claimed();
}

} // namespace lb::backends::onednn
