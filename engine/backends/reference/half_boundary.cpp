#include "backends/reference/half_boundary.h"

#include "core/half.h"

#include <cstring>

namespace lb::backends::reference {

using runtime::Kernel;
using runtime::KernelContext;
using runtime::KernelInfo;

namespace {

class HalfBoundaryKernel : public Kernel {
public:
    HalfBoundaryKernel(std::shared_ptr<const FloatShadow> shadow, std::unique_ptr<Kernel> inner)
        : m_shadow(std::move(shadow)), m_inner(std::move(inner)) {}

    void run(KernelContext& ctx) override {
        std::vector<Tensor> widened(ctx.inputCount());
        std::vector<const Tensor*> inputs;
        for (size_t i = 0; i < ctx.inputCount(); ++i) {
            const Tensor* t = ctx.input(i);
            if (t && isHalfType(t->dtype())) {
                widened[i] = widenHalf(*t);
                t = &widened[i];
            }
            inputs.push_back(t);
        }
        std::vector<Tensor> outputs(ctx.outputCount());
        KernelContext inner(
            std::move(inputs), outputs,
            [](size_t, DataType type, const Shape& shape, size_t) { return Tensor(type, shape); },
            ctx.threads());
        m_inner->run(inner);
        for (size_t o = 0; o < outputs.size(); ++o) {
            const Tensor& got = outputs[o];
            if (got.empty())
                continue;
            const DataType want = m_shadow->outputTypes[o];
            const Tensor value = want != DataType::Undefined && got.dtype() == DataType::Float32
                                     ? narrowToHalf(got, want)
                                     : got;
            Tensor& out = ctx.output(o, value.dtype(), value.shape());
            if (value.byteSize())
                std::memcpy(out.rawData(), value.rawData(), value.byteSize());
            out.strings() = value.strings();
        }
    }

private:
    std::shared_ptr<const FloatShadow> m_shadow;
    std::unique_ptr<Kernel> m_inner;
};

} // namespace

bool isHalfType(DataType t) {
    return t == DataType::Float16 || t == DataType::BFloat16;
}

bool hasHalfInputs(const ir::Graph& graph, const ir::Node& node) {
    for (ir::ValueId v : node.inputs)
        if (v != ir::kNoValue && isHalfType(graph.value(v).dtype))
            return true;
    return false;
}

Tensor widenHalf(const Tensor& t) {
    Tensor out(DataType::Float32, t.shape());
    float* dst = out.data<float>();
    const uint16_t* src = t.data<uint16_t>();
    const bool bf16 = t.dtype() == DataType::BFloat16;
    for (int64_t i = 0; i < t.numel(); ++i)
        dst[i] = bf16 ? bfloat16ToFloat(src[i]) : halfToFloat(src[i]);
    return out;
}

Tensor narrowToHalf(const Tensor& t, DataType type) {
    Tensor out(type, t.shape());
    uint16_t* dst = out.data<uint16_t>();
    const float* src = t.data<float>();
    const bool bf16 = type == DataType::BFloat16;
    for (int64_t i = 0; i < t.numel(); ++i)
        dst[i] = bf16 ? floatToBfloat16(src[i]) : floatToHalf(src[i]);
    return out;
}

std::shared_ptr<const FloatShadow> floatShadow(const ir::Graph& graph, const ir::Node& node) {
    auto shadow = std::make_shared<FloatShadow>();
    ir::Graph& g = shadow->graph;
    g.opsetImports = graph.opsetImports;
    std::map<ir::ValueId, ir::ValueId> mapped;
    DataType firstHalf = DataType::Undefined;
    const auto copyValue = [&](ir::ValueId v, bool isInput) -> ir::ValueId {
        if (v == ir::kNoValue)
            return v;
        if (auto it = mapped.find(v); it != mapped.end())
            return it->second;
        const ir::Value& from = graph.value(v);
        const ir::ValueId id = g.addValue(from.name);
        ir::Value& to = g.value(id);
        to.dtype = isHalfType(from.dtype) ? DataType::Float32 : from.dtype;
        to.shape = from.shape;
        if (isInput) {
            if (isHalfType(from.dtype) && firstHalf == DataType::Undefined)
                firstHalf = from.dtype;
            if (const Tensor* t = graph.initializer(v))
                g.setInitializer(id, isHalfType(t->dtype()) ? widenHalf(*t) : *t);
            else if (graph.isGraphInput(v))
                g.inputs().push_back(id);
        }
        mapped[v] = id;
        return id;
    };
    ir::Node copy;
    copy.name = node.name;
    copy.opType = node.opType;
    copy.domain = node.domain;
    copy.attributes = node.attributes;
    for (ir::ValueId v : node.inputs)
        copy.inputs.push_back(copyValue(v, true));
    for (ir::ValueId v : node.outputs) {
        copy.outputs.push_back(copyValue(v, false));
        const DataType t = v == ir::kNoValue ? DataType::Undefined : graph.value(v).dtype;
        shadow->outputTypes.push_back(isHalfType(t)              ? t
                                      : t == DataType::Undefined ? firstHalf
                                                                 : DataType::Undefined);
        if (v != ir::kNoValue)
            g.outputs().push_back(mapped[v]);
    }
    shadow->node = g.addNode(std::move(copy));
    return shadow;
}

std::unique_ptr<Kernel>
makeHalfBoundaryKernel(const KernelInfo& info,
                       const std::function<std::unique_ptr<Kernel>(const KernelInfo&)>& make) {
    std::shared_ptr<const FloatShadow> shadow = floatShadow(info.graph, info.node);
    std::unique_ptr<Kernel> inner =
        make(KernelInfo{shadow->graph, shadow->graph.node(shadow->node), info.threads});
    return std::make_unique<HalfBoundaryKernel>(std::move(shadow), std::move(inner));
}

} // namespace lb::backends::reference
