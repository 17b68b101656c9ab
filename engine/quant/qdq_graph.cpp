// buildQdqGraph (quant/qdq_export.h): the IR side of the QDQ export, no protobuf here.
#include "core/error.h"
#include "onnx/opset_upgrade.h"
#include "passes/complete_shapes.h"
#include "quant/fake_quant_transform.h"
#include "quant/name_check.h"
#include "quant/per_channel.h"
#include "quant/qdq_export.h"

#include <cmath>
#include <cstring>

namespace lb::quant {

namespace {

constexpr int64_t kQdqOpset = 13;
constexpr const char* kContribDomain = "com.microsoft";

// How one encoding is stored: integer type, q shift from QNN's unsigned storage, zero points.
struct Storage {
    DataType type = DataType::UInt8;
    int64_t shift = 0; // stored q = q_unsigned - shift
    std::vector<int64_t> zeroPoints;
};

// zero_point = -offset - shift; int32 needs zero_point 0 (DequantizeLinear's rule).
std::optional<Storage> storageFor(const Encoding& e, bool param) {
    Storage s;
    if (e.bitwidth <= 8) {
        s.type = e.symmetric ? DataType::Int8 : DataType::UInt8;
        s.shift = e.symmetric ? int64_t{1} << (e.bitwidth - 1) : 0;
    } else if (e.bitwidth == 16 && !param) {
        s.type = e.symmetric ? DataType::Int16 : DataType::UInt16;
        s.shift = e.symmetric ? int64_t{1} << 15 : 0;
    } else if (param) {
        s.type = DataType::Int32;
        s.shift = int64_t{1} << (e.bitwidth - 1);
    } else {
        return std::nullopt;
    }
    for (const ChannelParams& c : e.channels) {
        const int64_t zp = -c.offset - s.shift;
        if (s.type == DataType::Int32 && zp != 0)
            return std::nullopt;
        s.zeroPoints.push_back(zp);
    }
    return s;
}

template <typename T> void fillInts(Tensor& t, const std::vector<int64_t>& values, int64_t shift) {
    T* out = t.data<T>();
    for (size_t i = 0; i < values.size(); ++i)
        out[i] = static_cast<T>(values[i] - shift);
}

Tensor intTensor(DataType type, Shape shape, const std::vector<int64_t>& values, int64_t shift) {
    Tensor t(type, std::move(shape));
    switch (type) {
    case DataType::UInt8:
        fillInts<uint8_t>(t, values, shift);
        break;
    case DataType::Int8:
        fillInts<int8_t>(t, values, shift);
        break;
    case DataType::UInt16:
        fillInts<uint16_t>(t, values, shift);
        break;
    case DataType::Int16:
        fillInts<int16_t>(t, values, shift);
        break;
    case DataType::Int32:
        fillInts<int32_t>(t, values, shift);
        break;
    default:
        fail("QDQ export: no integer storage ", dtypeName(type));
    }
    return t;
}

class QdqBuilder {
public:
    QdqBuilder(QdqExportResult& r) : m_r(r), m_g(r.graph) {}

