#include "core/error.h"
#include "onnx/proto_convert.h"

#include <map>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace lb::onnx::detail {

namespace {

template <typename Fn> void forEachSubgraph(const ::onnx::NodeProto& node, Fn&& fn) {
    for (const auto& attr : node.attribute()) {
        if (attr.has_g())
            fn(attr.g());
        for (const auto& g : attr.graphs())
            fn(g);
    }
}

// Views into the proto's own strings: the proto outlives every use. With std::set<std::string>
// and a skeleton ir::Graph for the sort, these checks took a fifth of `info` on a 100,000-node
// chain (bench/run_import_bench.sh).
using NameSet = std::unordered_set<std::string_view>;

NameSet definedNames(const ::onnx::GraphProto& graph) {
    NameSet names;
    names.reserve(
        static_cast<size_t>(graph.input_size() + graph.initializer_size() + graph.node_size()));
    for (const auto& v : graph.input())
        names.insert(v.name());
    for (const auto& t : graph.initializer())
        names.insert(t.name());
    for (const auto& t : graph.sparse_initializer())
        names.insert(t.values().name());
    for (const auto& n : graph.node())
        for (const auto& out : n.output())
            if (!out.empty())
                names.insert(out);
    return names;
}

void checkValueShape(const ::onnx::ValueInfoProto& info, const std::string& displayName) {
    if (!info.type().has_tensor_type() || !info.type().tensor_type().has_shape())
        return;
    int64_t product = 1;
    bool overflow = false;
    std::string text;
    for (const auto& d : info.type().tensor_type().shape().dim()) {
        text += text.empty() ? "" : "x";
        if (!d.has_dim_value()) {
            text += d.has_dim_param() ? d.dim_param() : "?";
            continue;
        }
        text += std::to_string(d.dim_value());
        if (d.dim_value() < 0)
            fail(displayName, ": value ", lb::quoted(info.name()), ": negative dimension ",
                 d.dim_value(), " in its shape");
        overflow = overflow || __builtin_mul_overflow(product, d.dim_value(), &product);
    }
    if (overflow)
        fail(displayName, ": value ", lb::quoted(info.name()), ": shape ", text,
             " has more elements than int64 can count");
}

void checkInitializer(const ::onnx::TensorProto& t, const std::string& displayName) {
    const std::string what = displayName + ": initializer " + lb::quoted(t.name());
    int64_t product = 1;
    for (int64_t d : t.dims()) {
        if (d < 0)
            fail(what, ": negative dimension ", d, " in its shape");
        if (__builtin_mul_overflow(product, d, &product))
            fail(what, ": shape has more elements than int64 can count");
    }
    if (!t.has_raw_data() || !isValidDataType(t.data_type()))
        return;
    const size_t elementSize = dtypeSize(static_cast<DataType>(t.data_type()));
    size_t needed = 0;
    if (elementSize &&
        (__builtin_mul_overflow(static_cast<size_t>(product), elementSize, &needed) ||
         needed != t.raw_data().size()))
        fail(what, ": raw_data has ", t.raw_data().size(), " bytes but shape needs ", product,
             " x ", elementSize, " bytes");
}

} // namespace

void collectOuterScopeNames(const ::onnx::GraphProto& graph, std::set<std::string>& names) {
    const NameSet defined = definedNames(graph);
    std::set<std::string> used;
    for (const auto& n : graph.node()) {
        for (const auto& in : n.input())
            if (!in.empty())
                used.insert(in);
        forEachSubgraph(n, [&](const ::onnx::GraphProto& g) { collectOuterScopeNames(g, used); });
    }
    for (const auto& out : graph.output()) // a branch may give an outer value as it is
        used.insert(out.name());
    for (const auto& name : used)
        if (!defined.count(name))
            names.insert(name);
}

void nameUnnamedNodes(::onnx::GraphProto& graph) {
    // Nearly every file names its nodes uniquely: check that first, rename only when needed.
    bool renameNeeded = false;
    {
        NameSet seen;
        seen.reserve(static_cast<size_t>(graph.node_size()));
        for (const auto& n : graph.node())
            if (n.name().empty() || !seen.insert(n.name()).second) {
                renameNeeded = true;
                break;
            }
    }
    if (renameNeeded) {
        std::set<std::string> taken;
        for (const auto& n : graph.node())
            taken.insert(n.name());
        std::set<std::string> seen;
        for (int i = 0; i < graph.node_size(); ++i) {
            auto& n = *graph.mutable_node(i);
            if (n.name().empty() || seen.count(n.name())) {
                const std::string base =
                    n.name().empty() ? n.op_type() + "_" + std::to_string(i) : n.name();
                std::string candidate = base;
                for (int k = 1; taken.count(candidate); ++k)
                    candidate = base + "_" + std::to_string(k);
                n.set_name(candidate);
                taken.insert(candidate);
            }
            seen.insert(n.name());
        }
    }
    for (auto& n : *graph.mutable_node())
        for (auto& attr : *n.mutable_attribute()) {
            if (attr.has_g())
                nameUnnamedNodes(*attr.mutable_g());
            for (auto& g : *attr.mutable_graphs())
                nameUnnamedNodes(g);
        }
}

