#include "quant/qdq_export.h"

#include "core/error.h"
#include "onnx/exporter.h"

#include <fstream>

namespace lb::quant {

std::string exportQdqModelToBytes(const ir::Graph& graph, const EncodingSet& encodings,
                                  QdqExportResult* result) {
    QdqExportResult r = buildQdqGraph(graph, encodings);
    std::string bytes = onnx::exportModelToBytes(r.graph);
    onnx::checkModelBytes(bytes, "QDQ export of " + quoted(graph.name));
    if (result)
        *result = std::move(r);
    return bytes;
}

void saveQdqModel(const ir::Graph& graph, const EncodingSet& encodings, const std::string& path,
                  QdqExportResult* result) {
    const std::string bytes = exportQdqModelToBytes(graph, encodings, result);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        fail(path, ": cannot open for writing");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out)
        fail(path, ": write failed");
}

std::vector<ExposedTensor> exposeQuantizedTensors(ir::Graph& qdq) {
    // The QuantizeLinear a DequantizeLinear reads (through the Clip of a narrower width).
    auto quantizeOf = [&](ir::ValueId v) -> ir::NodeId {
        ir::NodeId p = qdq.value(v).producer;
        if (p != ir::kNoNode && qdq.node(p).opType == "Clip")
            p = qdq.value(qdq.node(p).inputs[0]).producer;
        return p != ir::kNoNode && qdq.node(p).opType == "QuantizeLinear" ? p : ir::kNoNode;
    };
    std::vector<ExposedTensor> exposed;
    for (ir::NodeId id : qdq.topologicalOrder()) {
        const ir::Node& n = qdq.node(id);
        if (n.opType != "QuantizeLinear" || n.outputs.empty() || n.outputs[0] == ir::kNoValue)
            continue;
        const ir::ValueId out = n.outputs[0];
        if (!qdq.isGraphOutput(out))
            qdq.outputs().push_back(out);
        ExposedTensor t;
        t.name = qdq.value(out).name;
        const ir::NodeId op = qdq.value(n.inputs[0]).producer;
        t.op = op == ir::kNoNode ? "input" : qdq.node(op).opType;
        for (ir::ValueId in :
             op == ir::kNoNode ? std::vector<ir::ValueId>{} : qdq.node(op).inputs) {
            if (in == ir::kNoValue || qdq.isInitializer(in))
                continue;
            const ir::NodeId dq = qdq.value(in).producer;
            if (dq != ir::kNoNode && qdq.node(dq).opType == "DequantizeLinear" &&
                qdq.isInitializer(qdq.node(dq).inputs[0]))
                continue; // a weight
            const ir::NodeId q = dq != ir::kNoNode && qdq.node(dq).opType == "DequantizeLinear"
                                     ? quantizeOf(qdq.node(dq).inputs[0])
                                     : ir::kNoNode;
            if (q == ir::kNoNode)
                t.onlyQuantized = false;
            else
                t.reads.push_back(qdq.value(qdq.node(q).outputs[0]).name);
        }
        exposed.push_back(std::move(t));
    }
    return exposed;
}

std::vector<std::string> isolateQuantizedKernels(ir::Graph& qdq,
                                                 const std::vector<ExposedTensor>& exposed) {
    std::vector<std::string> inputs;
    for (const ExposedTensor& t : exposed) {
        const ir::ValueId q = *qdq.findValue(t.name);
        const ir::ValueId in = qdq.addValue(qdq.uniqueValueName(t.name + "_in"));
        qdq.value(in).dtype = qdq.value(q).dtype;
        qdq.value(in).shape = qdq.value(q).shape;
        const std::vector<ir::NodeId> readers = qdq.value(q).consumers;
        for (ir::NodeId c : readers) {
            const ir::Node& n = qdq.node(c);
            for (size_t slot = 0; slot < n.inputs.size(); ++slot)
                if (n.inputs[slot] == q)
                    qdq.replaceInput(c, slot, in);
        }
        qdq.inputs().push_back(in);
        inputs.push_back(qdq.value(in).name);
    }
    return inputs;
}

} // namespace lb::quant