    void param(const std::string& name, ir::ValueId id, Encoding e) {
        const Tensor* data = paramTensor(m_g, id);
        if (!data) {
            m_r.skipped.push_back(quoted(name) + ": not a float32 initializer or Constant");
            return;
        }
        // The axis as the simulation resolves it (quant/fake_quant_transform.cpp).
        const Shape& dims = data->shape();
        const bool fits = e.axis >= 0 && e.axis < static_cast<int>(dims.size()) &&
                          dims[e.axis] == static_cast<int64_t>(e.channels.size());
        if (e.isPerChannel() && !fits)
            e.axis = dims.size() == 1 ? 0 : weightChannelAxis(m_g, id);
        if (e.channels.size() > 1 && e.axis < 0)
            fail("tensor ", quoted(name), ": per-channel encoding with ", e.channels.size(),
                 " channels but no channel axis (no Conv/Gemm/MatMul reads it as a weight)");
        validateEncoding(e, name, data->shape(), false);
        const Shape shape = data->shape();
        const std::vector<int64_t> q = quantize(data->span<const float>(), shape, e, name);
        const ir::NodeId producer = m_g.value(id).producer;
        if (producer != ir::kNoNode)
            m_g.removeNode(producer); // a Constant: its value becomes an initializer
        const std::optional<Storage> s = storageFor(e, true);
        if (!s) {
            const std::vector<float> fq = dequantize(q, shape, e, name);
            Tensor t(DataType::Float32, shape);
            std::memcpy(t.data<float>(), fq.data(), fq.size() * sizeof(float));
            m_g.setInitializer(id, std::move(t));
            m_r.notes.push_back(quoted(name) + ": " + std::to_string(e.bitwidth) +
                                "-bit asymmetric param written as fake-quantized float32");
            ++m_r.params;
            return;
        }
        m_g.removeInitializer(id);
        const ir::ValueId qv = m_g.addValue(m_g.uniqueValueName(name + "_quantized"));
        m_g.setInitializer(qv, intTensor(s->type, shape, q, s->shift));
        addDequantize(name, qv, id, e, *s, "");
        ++m_r.params;
    }

    // `unfused`: an 8-bit (or narrower) per-tensor encoding written so that ONNX Runtime fuses
    // nothing into its QLinear kernels yet every level computes the same integers:
    // com.microsoft QuantizeLinear / DequantizeLinear on 16-bit storage (no QLinear kernel takes
    // it) with the 8-bit grid's scale and zero point, then a float Clip to the 8-bit grid's ends
    // (as DequantizeLinear computes them, so a saturated value is the same float).
    void activation(const std::string& name, ir::ValueId id, const Encoding& e,
                    bool unfused = false) {
        if (e.bitwidth > 16) {
            m_r.skipped.push_back(quoted(name) + ": " + std::to_string(e.bitwidth) +
                                  "-bit activation has no QuantizeLinear type");
            return;
        }
        validateEncoding(e, name, std::nullopt, false);
        Storage s = *storageFor(e, false);
        unfused = unfused && e.bitwidth <= 8 && e.channels.size() == 1;
        if (unfused)
            s.type = e.symmetric ? DataType::Int16 : DataType::UInt16;
        const std::string domain = e.bitwidth == 16 || unfused ? kContribDomain : "";
        if (!domain.empty())
            m_g.opsetImports[domain] = 1;
        ir::ValueId in = id;
        ir::ValueId out = ir::kNoValue;
        const ir::NodeId producer = m_g.value(id).producer;
        if (m_g.isGraphOutput(id) && producer != ir::kNoNode) {
            // The producer writes "<name>_float"; the DequantizeLinear takes over the name.
            ir::Node node = m_g.node(producer);
            m_g.removeNode(producer);
            in = m_g.addValue(m_g.uniqueValueName(name + "_float"));
            copyType(id, in);
            for (ir::ValueId& o : node.outputs)
                if (o == id)
                    o = in;
            m_g.addNode(std::move(node));
            out = id;
        } else {
            out = m_g.addValue(m_g.uniqueValueName(name + "_dequantized"));
            copyType(id, out);
            const std::vector<ir::NodeId> readers = m_g.value(id).consumers;
            for (ir::NodeId c : readers) {
                const ir::Node& n = m_g.node(c);
                for (size_t slot = 0; slot < n.inputs.size(); ++slot)
                    if (n.inputs[slot] == id)
                        m_g.replaceInput(c, slot, out);
            }
        }
        ir::ValueId q = m_g.addValue(m_g.uniqueValueName(name + "_quantized"));
        copyType(in, q);
        m_g.value(q).dtype = s.type;
        ir::Node quantize = qdqNode("QuantizeLinear", name, domain, in, q, e, s);
        m_g.addNode(std::move(quantize));
        ++m_r.quantizeNodes;
        if (e.bitwidth < 8 && !unfused) { // QuantizeLinear saturates to 8 bits; keep 2^bw levels
            const ir::ValueId clipped = m_g.addValue(m_g.uniqueValueName(name + "_clipped"));
            copyType(q, clipped);
            ir::Node clip;
            clip.name = m_g.uniqueNodeName(name + "_Clip");
            clip.opType = "Clip";
            const int64_t lo = -s.shift, hi = quantMax(e.bitwidth) - s.shift;
            clip.inputs = {q, constant(name + "_clip_min", intTensor(s.type, {}, {lo}, 0)),
                           constant(name + "_clip_max", intTensor(s.type, {}, {hi}, 0))};
            clip.outputs = {clipped};
            m_g.addNode(std::move(clip));
            q = clipped;
        }
        if (unfused) {
            const ir::ValueId wide = m_g.addValue(m_g.uniqueValueName(name + "_unclipped"));
            copyType(out, wide);
            addDequantize(name, q, wide, e, s, domain);
            const float scale = static_cast<float>(e.channels[0].scale);
            const int64_t zp = s.zeroPoints[0];
            auto end = [&](int64_t stored) {
                Tensor t(DataType::Float32, {});
                t.data<float>()[0] = static_cast<float>(stored - zp) * scale;
                return t;
            };
            ir::Node clip;
            clip.name = m_g.uniqueNodeName(name + "_Clip");
            clip.opType = "Clip";
            clip.inputs = {wide, constant(name + "_min", end(-s.shift)),
                           constant(name + "_max", end(quantMax(e.bitwidth) - s.shift))};
            clip.outputs = {out};
            m_g.addNode(std::move(clip));
            ++m_r.activations;
            return;
        }
        addDequantize(name, q, out, e, s, domain);
        ++m_r.activations;
    }

private:
    void copyType(ir::ValueId from, ir::ValueId to) {
        m_g.value(to).dtype = m_g.value(from).dtype;
        m_g.value(to).shape = m_g.value(from).shape;
    }

