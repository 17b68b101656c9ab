#include "quant/fake_quant_transform.h"

#include "core/error.h"
#include "ops/fake_quant_op.h"
#include "ops/fused_ops.h"
#include "quant/name_check.h"
#include "quant/per_channel.h"

#include <cstring>

namespace lb::quant {

namespace {

Encoding withAxis(const ir::Graph& graph, ir::ValueId id, Encoding e) {
    // Files do not state the axis (the 1.0.0 reader says 0 for a one-channel PER_CHANNEL entry,
    // wrong for a ConvTranspose weight): take it from the weight's reader when it does not fit.
    const Tensor* data = paramTensor(graph, id);
    const auto fits = [&] {
        return data && e.axis >= 0 && e.axis < static_cast<int>(data->shape().size()) &&
               data->shape()[e.axis] == static_cast<int64_t>(e.channels.size());
    };
    if (e.isPerChannel() && !fits())
        e.axis = data && data->shape().size() == 1 ? 0 : weightChannelAxis(graph, id);
    if (e.channels.size() > 1 && e.axis < 0)
        fail("tensor ", quoted(graph.value(id).name), ": per-channel encoding with ",
             e.channels.size(),
             " channels but no channel axis (no Conv/Gemm/MatMul reads it as a "
             "weight)");
    return e;
}

void quantizeParam(ir::Graph& graph, ir::ValueId id, const Encoding& encoding) {
    const Tensor* data = paramTensor(graph, id);
    const std::string& name = graph.value(id).name;
    if (!data)
        fail("tensor ", quoted(name),
             ": param encoding for a value that is not a float32 "
             "initializer or Constant");
    const Encoding e = withAxis(graph, id, encoding);
    validateEncoding(e, name, data->shape(), false);
    const std::vector<float> fq = fakeQuantize(data->span<const float>(), data->shape(), e, name);
    Tensor t(DataType::Float32, data->shape());
    std::memcpy(t.data<float>(), fq.data(), fq.size() * sizeof(float));
    const ir::NodeId producer = graph.value(id).producer;
    if (producer != ir::kNoNode)
        graph.removeNode(producer); // the Constant: its value moves to an initializer
    graph.setInitializer(id, std::move(t));
}

ir::Node fakeQuantNode(ir::Graph& graph, const std::string& tensor, ir::ValueId in, ir::ValueId out,
                       const Encoding& e) {
    ir::Node n;
    n.name = graph.uniqueNodeName(tensor + "__fake_quant");
    n.opType = ops::kFakeQuantOp;
    n.domain = ops::kLayerBenchDomain;
    n.inputs = {in};
    n.outputs = {out};
    ops::setFakeQuantAttributes(n, e);
    return n;
}

void copyType(ir::Graph& graph, ir::ValueId from, ir::ValueId to) {
    graph.value(to).dtype = graph.value(from).dtype;
    graph.value(to).shape = graph.value(from).shape;
}

} // namespace

const Tensor* paramTensor(const ir::Graph& graph, ir::ValueId value) {
    const Tensor* t = graph.initializer(value);
    if (!t) {
        const ir::NodeId p = graph.value(value).producer;
        if (p != ir::kNoNode && graph.isAlive(p) && graph.node(p).opType == "Constant")
            if (const ir::Attribute* a = graph.node(p).attribute("value"))
                t = &a->t;
    }
    return t && t->dtype() == DataType::Float32 ? t : nullptr;
}

FakeQuantResult applyFakeQuant(ir::Graph& graph, const EncodingSet& encodings,
                               const std::set<std::string>* only) {
    FakeQuantResult result;
    auto wanted = [&](const std::string& name) { return !only || only->count(name); };
    auto simulable = [&](const std::string& name, const Encoding& e) {
        if (e.dtype == EncodingDtype::Float) {
            result.skipped.push_back(quoted(name) + ": float" + std::to_string(e.bitwidth) +
                                     " encoding is not simulated");
            return false;
        }
        return true;
    };
    for (const auto& [name, encoding] : encodings.params) {
        const auto id = graph.findValue(name);
        if (!wanted(name) || !id || !simulable(name, encoding))
            continue;
        quantizeParam(graph, *id, encoding);
        result.quantizedValue[name] = name;
        ++result.params;
    }
    for (const auto& [name, encoding] : encodings.activations) {
        const auto id = graph.findValue(name);
        if (!wanted(name) || !id || !simulable(name, encoding))
            continue;
        if (isParamValue(graph, *id)) { // misfiled (checkNames says so): simulate it as a param
            quantizeParam(graph, *id, encoding);
            result.quantizedValue[name] = name;
            ++result.params;
            continue;
        }
        if (graph.value(*id).dtype != DataType::Float32 &&
            graph.value(*id).dtype != DataType::Undefined) {
            result.skipped.push_back(quoted(name) + ": " + dtypeName(graph.value(*id).dtype) +
                                     " tensor is not quantized");
            continue;
        }
        validateEncoding(encoding, name, std::nullopt, false);
        const ir::NodeId producer = graph.value(*id).producer;
        if (producer == ir::kNoNode) { // a graph input
            const ir::ValueId fq = graph.addValue(graph.uniqueValueName(name + "__fq"));
            copyType(graph, *id, fq);
            const std::vector<ir::NodeId> consumers = graph.value(*id).consumers;
            for (ir::NodeId c : consumers) {
                const ir::Node& n = graph.node(c);
                for (size_t slot = 0; slot < n.inputs.size(); ++slot)
                    if (n.inputs[slot] == *id)
                        graph.replaceInput(c, slot, fq);
            }
            graph.addNode(fakeQuantNode(graph, name, *id, fq, encoding));
            result.quantizedValue[name] = graph.value(fq).name;
        } else {
            // The producer writes a new float value; the FakeQuant takes over the name.
            ir::Node node = graph.node(producer);
            graph.removeNode(producer);
            graph.value(*id).producer = ir::kNoNode;
            const ir::ValueId raw = graph.addValue(graph.uniqueValueName(name + "__float"));
            copyType(graph, *id, raw);
            for (ir::ValueId& o : node.outputs)
                if (o == *id)
                    o = raw;
            graph.addNode(std::move(node));
            graph.addNode(fakeQuantNode(graph, name, raw, *id, encoding));
            result.quantizedValue[name] = name;
        }
        ++result.activations;
    }
    return result;
}

} // namespace lb::quant
