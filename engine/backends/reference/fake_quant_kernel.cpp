#include "backends/reference/fake_quant_kernel.h"

#include "core/error.h"
#include "ops/fake_quant_op.h"

namespace lb::backends::reference {

namespace {

class FakeQuantKernel : public runtime::Kernel {
public:
    explicit FakeQuantKernel(const runtime::KernelInfo& info)
        : m_name(info.node.name), m_encoding(ops::fakeQuantEncoding(info.node)) {
        if (info.node.inputs.size() != 1 || info.node.outputs.size() != 1)
            fail("node ", quoted(m_name), " (FakeQuant): expected 1 input and 1 output, got ",
                 info.node.inputs.size(), " and ", info.node.outputs.size());
    }

    void run(runtime::KernelContext& ctx) override {
        const Tensor& x = ctx.in(0);
        if (x.dtype() != DataType::Float32)
            fail("FakeQuant takes float32, got ", dtypeName(x.dtype()));
        const Shape& shape = x.shape();
        Tensor& y = ctx.output(0, DataType::Float32, shape);
        const float* in = x.data<float>();
        float* out = y.data<float>();
        const int64_t n = x.numel();
        const size_t channels = m_encoding.channels.size();
        if (channels == 1) {
            const ops::ChannelParams& p = m_encoding.channels[0];
            for (int64_t i = 0; i < n; ++i)
                out[i] = static_cast<float>(ops::fakeQuantValue(in[i], p, m_encoding.bitwidth));
            return;
        }
        const int axis = m_encoding.axis;
        if (axis >= static_cast<int>(shape.size()) || shape[axis] != static_cast<int64_t>(channels))
            fail("input of shape rank ", shape.size(), " has no axis ", axis, " with ", channels,
                 " channels");
        int64_t inner = 1;
        for (size_t d = axis + 1; d < shape.size(); ++d)
            inner *= shape[d];
        for (int64_t i = 0; i < n; ++i) {
            const ops::ChannelParams& p = m_encoding.channels[(i / inner) % channels];
            out[i] = static_cast<float>(ops::fakeQuantValue(in[i], p, m_encoding.bitwidth));
        }
    }

private:
    std::string m_name;
    ops::Encoding m_encoding;
};

} // namespace

std::unique_ptr<runtime::Kernel> makeFakeQuant(const runtime::KernelInfo& info) {
    return std::make_unique<FakeQuantKernel>(info);
}

} // namespace lb::backends::reference