    ir::ValueId constant(const std::string& name, Tensor t) {
        const ir::ValueId id = m_g.addValue(m_g.uniqueValueName(name));
        m_g.setInitializer(id, std::move(t));
        return id;
    }

    ir::Node qdqNode(const std::string& op, const std::string& tensor, const std::string& domain,
                     ir::ValueId in, ir::ValueId out, const Encoding& e, const Storage& s) {
        const bool perAxis = e.channels.size() > 1;
        const Shape paramShape = perAxis ? Shape{static_cast<int64_t>(e.channels.size())} : Shape{};
        Tensor scale(DataType::Float32, paramShape);
        for (size_t c = 0; c < e.channels.size(); ++c)
            scale.data<float>()[c] = static_cast<float>(e.channels[c].scale);
        // One scale/zero-point pair per tensor, shared by its QuantizeLinear and DequantizeLinear.
        auto [it, added] = m_params.try_emplace(tensor);
        if (added) {
            it->second.first = constant(tensor + "_scale", std::move(scale));
            it->second.second =
                constant(tensor + "_zero_point", intTensor(s.type, paramShape, s.zeroPoints, 0));
        }
        ir::Node n;
        n.name = m_g.uniqueNodeName(tensor + "_" + op);
        n.opType = op;
        n.domain = domain;
        n.inputs = {in, it->second.first, it->second.second};
        n.outputs = {out};
        if (perAxis) {
            ir::Attribute axis;
            axis.name = "axis";
            axis.type = ir::AttributeType::Int;
            axis.i = e.axis;
            n.attributes.push_back(std::move(axis));
        }
        return n;
    }

    void addDequantize(const std::string& tensor, ir::ValueId in, ir::ValueId out,
                       const Encoding& e, const Storage& s, const std::string& domain) {
        m_g.addNode(qdqNode("DequantizeLinear", tensor, domain, in, out, e, s));
        ++m_r.dequantizeNodes;
    }

