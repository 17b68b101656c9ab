// Concat as the oneDNN concat primitive: inputs in whatever layouts they arrive in (blocked
// channel concatenation stays blocked), output in the layout the primitive picks. When the
// result is the inputs' bytes interleaved in whole chunks (plain inputs, or channel-blocked
// inputs on axis 1 whose channel counts fill their blocks), it is copied directly: oneDNN's
// "simple" concat is several times slower there. Channel concatenation of 4-D inputs in mixed
// layouts (channels-last from a brgconv or a ConvTranspose, nChw16c from the other convs: UNet's
// skip connections, DeepLabV3's ASPP) whose channel counts fill 16-channel blocks is written
// nChw16c, each input reordered into its slice of the output: oneDNN's concat primitive falls
// back to its reference implementation (`ref:any`) for mixed layouts. Where the primitive would
// still be `ref:any` (blocked inputs whose channel counts leave padded blocks: ShuffleNetV2's
// 58 + 58), each input is reordered into its slice of a plain output.
//
// At batch 1 a channel slice of the output is one contiguous byte range (plain, or nChw16c /
// nChw8c at block-aligned channels), so the memory plan may place an input there
// (inputOffsetsInOutput): the producer writes it in place and it is not copied when its layout
// is the output's at that slice. An input in place in another layout (channels-last, or plain
// beside a blocked output) is copied out to a temporary first: source and slice overlap.
#include "backends/onednn/kernels.h"
#include "backends/onednn/layout.h"
#include "backends/onednn/op_attrs.h"

#include <algorithm>
#include <cstring>

namespace lb::backends::onednn {

namespace {

// The format every input shares when copying chunks is exact: plain (any axis), or one
// channel-blocked tag with no padding (axis 1). Empty when there is none.
std::optional<memory::desc> chunkFormat(const std::vector<memory::desc>& descs,
                                        const std::vector<Shape>& shapes, int axis,
                                        const Shape& outShape) {
    using tag = memory::format_tag;
    auto all = [&](auto&& pred) {
        for (size_t i = 0; i < descs.size(); ++i)
            if (!pred(i))
                return false;
        return true;
    };
    if (all([&](size_t i) { return descs[i] == plainDesc(shapes[i]); }))
        return plainDesc(outShape);
    if (axis != 1 || (outShape.size() != 3 && outShape.size() != 4))
        return std::nullopt;
    const bool four = outShape.size() == 4;
    for (auto [t, block] : {std::pair{four ? tag::aBcd16b : tag::aBc16b, 16},
                            std::pair{four ? tag::aBcd8b : tag::aBc8b, 8}})
        if (all([&, t = t, block = block](size_t i) {
                return shapes[i][1] % block == 0 &&
                       descs[i] == memory::desc(toDims(shapes[i]), memory::data_type::f32, t);
            }))
            return memory::desc(toDims(outShape), memory::data_type::f32, t);
    return std::nullopt;
}

// nChw16c for a channel concatenation of 4-D inputs whose channel counts are multiples of 16
// (every input's slice starts on a block), at least one input already so; else nothing.
std::optional<memory::desc> mixedFormat(const std::vector<memory::desc>& descs,
                                        const std::vector<Shape>& shapes, int axis,
                                        const Shape& outShape) {
    using tag = memory::format_tag;
    if (axis != 1 || outShape.size() != 4)
        return std::nullopt;
    bool anyBlocked = false;
    for (size_t i = 0; i < descs.size(); ++i) {
        if (shapes[i][1] % 16 != 0)
            return std::nullopt;
        anyBlocked = anyBlocked || descs[i] == memory::desc(toDims(shapes[i]),
                                                            memory::data_type::f32, tag::aBcd16b);
    }
    if (!anyBlocked)
        return std::nullopt;
    return memory::desc(toDims(outShape), memory::data_type::f32, tag::aBcd16b);
}

// Whether input `t` (descriptor `desc`), channels [c0, c0 + k) of a batch-1 output in `outDesc`,
// has its slice's bytes when it sits at the slice's start.
bool fitsSlice(const memory::desc& desc, const Shape& shape, const memory::desc& outDesc,
               const Shape& outShape, int64_t c0) {
    using tag = memory::format_tag;
    if (outDesc == plainDesc(outShape))
        return desc == plainDesc(shape);
    const bool four = outShape.size() == 4;
    if (!four && outShape.size() != 3)
        return false;
    for (auto [t, block] : {std::pair{four ? tag::aBcd16b : tag::aBc16b, int64_t{16}},
                            std::pair{four ? tag::aBcd8b : tag::aBc8b, int64_t{8}}})
        if (outDesc == memory::desc(toDims(outShape), memory::data_type::f32, t))
            return c0 % block == 0 && shape[1] % block == 0 &&
                   desc == memory::desc(toDims(shape), memory::data_type::f32, t);
    return false;
}

// Per input, where its bytes start inside the output when it can be written in place: a static
// float channel concatenation at batch 1, each input once; empty otherwise.
std::vector<int64_t> inPlaceOffsets(const runtime::KernelInfo& info, int64_t axis) {
    const auto out = staticShape(info.graph, info.node.outputs[0]);
    if (!out || out->size() < 2 || (*out)[0] != 1 ||
        info.outputValue(0).dtype != DataType::Float32 ||
        (axis < 0 ? axis + static_cast<int64_t>(out->size()) : axis) != 1)
        return {};
    int64_t inner = static_cast<int64_t>(sizeof(float)); // bytes per channel
    for (size_t d = 2; d < out->size(); ++d)
        inner *= (*out)[d];
    std::vector<int64_t> offsets;
    int64_t c0 = 0;
    for (size_t i = 0; i < info.inputCount(); ++i) {
        const auto shape = staticShape(info.graph, info.node.inputs[i]);
        if (!shape || shape->size() != out->size() || info.inputValue(i).dtype != DataType::Float32)
            return {};
        const bool repeated =
            std::count(info.node.inputs.begin(), info.node.inputs.end(), info.node.inputs[i]) > 1;
        offsets.push_back(repeated ? -1 : c0 * inner);
        c0 += (*shape)[1];
    }
    return offsets;
}

class ConcatKernel : public runtime::Kernel {
public:
    ConcatKernel(const runtime::KernelInfo& info, int64_t axis)
        : m_axis(axis), m_stays(!info.outputStaysInBackend.empty() && info.outputStaysInBackend[0]),
          m_inputOffsets(inPlaceOffsets(info, axis)) {
        if (m_stays)
            if (auto shape = staticShape(info.graph, info.node.outputs[0]))
                m_storageBound = blockedStorageBound(*shape);
    }

