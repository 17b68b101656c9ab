// The int8 graph's borders (Quantize, Dequantize) and its byte-to-byte ops (QLut, QMaxPool), from
// ops/int8_ops.h, on plain row-major tensors.
#include "backends/reference/int8_util.h"
#include "backends/reference/kernels.h"
#include "backends/reference/spatial.h"

namespace lb::backends::reference {

std::unique_ptr<Kernel> makeQuantize(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    const ByteEncoding e = byteEncoding(a, "scale", "offset");
    return makeKernel([=](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        expectType(x, DataType::Float32, "input X");
        uint8_t* y = ctx.output(0, DataType::UInt8, x.shape()).data<uint8_t>();
        for (int64_t i = 0; i < x.numel(); ++i)
            y[i] = e.quantize(x.data<float>()[i]);
    });
}

std::unique_ptr<Kernel> makeDequantize(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    const ByteEncoding e = byteEncoding(a, "scale", "offset");
    return makeKernel([=](KernelContext& ctx) {
        const Tensor& x = ctx.in(0);
        expectType(x, DataType::UInt8, "input X");
        float* y = ctx.output(0, DataType::Float32, x.shape()).data<float>();
        for (int64_t i = 0; i < x.numel(); ++i)
            y[i] = e.real(x.data<uint8_t>()[i]);
    });
}

std::unique_ptr<Kernel> makeQLut(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(2, 2);
    return makeKernel([](KernelContext& ctx) {
        const Tensor &x = ctx.in(0), &table = ctx.in(1);
        expectType(x, DataType::UInt8, "input X");
        expectType(table, DataType::UInt8, "table T");
        if (table.numel() != 256)
            fail("table T should have 256 entries, got ", shapeToString(table.shape()));
        uint8_t* y = ctx.output(0, DataType::UInt8, x.shape()).data<uint8_t>();
        for (int64_t i = 0; i < x.numel(); ++i)
            y[i] = table.data<uint8_t>()[x.data<uint8_t>()[i]];
    });
}

// MaxPool's window over the bytes (taps in the padding are skipped), then the largest byte
// requantized from X's encoding to Y's.
std::unique_ptr<Kernel> makeQMaxPool(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    a.expectInputs(1, 1);
    const WindowAttrs window = parseWindow(a);
    if (window.kernel.empty())
        a.fail("kernel_shape is required");
    const ByteEncoding x = byteEncodings(a, "x_scales", "x_offsets", 1)[0];
    const std::vector<uint8_t> table = byteEncoding(a, "y_scale", "y_offset").tableFrom(x);
    return makeKernel([=](KernelContext& ctx) {
        const Tensor& t = ctx.in(0);
        expectType(t, DataType::UInt8, "input X");
        if (t.rank() < 3)
            fail("expected an NxCxD1... input, got ", shapeToString(t.shape()));
        const Geometry g =
            windowGeometry(window, Shape(t.shape().begin() + 2, t.shape().end()), window.kernel);
        Shape outShape{t.shape()[0], t.shape()[1]};
        for (int64_t d : g.outDims())
            outShape.push_back(d);
        uint8_t* y = ctx.output(0, DataType::UInt8, outShape).data<uint8_t>();
        const int64_t planes = t.shape()[0] * t.shape()[1], iSize = g.inSize(), oSize = g.outSize();
#pragma omp parallel for num_threads(ctx.threads())
        for (int64_t pl = 0; pl < planes; ++pl) {
            const uint8_t* xp = t.data<uint8_t>() + pl * iSize;
            for (int64_t od = 0; od < g.out[0]; ++od)
                for (int64_t oh = 0; oh < g.out[1]; ++oh)
                    for (int64_t ow = 0; ow < g.out[2]; ++ow) {
                        int best = -1;
                        for (int64_t kd = 0; kd < g.kernel[0]; ++kd)
                            for (int64_t kh = 0; kh < g.kernel[1]; ++kh)
                                for (int64_t kw = 0; kw < g.kernel[2]; ++kw) {
                                    const int64_t id = od * g.stride[0] - g.padBegin[0] +
                                                       kd * g.dilation[0],
                                                  ih = oh * g.stride[1] - g.padBegin[1] +
                                                       kh * g.dilation[1],
                                                  iw = ow * g.stride[2] - g.padBegin[2] +
                                                       kw * g.dilation[2];
                                    if (id >= 0 && id < g.in[0] && ih >= 0 && ih < g.in[1] &&
                                        iw >= 0 && iw < g.in[2])
                                        best = std::max<int>(
                                            best, xp[(id * g.in[1] + ih) * g.in[2] + iw]);
                                }
                        if (best < 0)
                            fail("output (", od, ", ", oh, ", ", ow,
                                 ")'s window covers only padding");
                        y[pl * oSize + (od * g.out[1] + oh) * g.out[2] + ow] = table[best];
                    }
        }
    });
}

runtime::Claim claimQuantize(const KernelInfo& info) {
    return claimTypes(info, {DataType::Float32});
}

runtime::Claim claimDequantize(const KernelInfo& info) {
    return claimTypes(info, {DataType::UInt8});
}

runtime::Claim claimQLut(const KernelInfo& info) {
    return claimTypes(info, {DataType::UInt8, DataType::UInt8});
}

// One output (no Indices), spatial ranks 1-3.
runtime::Claim claimQMaxPool(const KernelInfo& info) {
    using runtime::Claim;
    if (Claim types = claimTypes(info, {DataType::UInt8}); !types)
        return types;
    if (info.node.outputs.size() > 1 && info.node.outputs[1] != ir::kNoValue)
        return Claim::declined(runtime::Decline::Input, "the Indices output is not produced");
    return claimPool(info);
}

} // namespace lb::backends::reference