    QdqExportResult& m_r;
    ir::Graph& m_g;
    std::map<std::string, std::pair<ir::ValueId, ir::ValueId>> m_params;
};

// ONNX Runtime fuses DequantizeLinear -> Softmax -> QuantizeLinear into QLinearSoftmax, whose
// float lookup table (largest entry FLT_MAX / (D * e^5) for D classes) times floor(1 / y_scale)
// overflows to inf when floor(1 / y_scale) > D * e^5: the output then reads 0 (ORT 1.30, seen
// on cls with a [0, 0.82] range). QNN and ORT's quantizer give Softmax outputs [0, 1] anyway.
std::optional<std::string> softmaxOverflowNote(const ir::Graph& g, ir::ValueId out,
                                               const Encoding& e) {
    const ir::NodeId p = g.value(out).producer;
    if (p == ir::kNoNode || g.node(p).opType != "Softmax" || e.bitwidth != 8 ||
        e.channels.size() != 1)
        return std::nullopt;
    const auto& shape = g.value(out).shape;
    const ir::Attribute* axisAttr = g.node(p).attribute("axis");
    int64_t axis = axisAttr ? axisAttr->i : -1;
    if (!shape || shape->empty())
        return std::nullopt;
    if (axis < 0)
        axis += static_cast<int64_t>(shape->size());
    if (axis < 0 || axis >= static_cast<int64_t>(shape->size()) || !(*shape)[axis].isKnown())
        return std::nullopt;
    const double d = static_cast<double>((*shape)[axis].value);
    const double steps = std::floor(1.0 / static_cast<float>(e.channels[0].scale));
    if (steps <= d * std::exp(5.0))
        return std::nullopt;
    return quoted(g.value(out).name) + ": Softmax output scale " +
           std::to_string(e.channels[0].scale) +
           " is below 1 / (e^5 * classes), where ONNX Runtime's fused QLinearSoftmax overflows "
           "and outputs 0 with graph optimizations on: its 8-bit grid is exported as "
           "com.microsoft QuantizeLinear / DequantizeLinear on 16-bit storage and a Clip to "
           "the grid's ends, which ORT does not fuse, so every optimization level computes "
           "the simulation's values (calibration gives Softmax outputs scale 1/256)";
}

} // namespace

QdqExportResult buildQdqGraph(const ir::Graph& graph, const EncodingSet& encodings) {
    QdqExportResult r;
    r.graph = graph;
    if (r.graph.name.empty())
        r.graph.name = "qdq";        // the checker requires a graph name
    passes::completeShapes(r.graph); // Softmax's opset-13 upgrade needs its input's rank
    r.notes = onnx::upgradeOpset(r.graph, kQdqOpset);
    QdqBuilder builder(r);
    auto integer = [&](const std::string& name, const Encoding& e) {
        if (e.dtype == EncodingDtype::Int)
            return true;
        r.skipped.push_back(quoted(name) + ": float" + std::to_string(e.bitwidth) +
                            " encoding is not exported (no QDQ form)");
        return false;
    };
    for (const auto& [name, e] : encodings.params) {
        const auto id = r.graph.findValue(name);
        if (!id)
            r.skipped.push_back(quoted(name) + ": the graph has no such tensor");
        else if (integer(name, e))
            builder.param(name, *id, e);
    }
    for (const auto& [name, e] : encodings.activations) {
        const auto id = r.graph.findValue(name);
        if (!id) {
            r.skipped.push_back(quoted(name) + ": the graph has no such tensor");
        } else if (!integer(name, e)) {
        } else if (isParamValue(r.graph, *id)) { // misfiled, as the simulation treats it
            builder.param(name, *id, e);
        } else if (const DataType t = r.graph.value(*id).dtype;
                   t != DataType::Float32 && t != DataType::Undefined) {
            r.skipped.push_back(quoted(name) + ": " + dtypeName(t) + " tensor is not quantized");
        } else {
            // An overflowing Softmax stays out of ORT's DequantizeLinear -> Softmax ->
            // QuantizeLinear pattern: its output is quantized on 16-bit storage.
            const auto note = softmaxOverflowNote(r.graph, *id, e);
            if (note)
                r.notes.push_back(*note);
            builder.activation(name, *id, e, note.has_value());
        }
    }
    return r;
}

} // namespace lb::quant
