// QLut (ops/int8_ops.h): Y = T[X] for a uint8 tensor and the 256-entry table the transform
// computed (int8_vector.h's lookup). The bytes keep the input's layout when it is dense (NHWC from
// the int8 kernels, or plain); a layout with padding (channel blocks) is brought to plain first so
// that no padding byte is mapped. An output leaving the backend is written plain.
#include "backends/onednn/int8_vector.h"
#include "backends/onednn/kernels.h"
#include "backends/onednn/layout.h"
#include "backends/onednn/op_attrs.h"

#include <cstring>

namespace lb::backends::onednn {

namespace {

class QLutKernel : public runtime::Kernel {
public:
    explicit QLutKernel(const runtime::KernelInfo& info) : m_attrs(info.graph, info.node) {
        if (info.inputCount() != 2 || !info.hasInput(0))
            m_attrs.fail("expected X and the table T, got ", info.inputCount(), " inputs");
        const Tensor* t = info.graph.initializer(info.node.inputs[1]);
        if (!t || t->dtype() != DataType::UInt8 || t->numel() != 256)
            m_attrs.fail("expected a constant uint8 table of 256 values");
        std::memcpy(m_table, t->rawData(), sizeof(m_table));
        m_stays = !info.outputStaysInBackend.empty() && info.outputStaysInBackend[0];
    }

    void run(runtime::KernelContext& ctx) override {
        ThreadScope scope(ctx.threads());
        const Tensor& x = ctx.in(0);
        if (x.dtype() != DataType::UInt8)
            fail("expected a uint8 input, got ", dtypeName(x.dtype()));
        const int64_t n = x.numel();
        memory::desc desc = descOf(x);
        if (desc.get_size() != static_cast<size_t>(n))
            desc = plainDescOf(x.shape(), DataType::UInt8);
        const auto* in = static_cast<const uint8_t*>(m_src.convert(x, desc).get_data_handle());
        cpuStream().wait();
        auto* out = static_cast<uint8_t*>(
            m_out.prepare(ctx, 0, DataType::UInt8, x.shape(), desc, m_stays).get_data_handle());
        vec::lookup(m_table, in, out, n);
        m_out.finish();
        cpuStream().wait();
    }

private:
    NodeAttrs m_attrs;
    uint8_t m_table[256] = {};
    bool m_stays = false;
    InputConverter m_src;
    OutputWriter m_out;
};

} // namespace

KernelPtr makeQLut(const KernelInfo& info) {
    return std::make_unique<QLutKernel>(info);
}

} // namespace lb::backends::onednn