    std::vector<int64_t> inputOffsetsInOutput() const override { return m_inputOffsets; }

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
        if (descs != m_descs) {
            std::vector<Shape> shapes;
            for (size_t i = 0; i < ctx.inputCount(); ++i)
                shapes.push_back(ctx.in(i).shape());
            m_chunked = chunkFormat(descs, shapes, axis, outShape);
            m_prim = {};
            m_slices.clear();
        }
        if (m_chunked) {
            m_descs = descs;
            copyChunks(ctx, axis, outShape);
            return;
        }
        if (!m_prim && m_slices.empty()) {
            std::vector<Shape> shapes;
            for (size_t i = 0; i < ctx.inputCount(); ++i)
                shapes.push_back(ctx.in(i).shape());
            if (const auto format = mixedFormat(descs, shapes, axis, outShape)) {
                m_mixed = *format;
                int64_t offset = 0;
                for (size_t i = 0; i < descs.size(); ++i) {
                    const memory::desc slice =
                        m_mixed.submemory_desc(toDims(shapes[i]), {0, offset, 0, 0});
                    m_slices.push_back({slice, dnnl::reorder(dnnl::reorder::primitive_desc(
                                                   cpuEngine(), descs[i], cpuEngine(), slice))});
                    offset += shapes[i][1];
                }
                m_descs = descs;
            }
        }
        if (!m_slices.empty())
            return runSlices(ctx, descs, outShape);
        if (!m_prim || descs != m_descs) {
            m_pd = dnnl::concat::primitive_desc(axis, descs, cpuEngine());
            m_descs = descs;
            if (std::string(m_pd.impl_info_str()).rfind("ref", 0) == 0) {
                // oneDNN's reference concat (blocked inputs whose channel counts leave padded
                // blocks, ShuffleNet's 58 + 58): each input reordered into its slice of a plain
                // output instead.
                m_mixed = plainDesc(outShape);
                memory::dims offsets(static_cast<size_t>(rank), 0);
                for (size_t i = 0; i < descs.size(); ++i) {
                    const Shape& shape = ctx.in(i).shape();
                    const memory::desc slice = m_mixed.submemory_desc(toDims(shape), offsets);
                    m_slices.push_back({slice, dnnl::reorder(dnnl::reorder::primitive_desc(
                                                   cpuEngine(), descs[i], cpuEngine(), slice))});
                    offsets[static_cast<size_t>(axis)] += shape[static_cast<size_t>(axis)];
                }
                runSlices(ctx, descs, outShape);
                return;
            }
            m_prim = dnnl::concat(m_pd);
        }
        std::unordered_map<int, memory> args;
        args[DNNL_ARG_DST] = m_out.prepare(ctx, 0, outShape, m_pd.dst_desc(), m_stays);
        // The primitive reads and writes at once: an input in place goes through a temporary
        // even where it fits.
        const std::vector<const void*> from =
            sources(ctx, args[DNNL_ARG_DST], memory::desc(), outShape, descs);
        for (size_t i = 0; i < descs.size(); ++i)
            args[DNNL_ARG_MULTIPLE_SRC + static_cast<int>(i)] =
                memory(descs[i], cpuEngine(), const_cast<void*>(from[i]));
        m_prim.execute(cpuStream(), args);
        m_out.finish();
        cpuStream().wait();
    }

