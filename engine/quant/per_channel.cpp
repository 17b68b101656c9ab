#include "quant/per_channel.h"

#include "core/error.h"

#include <algorithm>
#include <limits>

namespace lb::quant {

int weightChannelAxis(const ir::Graph& graph, ir::ValueId weight) {
    int axis = -1;
    for (const ir::NodeId id : graph.value(weight).consumers) {
        if (!graph.isAlive(id)) {
            continue;
        }
        const ir::Node& node = graph.node(id);
        if (node.inputs.size() < 2 || node.inputs[1] != weight) {
            continue;
        }
        int candidate = -1;
        if (node.opType == "Conv") {
            candidate = 0;
        } else if (node.opType == "ConvTranspose") {
            candidate = 1;
        } else if (node.opType == "Gemm") {
            const ir::Attribute* transB = node.attribute("transB");
            candidate = transB != nullptr && transB->i != 0 ? 0 : 1;
        } else if (node.opType == "MatMul") {
            const ir::Value& v = graph.value(weight);
            const Tensor* init = graph.initializer(weight);
            const size_t rank = init != nullptr ? init->shape().size()
                                : v.shape       ? v.shape->size()
                                                : 0;
            candidate = rank > 0 ? static_cast<int>(rank) - 1 : -1;
        }
        if (candidate < 0 || (axis >= 0 && axis != candidate)) {
            return -1;
        }
        axis = candidate;
    }
    return axis;
}

Encoding perChannelWeightEncoding(const Tensor& weight, int axis, int bitwidth, bool symmetric,
                                  const std::string& tensor, SymmetricMode mode) {
    if (weight.dtype() != DataType::Float32) {
        fail("tensor ", quoted(tensor), ": per-channel calibration needs float32, got ",
             dtypeName(weight.dtype()));
    }
    if (axis < 0 || axis >= weight.rank()) {
        fail("tensor ", quoted(tensor), ": channel axis ", axis, " out of range for shape ",
             shapeToString(weight.shape()));
    }
    const int64_t channels = weight.shape()[axis];
    int64_t inner = 1;
    for (int64_t d = axis + 1; d < weight.rank(); ++d) {
        inner *= weight.shape()[d];
    }
    std::vector<double> lo(channels, std::numeric_limits<double>::infinity());
    std::vector<double> hi(channels, -std::numeric_limits<double>::infinity());
    const std::span<const float> data = weight.span<float>();
    for (size_t i = 0; i < data.size(); ++i) {
        const int64_t c = (static_cast<int64_t>(i) / inner) % channels;
        lo[c] = std::min(lo[c], static_cast<double>(data[i]));
        hi[c] = std::max(hi[c], static_cast<double>(data[i]));
    }
    Encoding e;
    e.bitwidth = bitwidth;
    e.symmetric = symmetric;
    e.axis = axis;
    for (int64_t c = 0; c < channels; ++c) {
        const bool seen = lo[c] <= hi[c];
        e.channels.push_back(
            paramsFromMinMax(seen ? lo[c] : 0.0, seen ? hi[c] : 0.0, bitwidth, symmetric, mode));
    }
    return e;
}

Encoding biasEncoding(const Encoding& input, const Encoding& weight, int64_t channels,
                      const std::string& tensor) {
    if (input.channels.size() != 1) {
        fail("tensor ", quoted(tensor), ": the input encoding must be per-tensor, it has ",
             input.channels.size(), " channels");
    }
    if (weight.channels.size() != 1 && static_cast<int64_t>(weight.channels.size()) != channels) {
        fail("tensor ", quoted(tensor), ": ", channels, " bias values but the weight encoding has ",
             weight.channels.size(), " channels");
    }
    constexpr int kBiasBits = 32;
    Encoding e;
    e.bitwidth = kBiasBits;
    e.symmetric = true;
    e.axis = weight.isPerChannel() ? 0 : -1;
    const int64_t offset = -(int64_t{1} << (kBiasBits - 1));
    const int64_t count = weight.isPerChannel() ? channels : 1;
    for (int64_t c = 0; c < count; ++c) {
        const double weightScale = weight.channels[weight.channels.size() == 1 ? 0 : c].scale;
        e.channels.push_back(
            paramsFromScaleOffset(input.channels[0].scale * weightScale, offset, kBiasBits));
    }
    return e;
}

} // namespace lb::quant
