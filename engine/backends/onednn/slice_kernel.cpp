// Slice of a channel range of a 4-D tensor (ShuffleNetV2's channel split, `chunk` exported as two
// Slices on axis 1) on the input's own layout, so a blocked producer's output is not converted to
// plain for the reference backend's Slice and back for the next Conv. A blocked input (nChw16c /
// nChw8c) gives a blocked output in the same format, copied block by block (oneDNN's sub-memory
// needs offsets on block boundaries, and the splits of 116, 232 and 464 channels are not); a plain
// input with one image gives a view of it, as the reference backend's Slice does; any other layout
// is a reorder from a sub-memory view of the input.
#include "backends/onednn/kernels.h"
#include "backends/onednn/layout.h"
#include "backends/onednn/op_attrs.h"

#include <algorithm>
#include <cstring>
#include <omp.h>

namespace lb::backends::onednn {

namespace {

using tag = memory::format_tag;

struct ChannelRange {
    int64_t start = 0, end = 0;
};

// An integer initializer's values.
std::optional<std::vector<int64_t>> constInts(const KernelInfo& info, size_t slot) {
    const Tensor* t = info.constantInput(slot);
    if (!t || (t->dtype() != DataType::Int64 && t->dtype() != DataType::Int32))
        return std::nullopt;
    // Not through double: PyTorch writes INT64_MAX for "to the end".
    if (t->dtype() == DataType::Int64)
        return std::vector<int64_t>(t->data<int64_t>(), t->data<int64_t>() + t->numel());
    return std::vector<int64_t>(t->data<int32_t>(), t->data<int32_t>() + t->numel());
}

// The unclamped [start, end) of a Slice on axis 1 of a rank-4 input, or a reason it is not one.
std::optional<ChannelRange> channelRange(const KernelInfo& info, std::string* why) {
    const auto fail = [&](const char* text) -> std::optional<ChannelRange> {
        *why = text;
        return std::nullopt;
    };
    if (NodeAttrs(info.graph, info.node).opset() < 10)
        return fail("Slice before opset 10 (starts/ends attributes)");
    if (info.inputCount() < 3 || !info.hasInput(0))
        return fail("Slice without starts and ends");
    const auto& shape = info.inputValue(0).shape;
    if (!shape || shape->size() != 4)
        return fail("only 4-D inputs of known rank");
    const auto starts = constInts(info, 1), ends = constInts(info, 2);
    if (!starts || !ends || starts->size() != 1 || ends->size() != 1)
        return fail("only one sliced axis with constant starts and ends");
    int64_t axis = 0;
    if (info.inputCount() > 3 && info.hasInput(3)) {
        const auto axes = constInts(info, 3);
        if (!axes || axes->size() != 1)
            return fail("axes must be one constant");
        axis = (*axes)[0] < 0 ? (*axes)[0] + 4 : (*axes)[0];
    }
    if (axis != 1)
        return fail("only a slice of the channel axis (1)");
    if (info.inputCount() > 4 && info.hasInput(4)) {
        const auto steps = constInts(info, 4);
        if (!steps || steps->size() != 1 || (*steps)[0] != 1)
            return fail("only step 1");
    }
    return ChannelRange{(*starts)[0], (*ends)[0]};
}

class ChannelSliceKernel : public runtime::Kernel {
public:
    ChannelSliceKernel(const KernelInfo& info, ChannelRange range)
        : m_range(range),
          m_stays(!info.outputStaysInBackend.empty() && info.outputStaysInBackend[0]) {
        if (m_stays)
            if (auto shape = staticShape(info.graph, info.node.outputs[0]))
                m_storageBound = blockedStorageBound(*shape);
    }