    size_t outputStorageBytes(size_t output) const override {
        return output == 0 ? m_storageBound : 0;
    }

    std::string implementation() const override {
        std::string name = m_chunked           ? "copy:chunks"
                           : !m_slices.empty() ? "reorder:slices"
                           : m_prim            ? std::string(m_pd.impl_info_str())
                                               : std::string();
        if (m_inPlace > 0)
            name += ", " + std::to_string(m_inPlace) + " of " + std::to_string(m_sources.size()) +
                    " inputs in place";
        if (m_throughTemp > 0)
            name += ", " + std::to_string(m_throughTemp) + " in place in another layout (copied)";
        return name;
    }

private:
    void runSlices(runtime::KernelContext& ctx, const std::vector<memory::desc>& descs,
                   const Shape& outShape) {
        const memory dst = m_out.prepare(ctx, 0, outShape, m_mixed, m_stays);
        const std::vector<const void*> src = sources(ctx, dst, m_mixed, outShape, descs);
        const bool plainOut = m_mixed == plainDesc(outShape);
        size_t offset = 0; // bytes into a plain output's chunk per index of the outer axes
        for (size_t i = 0; i < m_slices.size(); ++i) {
            const Tensor& t = ctx.in(i);
            if (!src[i]) {
                offset += chunkBytes(t, outShape);
                continue;
            }
            if (plainOut && descs[i] == plainDesc(t.shape())) {
                // A plain input into a plain output is whole chunks (oneDNN's reorder into the
                // strided slice is its `simple:any` loop, 2-3x slower than memcpy here).
                const size_t chunk = copyChunk(t, src[i], dst, outShape, offset);
                offset += chunk;
                continue;
            }
            offset += chunkBytes(t, outShape);
            memory from(descs[i], cpuEngine(), const_cast<void*>(src[i]));
            memory to(m_slices[i].desc, cpuEngine(), dst.get_data_handle());
            m_slices[i].reorder.execute(cpuStream(), from, to);
        }
        m_out.finish();
        cpuStream().wait();
    }

    // Bytes of a plain input per index of the output's axes before the concatenation axis.
    size_t chunkBytes(const Tensor& t, const Shape& outShape) const {
        return static_cast<size_t>(t.numel() / outer(outShape)) * sizeof(float);
    }
    int64_t outer(const Shape& outShape) const {
        int64_t n = 1;
        const auto rank = static_cast<int64_t>(outShape.size());
        for (int64_t d = 0; d < (m_axis < 0 ? m_axis + rank : m_axis); ++d)
            n *= outShape[static_cast<size_t>(d)];
        return n;
    }
    // Copies plain `t` to `offset` bytes into each chunk of the plain output; returns its chunk.
    size_t copyChunk(const Tensor& t, const void* data, const memory& dst, const Shape& outShape,
                     size_t offset) {
        const int64_t n = outer(outShape);
        const size_t chunk = chunkBytes(t, outShape);
        int64_t total = 1;
        for (int64_t d : outShape)
            total *= d;
        const size_t outChunk = static_cast<size_t>(total / n) * sizeof(float);
        auto* out = static_cast<std::byte*>(dst.get_data_handle());
        const auto* in = static_cast<const std::byte*>(data);
        for (int64_t o = 0; o < n; ++o)
            std::memcpy(out + o * outChunk + offset, in + o * chunk, chunk);
        return chunk;
    }

