#include "quant/int8_rewrite.h"

#include "core/error.h"
#include "ops/fused_ops.h"
#include "passes/pass_util.h"
#include "quant/fake_quant_op.h"
#include "quant/int8_ops.h"

namespace lb::quant::int8 {

std::optional<Quantized> eightBit(const ir::Node& n) {
    if (n.domain != ops::kLayerBenchDomain)
        return std::nullopt;
    if (n.opType == kDequantizeOp)
        return Quantized{n.attribute("scale")->f, n.attribute("offset")->i};
    if (n.opType != kFakeQuantOp)
        return std::nullopt;
    const Encoding e = fakeQuantEncoding(n);
    if (e.bitwidth != 8 || e.channels.size() != 1)
        return std::nullopt;
    // The kernels read the float32 scale the attribute holds, as the simulation does.
    return Quantized{n.attribute("scale")->floats[0], e.channels[0].offset};
}

ir::Attribute floatAttribute(const char* name, double v) {
    return ir::Attribute{.name = name, .type = ir::AttributeType::Float, .f = float(v)};
}
ir::Attribute intAttribute(const char* name, int64_t v) {
    return ir::Attribute{.name = name, .type = ir::AttributeType::Int, .i = v};
}
ir::Attribute floatsAttribute(const char* name, std::vector<float> v) {
    return ir::Attribute{.name = name, .type = ir::AttributeType::Floats, .floats = std::move(v)};
}
ir::Attribute intsAttribute(const char* name, std::vector<int64_t> v) {
    return ir::Attribute{.name = name, .type = ir::AttributeType::Ints, .ints = std::move(v)};
}

bool Rewriter::planInputsAndOutput(const ir::Node& n, const std::vector<ir::ValueId>& inputs,
                                   Plan& plan) {
    plan.inputs = inputs;
    for (ir::ValueId v : inputs) {
        const ir::Node* p = v == ir::kNoValue ? nullptr : passes::producerOf(g, v);
        const auto x = p ? eightBit(*p) : std::nullopt;
        if (!x) {
            plan.reason = "input " +
                          (v == ir::kNoValue ? std::string("?") : quoted(g.value(v).name)) +
                          " has no 8-bit per-tensor encoding";
            return false;
        }
        plan.x.push_back(*x);
    }
    const ir::Node* fq = passes::soleConsumer(g, n.outputs[0]);
    const auto y = fq && fq->opType == kFakeQuantOp ? eightBit(*fq) : std::nullopt;
    if (!y) {
        plan.reason = "output " + quoted(g.value(n.outputs[0]).name) +
                      " is not quantized to 8 bits per tensor (or has several readers)";
        return false;
    }
    plan.y = *y;
    plan.outFq = fq->id;
    return true;
}

ir::ValueId Rewriter::newValue(const std::string& base, DataType type, ir::ValueId like) {
    const ir::ValueId v = g.addValue(g.uniqueValueName(base));
    g.value(v).dtype = type;
    g.value(v).shape = g.value(like).shape;
    return v;
}

namespace {

ir::Node converter(ir::Graph& g, const char* op, const std::string& base, ir::ValueId in,
                   ir::ValueId out, const Quantized& q) {
    ir::Node n;
    n.name = g.uniqueNodeName(base);
    n.opType = op;
    n.domain = ops::kLayerBenchDomain;
    n.inputs = {in};
    n.outputs = {out};
    n.attributes = {floatAttribute("scale", q.scale), intAttribute("offset", q.offset)};
    return n;
}

} // namespace

// Quantize(FakeQuant(v)) == Quantize(v) with the same encoding, so a new Quantize reads v and the
// FakeQuant goes when nothing else reads it.
ir::ValueId Rewriter::u8Input(ir::ValueId xf, const Quantized& q) {
    const ir::Node& xp = g.node(g.value(xf).producer);
    if (xp.opType == kDequantizeOp)
        return xp.inputs[0];
    if (auto it = m_u8Of.find(xf); it != m_u8Of.end())
        return it->second;
    const ir::ValueId from = xp.opType == kFakeQuantOp ? xp.inputs[0] : xf;
    const ir::ValueId xq = newValue(g.value(xf).name + "__u8", DataType::UInt8, xf);
    g.addNode(converter(g, kQuantizeOp, g.value(xf).name + "__quantize", from, xq, q));
    m_u8Of[xf] = xq;
    return xq;
}

void Rewriter::replace(ir::NodeId id, const Plan& plan, ir::Node q) {
    const ir::ValueId y = g.node(plan.outFq).outputs[0];
    const ir::ValueId yq = newValue(g.value(y).name + "__u8", DataType::UInt8, y);
    g.removeNode(plan.outFq);
    g.removeNode(id);
    g.value(y).producer = ir::kNoNode;
    q.domain = ops::kLayerBenchDomain;
    q.outputs = {yq};
    g.addNode(std::move(q));
    g.addNode(converter(g, kDequantizeOp, g.value(y).name + "__dequantize", yq, y, plan.y));
    ++int8Nodes;
}

} // namespace lb::quant::int8