    void run(runtime::KernelContext& ctx) override {
        ThreadScope scope(ctx.threads());
        const Tensor& x = ctx.in(0);
        if (x.dtype() != DataType::Float32 || x.rank() != 4)
            fail("expected a 4-D float32 input, got ", dtypeName(x.dtype()), " ",
                 shapeToString(x.shape()));
        const int64_t channels = x.shape()[1];
        // ONNX's clamping of a step-1 range.
        int64_t s = m_range.start < 0 ? m_range.start + channels : m_range.start;
        int64_t e = m_range.end < 0 ? m_range.end + channels : m_range.end;
        s = std::clamp<int64_t>(s, 0, channels);
        e = std::clamp<int64_t>(e, 0, channels);
        Shape outShape = x.shape();
        outShape[1] = std::max<int64_t>(e - s, 0);
        if (outShape[1] == 0 || elementCount(outShape).value_or(0) == 0) {
            ctx.output(0, DataType::Float32, outShape);
            return;
        }
        const memory::desc in = descOf(x);
        const memory::dims outDims = toDims(outShape);
        for (tag t : {tag::nChw16c, tag::nChw8c})
            if (in == memory::desc(toDims(x.shape()), memory::data_type::f32, t)) {
                const int64_t block = t == tag::nChw16c ? 16 : 8;
                const memory::desc produced(outDims, memory::data_type::f32, t);
                const memory dst = m_out.prepare(ctx, 0, outShape, produced, m_stays);
                copyBlocked(x, static_cast<float*>(dst.get_data_handle()), s, outShape[1], block,
                            ctx.threads());
                m_impl = t == tag::nChw16c ? "copy:nChw16c" : "copy:nChw8c";
                m_out.finish();
                cpuStream().wait();
                return;
            }
        // Plain with one image: the channel range is contiguous, a view of the input (as the
        // reference backend's Slice gives; ShuffleNetV2's splits read plain ChannelShuffles).
        if (in == plainDesc(x.shape()) && x.shape()[0] == 1) {
            const int64_t spatial = x.shape()[2] * x.shape()[3];
            ctx.setAlias(0, x.subView(outShape, static_cast<size_t>(s * spatial) * sizeof(float)));
            m_impl = "view";
            return;
        }
        // Other layouts without channel blocks: a sub-memory view of the input, reordered into
        // the same family (channels-last stays channels-last, anything else becomes plain).
        const memory::desc nhwc(toDims(x.shape()), memory::data_type::f32, tag::nhwc);
        const memory::desc produced = in == nhwc
                                          ? memory::desc(outDims, memory::data_type::f32, tag::nhwc)
                                          : plainDesc(outShape);
        const memory::desc view = in.submemory_desc(outDims, {0, s, 0, 0});
        if (!m_reorder || !(m_from == view) || !(m_to == produced)) {
            m_reorder = std::make_unique<dnnl::reorder>(
                dnnl::reorder::primitive_desc(cpuEngine(), view, cpuEngine(), produced));
            m_from = view;
            m_to = produced;
        }
        memory src(view, cpuEngine(), const_cast<void*>(x.rawData()));
        memory dst = m_out.prepare(ctx, 0, outShape, produced, m_stays);
        dnnl::stream& stream = cpuStream();
        m_reorder->execute(stream, src, dst);
        m_impl = "reorder";
        m_out.finish();
        stream.wait();
    }

    // What the last run did: a block copy of a blocked input, a view of a plain one, or a
    // reorder of a sub-memory view.
    std::string implementation() const override { return m_impl; }

    std::optional<size_t> aliasedInput(size_t output) const override {
        return output == 0 ? std::optional<size_t>(0) : std::nullopt;
    }

    size_t outputStorageBytes(size_t output) const override {
        return output == 0 ? m_storageBound : 0;
    }

private:
    // Output channel block ob, position p holds input channel s + ob * block + p, read from at
    // most two input blocks; the padding past `count` channels is zeroed (convolutions read it).
    static void copyBlocked(const Tensor& x, float* out, int64_t s, int64_t count, int64_t block,
                            int threads) {
        const int64_t n = x.shape()[0], channels = x.shape()[1];
        const int64_t spatial = x.shape()[2] * x.shape()[3];
        const int64_t inBlocks = (channels + block - 1) / block;
        const int64_t outBlocks = (count + block - 1) / block;
        const float* in = x.data<float>();
        const size_t bytes = sizeof(float);
#pragma omp parallel for collapse(2) num_threads(threads) schedule(static)
        for (int64_t b = 0; b < n; ++b)
            for (int64_t ob = 0; ob < outBlocks; ++ob) {
                float* dst = out + (b * outBlocks + ob) * spatial * block;
                const int64_t first = s + ob * block; // input channel of position 0
                const int64_t valid = std::min(block, count - ob * block);
                const int64_t ib = first / block, at = first % block;
                const float* src0 = in + (b * inBlocks + ib) * spatial * block;
                const int64_t head = std::min(valid, block - at); // from block ib
                const int64_t tail = valid - head;                // from block ib + 1
                const float* src1 = src0 + spatial * block;
                if (at == 0 && valid == block) { // aligned: the whole block at once
                    std::memcpy(dst, src0, static_cast<size_t>(spatial * block) * bytes);
                    continue;
                }
                for (int64_t p = 0; p < spatial; ++p) {
                    float* d = dst + p * block;
                    std::memcpy(d, src0 + p * block + at, static_cast<size_t>(head) * bytes);
                    if (tail > 0)
                        std::memcpy(d + head, src1 + p * block, static_cast<size_t>(tail) * bytes);
                    std::fill(d + valid, d + block, 0.0f);
                }
            }
    }

    ChannelRange m_range;
    std::string m_impl;
    bool m_stays;
    size_t m_storageBound = 0;
    memory::desc m_from, m_to;
    std::unique_ptr<dnnl::reorder> m_reorder;
    OutputWriter m_out;
};

} // namespace

KernelPtr makeSlice(const KernelInfo& info) {
    std::string why;
    const auto range = channelRange(info, &why);
    if (!range)
        NodeAttrs(info.graph, info.node).fail(why);
    return std::make_unique<ChannelSliceKernel>(info, *range);
}

Claim claimSlice(const KernelInfo& info) {
    std::string why;
    if (!channelRange(info, &why))
        return Claim::declined(Decline::Shape, why);
    return Claim::claimed();
}

} // namespace lb::backends::onednn