    // Output = for each index of the axes before `axis`, each input's chunk in turn.
    void copyChunks(runtime::KernelContext& ctx, int axis, const Shape& outShape) {
        int64_t outer = 1;
        for (int d = 0; d < axis; ++d)
            outer *= outShape[d];
        const memory dst = m_out.prepare(ctx, 0, outShape, *m_chunked, m_stays);
        const std::vector<const void*> src = sources(ctx, dst, *m_chunked, outShape, m_descs);
        auto* out = static_cast<std::byte*>(dst.get_data_handle());
        size_t outChunk = 0; // bytes per index of the outer axes
        for (size_t i = 0; i < ctx.inputCount(); ++i)
            outChunk += static_cast<size_t>(ctx.in(i).numel() / outer) * sizeof(float);
        size_t offset = 0;
        for (size_t i = 0; i < ctx.inputCount(); ++i) {
            const Tensor& t = ctx.in(i);
            const size_t chunk = static_cast<size_t>(t.numel() / outer) * sizeof(float);
            const auto* in = static_cast<const std::byte*>(src[i]);
            if (!in) {
                offset += chunk;
                continue;
            }
            for (int64_t o = 0; o < outer; ++o)
                std::memcpy(out + o * outChunk + offset, in + o * chunk, chunk);
            offset += chunk;
        }
        m_out.finish();
        cpuStream().wait();
    }

    // Per input, where to read it from: nullptr when it already sits at its slice of `dst` in
    // the layout `dstDesc` has there (nothing to copy); a temporary copy when its bytes overlap
    // `dst` otherwise (an empty `dstDesc`: every overlapping input); else its own data.
    std::vector<const void*> sources(const runtime::KernelContext& ctx, const memory& dst,
                                     const memory::desc& dstDesc, const Shape& outShape,
                                     const std::vector<memory::desc>& descs) {
        m_sources.assign(ctx.inputCount(), nullptr);
        m_inPlace = m_throughTemp = 0;
        m_temps.resize(ctx.inputCount());
        const auto* base = static_cast<const std::byte*>(dst.get_data_handle());
        const size_t dstBytes = dst.get_desc().get_size();
        size_t inner = sizeof(float); // bytes per channel at batch 1
        for (size_t d = 2; d < outShape.size(); ++d)
            inner *= static_cast<size_t>(outShape[d]);
        const bool channels = outShape.size() >= 2 &&
                              (m_axis == 1 || m_axis == 1 - static_cast<int64_t>(outShape.size()));
        int64_t c0 = 0;
        for (size_t i = 0; i < ctx.inputCount(); ++i) {
            const Tensor& t = ctx.in(i);
            const auto* data = static_cast<const std::byte*>(t.rawData());
            const int64_t start = c0;
            if (channels)
                c0 += t.shape()[1];
            m_sources[i] = data;
            if (data + t.storageBytes() <= base || data >= base + dstBytes)
                continue;
            if (channels && outShape[0] == 1 && dstDesc != memory::desc() &&
                data == base + static_cast<size_t>(start) * inner &&
                fitsSlice(descs[i], t.shape(), dstDesc, outShape, start)) {
                m_sources[i] = nullptr;
                ++m_inPlace;
                continue;
            }
            void* copy = m_temps[i].reserve(t.storageBytes());
            std::memcpy(copy, data, t.storageBytes());
            m_sources[i] = copy;
            ++m_throughTemp;
        }
        return m_sources;
    }

    struct Slice {
        memory::desc desc; // the input's part of the output
        dnnl::reorder reorder;
    };

    int64_t m_axis;
    std::optional<memory::desc> m_chunked;
    memory::desc m_mixed;        // the output's layout when m_slices is used
    std::vector<Slice> m_slices; // one reorder per input into its slice (mixed layouts, or
                                 // where oneDNN's concat is its reference code)
    bool m_stays;
    std::vector<int64_t> m_inputOffsets;
    std::vector<const void*> m_sources; // the last run's, see sources()
    std::vector<Buffer> m_temps;        // per input in place in another layout
    int m_inPlace = 0, m_throughTemp = 0;
    size_t m_storageBound = 0;
    std::vector<memory::desc> m_descs;
    dnnl::concat::primitive_desc m_pd;
    dnnl::concat m_prim;
    OutputWriter m_out;
};

} // namespace

KernelPtr makeConcat(const KernelInfo& info) {
    const NodeAttrs a(info.graph, info.node);
    if (info.inputCount() < 1)
        a.fail("expected at least one input");
    for (size_t i = 0; i < info.inputCount(); ++i)
        if (!info.hasInput(i))
            a.fail("input ", i, " is omitted");
    const ir::Attribute* axis = info.node.attribute("axis");
    if (!axis || axis->type != ir::AttributeType::Int)
        a.fail("the int attribute 'axis' is required");
    return std::make_unique<ConcatKernel>(info, axis->i);
}

} // namespace lb::backends::onednn