void checkDanglingInputs(const ::onnx::GraphProto& graph,
                         const std::unordered_set<std::string_view>& outerScope,
                         const std::string& displayName) {
    NameSet available = definedNames(graph);
    available.insert(outerScope.begin(), outerScope.end());
    for (const auto& n : graph.node()) {
        for (const auto& in : n.input())
            if (!in.empty() && !available.count(in))
                fail(displayName, ": node ", lb::quoted(n.name()), " (", n.op_type(), "): input ",
                     lb::quoted(in),
                     " is produced by no node and is not a graph input or initializer");
        forEachSubgraph(n, [&](const ::onnx::GraphProto& g) {
            checkDanglingInputs(g, available, displayName);
        });
    }
}

namespace {

// True when every node comes after the producers of what it reads (its subgraphs' outer-scope
// reads included) and no value has two producers: the order files nearly always have. Anything
// else goes to the full sort below, which names the cycle or the duplicate.
bool alreadySorted(const ::onnx::GraphProto& graph) {
    std::unordered_map<std::string_view, int> producer;
    producer.reserve(static_cast<size_t>(graph.node_size()) * 2);
    for (int i = 0; i < graph.node_size(); ++i)
        for (const auto& out : graph.node(i).output())
            if (!out.empty() && !producer.emplace(out, i).second)
                return false;
    auto before = [&](std::string_view name, int i) {
        auto it = producer.find(name);
        return it == producer.end() || it->second < i;
    };
    for (int i = 0; i < graph.node_size(); ++i) {
        const auto& n = graph.node(i);
        for (const auto& in : n.input())
            if (!in.empty() && !before(in, i))
                return false;
        bool ok = true;
        forEachSubgraph(n, [&](const ::onnx::GraphProto& g) {
            std::set<std::string> outer;
            collectOuterScopeNames(g, outer);
            for (const auto& name : outer)
                ok = ok && before(name, i);
        });
        if (!ok)
            return false;
    }
    return true;
}

void sortSubgraphs(::onnx::GraphProto& graph, const std::string& displayName) {
    for (auto& n : *graph.mutable_node())
        for (auto& attr : *n.mutable_attribute()) {
            if (attr.has_g())
                sortNodesTopologically(*attr.mutable_g(), displayName);
            for (auto& g : *attr.mutable_graphs())
                sortNodesTopologically(g, displayName);
        }
}

} // namespace

void sortNodesTopologically(::onnx::GraphProto& graph, const std::string& displayName) {
    if (alreadySorted(graph)) {
        sortSubgraphs(graph, displayName);
        return;
    }
    ir::Graph skeleton;
    skeleton.name = graph.name();
    std::vector<ir::NodeId> order;
    try {
        for (const auto& n : graph.node()) {
            ir::Node node;
            node.name = n.name();
            node.opType = n.op_type();
            for (const auto& in : n.input())
                node.inputs.push_back(in.empty() ? ir::kNoValue : skeleton.valueId(in));
            for (const auto& out : n.output())
                node.outputs.push_back(out.empty() ? ir::kNoValue : skeleton.valueId(out));
            std::set<std::string> outer;
            forEachSubgraph(n,
                            [&](const ::onnx::GraphProto& g) { collectOuterScopeNames(g, outer); });
            for (const auto& name : outer)
                node.implicitInputs.push_back(skeleton.valueId(name));
            skeleton.addNode(std::move(node));
        }
        order = skeleton.topologicalOrder();
    } catch (const Error& e) {
        fail(displayName, ": ", e.what());
    }
    bool sorted = true;
    for (size_t i = 0; i < order.size(); ++i)
        sorted = sorted && order[i] == i;
    if (!sorted) {
        google::protobuf::RepeatedPtrField<::onnx::NodeProto> nodes;
        nodes.Reserve(graph.node_size());
        for (ir::NodeId id : order)
            *nodes.Add() = std::move(*graph.mutable_node(static_cast<int>(id)));
        graph.mutable_node()->Swap(&nodes);
    }
    sortSubgraphs(graph, displayName);
}

void checkShapes(const ::onnx::GraphProto& graph, const std::string& displayName) {
    for (const auto& v : graph.input())
        checkValueShape(v, displayName);
    for (const auto& v : graph.output())
        checkValueShape(v, displayName);
    for (const auto& v : graph.value_info())
        checkValueShape(v, displayName);
    for (const auto& t : graph.initializer())
        checkInitializer(t, displayName);
    for (const auto& n : graph.node())
        forEachSubgraph(n, [&](const ::onnx::GraphProto& g) { checkShapes(g, displayName); });
}

} // namespace lb::onnx::detail
