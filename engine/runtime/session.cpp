#include "runtime/session.h"

#include "core/error.h"
#include "runtime/control_flow.h"
#include "runtime/memory_planner.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <numeric>
#include <optional>

namespace lb::runtime {

namespace {

std::string nodeLabel(const ir::Node& n) {
    return "node " + quoted(n.name) + " (" + n.opType + ")";
}

// Prefixes an engine error with the node at fault unless the message names it already.
[[noreturn]] void rethrowForNode(const ir::Node& n, const std::exception& e) {
    const std::string label = nodeLabel(n);
    std::string message = e.what();
    if (message.find(quoted(n.name)) != std::string::npos)
        throw Error(message);
    throw Error(label + ": " + message);
}

std::optional<int64_t> staticBytes(const ir::Value& v) {
    if (v.kind != ValueKind::Tensor || !v.shape || v.dtype == DataType::Undefined ||
        v.dtype == DataType::String)
        return std::nullopt;
    auto n = elementCount(*v.shape);
    if (!n)
        return std::nullopt;
    return *n * static_cast<int64_t>(dtypeSize(v.dtype));
}

std::shared_ptr<std::byte[]> allocateArena(int64_t bytes) {
    if (bytes <= 0)
        return {};
    void* p = std::aligned_alloc(64, static_cast<size_t>((bytes + 63) / 64 * 64));
    if (!p)
        throw std::bad_alloc();
    return std::shared_ptr<std::byte[]>(static_cast<std::byte*>(p),
                                        [](std::byte* q) { std::free(q); });
}

} // namespace

struct Session::Impl {
    std::vector<std::unique_ptr<Kernel>> kernels;       // per step
    std::vector<std::vector<ir::ValueId>> releaseAfter; // per step: values whose last reader ran
    std::vector<int64_t> arenaOffset;                   // per value: -1 = allocate on demand
    std::vector<int64_t> arenaSize;                     // per value
    std::shared_ptr<std::byte[]> arena;
    // Storage of values outside the arena (graph outputs, dynamic shapes), kept per value and
    // handed out again once nobody else holds it: a fresh multi-MiB buffer per run costs a page
    // fault per 4 KiB on first touch (rec's 1x40x6625 softmax output took 3x longer that way).
    struct Reusable {
        std::shared_ptr<std::byte[]> storage;
        int64_t bytes = 0;
    };
    std::vector<Reusable> reusable; // per value
    std::map<std::string, std::shared_ptr<const Backend>> backends;
    std::vector<detail::ControlFlowKernel*> controlFlow; // per step; nullptr for other nodes
};

Session::Session(std::shared_ptr<const ir::Graph> graph,
                 std::vector<std::shared_ptr<const Backend>> backends,
                 const SessionOptions& options, const TaskContext& task)
    : m_graph(std::move(graph)), m_options(options), m_impl(std::make_unique<Impl>()) {
    if (!m_graph)
        fail("session: no graph");
    if (backends.empty())
        fail("session: no backend given");
    if (m_options.threads < 1)
        fail("session: threads must be at least 1, got ", m_options.threads);
    // Partition: each node goes to the first backend that claims it. Asking builds nothing.
    // Control-flow nodes run in the session (kControlFlow), their subgraphs' nodes on backends.
    constexpr int kControlFlow = -2;
    struct Assignment {
        int backend = -1;
        std::string fallbackCode, fallbackReason;
    };
    auto claimOf = [](const Backend& backend, const ir::Graph& graph, const ir::Node& n) {
        try {
            return backend.capability(graph, n);
        } catch (const std::exception& e) {
            rethrowForNode(n, e);
        }
    };
    std::vector<Assignment> assigned(m_graph->nodeCapacity());
    std::map<std::string, Assignment> byName; // the given graph's nodes
    std::vector<std::string> unsupported;
    for (ir::NodeId id : m_graph->topologicalOrder()) {
        const ir::Node& n = m_graph->node(id);
        Assignment& a = assigned[id];
        if (isControlFlow(n))
            a.backend = kControlFlow;
        for (size_t b = 0; b < backends.size() && a.backend == -1; ++b) {
            const Claim claim = claimOf(*backends[b], *m_graph, n);
            if (claim) {
                a.backend = static_cast<int>(b);
                break;
            }
            if (a.fallbackCode.empty())
                a.fallbackCode = claim.code();
            a.fallbackReason +=
                (a.fallbackReason.empty() ? "" : "; ") + backends[b]->name() + ": " + claim.text();
        }
        if (a.backend == -1)
            unsupported.push_back(nodeLabel(n) + " (" + a.fallbackReason + ")");
        byName[n.name] = a;
    }
    if (!unsupported.empty()) {
        std::string list;
        for (size_t k = 0; k < unsupported.size() && k < 5; ++k)
            list += (k ? ", " : "") + unsupported[k];
        if (unsupported.size() > 5)
            list += ", and " + std::to_string(unsupported.size() - 5) + " more";
        fail("graph ", quoted(m_graph->name), ": ", unsupported.size(),
             " node(s) cannot run on any backend: ", list);
    }

    // An int8 run partitions quantization groups as units: an output quantizer runs where the op
    // it quantizes runs (when that backend claims it), so that backend can lower the group.
    if (m_options.int8)
        for (ir::NodeId id : m_graph->topologicalOrder()) {
            const ir::Node& n = m_graph->node(id);
            if (n.inputs.empty() || n.inputs[0] == ir::kNoValue ||
                !m_options.int8->groupsWithProducer(n))
                continue;
            const ir::NodeId producer = m_graph->value(n.inputs[0]).producer;
            if (producer == ir::kNoNode || assigned[producer].backend == assigned[id].backend ||
                assigned[producer].backend < 0 || assigned[id].backend < 0)
                continue;
            const Assignment& p = assigned[producer];
            if (!claimOf(*backends[p.backend], *m_graph, n))
                continue;
            assigned[id].backend = p.backend;
            assigned[id].fallbackCode = p.fallbackCode;
            assigned[id].fallbackReason =
                "runs with " + quoted(m_graph->node(producer).name) +
                ", the op it quantizes (a quantization group stays on one backend)" +
                (p.fallbackReason.empty() ? "" : "; " + p.fallbackReason);
            byName[n.name] = assigned[id];
        }

    // Lowering: each backend rewrites the nodes it got, in order of preference. A node it
    // creates is its own, and keeps the fallback of the nodes it stands for.
    if (m_options.int8 && !m_options.lower)
        fail("session: an int8 run needs the lowering on");
    if (m_options.lower) {
        LoweringContext context;
        context.int8 = m_options.int8.get();
        context.keep = &m_options.keepValues;
        context.roundFp16 = m_options.roundFp16;
        auto lowered = std::make_shared<ir::Graph>(*m_graph);
        for (size_t b = 0; b < backends.size(); ++b) {
            task.checkCancelled();
            const size_t before = assigned.size();
            const int mineIndex = static_cast<int>(b);
            std::vector<LoweringCount> rewrites = backends[b]->lower(
                *lowered,
                [&](ir::NodeId id) { return id >= before || assigned[id].backend == mineIndex; },
                context);
            if (rewrites.empty())
                continue;
            assigned.resize(lowered->nodeCapacity());
            for (size_t id = before; id < assigned.size(); ++id) {
                if (!lowered->isAlive(static_cast<ir::NodeId>(id)))
                    continue;
                const ir::Node& n = lowered->node(static_cast<ir::NodeId>(id));
                Assignment& a = assigned[id];
                a.backend = mineIndex;
                std::vector<std::string> origins = n.fusedFrom;
                origins.push_back(n.name);
                for (const std::string& origin : origins)
                    if (auto it = byName.find(origin);
                        it != byName.end() && !it->second.fallbackCode.empty()) {
                        a.fallbackCode = it->second.fallbackCode;
                        a.fallbackReason = it->second.fallbackReason;
                        break;
                    }
                const Claim claim = claimOf(*backends[b], *lowered, n);
                if (!claim)
                    fail(nodeLabel(n), ": backend ", quoted(backends[b]->name()),
                         " made this node in its lowering but does not run it (", claim.text(),
                         ")");
            }
            m_lowerings.push_back({backends[b]->name(), std::move(rewrites)});
        }
        if (!m_lowerings.empty())
            m_graph = std::move(lowered);
    }
    if (m_options.roundFp16) { // the weights as an fp16 device stores them, after every fusion
        auto rounded = std::make_shared<ir::Graph>(*m_graph);
        for (const auto& [value, tensor] : m_graph->initializers())
            if (tensor.dtype() == DataType::Float32) {
                Tensor copy = tensor.clone();
                roundToHalf(copy.data<float>(), static_cast<size_t>(copy.numel()));
                rounded->setInitializer(value, std::move(copy));
                ++m_roundedWeights;
            }
        m_graph = std::move(rounded);
    }
    const ir::Graph& g = *m_graph;
    for (ir::NodeId id : g.topologicalOrder()) {
        PlanStep step;
        step.node = id;
        step.backend = assigned[id].backend == kControlFlow
                           ? std::string(kControlFlowBackend)
                           : backends[assigned[id].backend]->name();
        step.fallbackCode = assigned[id].fallbackCode;
        step.fallbackReason = assigned[id].fallbackReason;
        m_steps.push_back(std::move(step));
    }

    // Kernels: attributes parsed and weights pre-packed once. An output may stay in its backend's
    // private layout only when every reader is a plain input of a node on the same backend.
    std::vector<const Backend*> nodeBackend(g.nodeCapacity(), nullptr);
    for (const PlanStep& step : m_steps)
        for (const auto& b : backends)
            if (b->name() == step.backend)
                nodeBackend[step.node] = b.get();
    m_impl->controlFlow.assign(m_steps.size(), nullptr);
    for (const auto& b : backends)
        m_impl->backends[b->name()] = b;
    m_impl->kernels.reserve(m_steps.size());
    for (size_t s = 0; s < m_steps.size(); ++s) {
        task.checkCancelled();
        task.report(0.1 + 0.8 * static_cast<double>(s) / static_cast<double>(m_steps.size()),
                    "kernels");
        const ir::Node& n = g.node(m_steps[s].node);
        const Backend* backend = nodeBackend[n.id];
        KernelInfo info{g, n, m_options.threads};
        for (ir::ValueId out : n.outputs) {
            bool stays =
                out != ir::kNoValue && !g.isGraphOutput(out) && !g.value(out).consumers.empty();
            if (stays)
                for (ir::NodeId c : g.value(out).consumers) {
                    const ir::Node& reader = g.node(c);
                    const bool implicit =
                        std::find(reader.implicitInputs.begin(), reader.implicitInputs.end(),
                                  out) != reader.implicitInputs.end();
                    stays = stays && nodeBackend[c] == backend && !implicit;
                }
            info.outputStaysInBackend.push_back(stays);
        }
        try {
            if (!backend) {
                auto kernel = detail::makeControlFlowKernel(g, n, backends, m_options, task);
                m_impl->controlFlow[s] = kernel.get();
                m_impl->kernels.push_back(std::move(kernel));
            } else {
                m_impl->kernels.push_back(backend->createKernel(info));
            }
        } catch (const Cancelled&) {
            throw;
        } catch (const std::exception& e) {
            rethrowForNode(n, e);
        }
    }

    // A subgraph's outer-scope values (never a model's: the importer rejects dangling names).
    for (ir::ValueId v = 0; v < g.valueCount(); ++v) {
        const ir::Value& value = g.value(v);
        if (value.producer == ir::kNoNode && !g.isGraphInput(v) && !g.isInitializer(v) &&
            (!value.consumers.empty() || g.isGraphOutput(v)))
            m_outerScope.push_back(v);
    }

    // Lifetimes in steps. Values that are graph inputs, initializers or graph outputs are never
    // in the arena: outputs are handed to the caller and must survive the next run.
    const size_t valueCount = g.valueCount();
    std::vector<int32_t> first(valueCount, -1), last(valueCount, -1);
    std::vector<ir::ValueId> parent(valueCount);
    std::iota(parent.begin(), parent.end(), ir::ValueId{0});
    auto root = [&](ir::ValueId v) {
        while (parent[v] != v)
            v = parent[v] = parent[parent[v]];
        return v;
    };
    std::vector<bool> pinned(valueCount, false);
    for (ir::ValueId v : g.inputs())
        pinned[v] = true;
    for (ir::ValueId v : g.outputs())
        pinned[v] = true;
    for (const auto& [v, t] : g.initializers())
        pinned[v] = true;
    for (ir::ValueId v : m_outerScope)
        pinned[v] = true;
    for (size_t s = 0; s < m_steps.size(); ++s) {
        const ir::Node& n = g.node(m_steps[s].node);
        const auto step = static_cast<int32_t>(s);
        for (ir::ValueId out : n.outputs)
            if (out != ir::kNoValue && first[out] < 0)
                first[out] = last[out] = step;
        auto use = [&](ir::ValueId in) {
            if (in != ir::kNoValue)
                last[in] = std::max(last[in], step);
        };
        for (ir::ValueId in : n.inputs)
            use(in);
        for (ir::ValueId in : n.implicitInputs)
            use(in);
        for (size_t o = 0; o < n.outputs.size(); ++o) {
            auto aliased = m_impl->kernels[s]->aliasedInput(o);
            if (aliased && *aliased < n.inputs.size() && n.inputs[*aliased] != ir::kNoValue &&
                n.outputs[o] != ir::kNoValue)
                parent[root(n.outputs[o])] = root(n.inputs[*aliased]);
        }
    }
    // Fold alias groups: the group lives as long as any member and is pinned if any member is.
    std::vector<int32_t> groupFirst(valueCount, -1), groupLast(valueCount, -1);
    std::vector<bool> groupPinned(valueCount, false);
    for (ir::ValueId v = 0; v < valueCount; ++v) {
        if (first[v] < 0 && !pinned[v])
            continue;
        ir::ValueId r = root(v);
        if (pinned[v])
            groupPinned[r] = true;
        if (first[v] >= 0) {
            groupFirst[r] = groupFirst[r] < 0 ? first[v] : std::min(groupFirst[r], first[v]);
            groupLast[r] = std::max(groupLast[r], last[v]);
        }
    }
    // Bytes a value's producer writes (its private layout's padding included).
    auto storageBytes = [&](ir::ValueId v) {
        auto bytes = staticBytes(g.value(v));
        if (bytes) {
            const ir::Node& producer = g.node(g.value(v).producer);
            for (size_t s = static_cast<size_t>(first[v]), o = 0; o < producer.outputs.size(); ++o)
                if (producer.outputs[o] == v)
                    bytes = std::max<int64_t>(
                        *bytes, static_cast<int64_t>(m_impl->kernels[s]->outputStorageBytes(o)));
        }
        return bytes;
    };

    // In place: a value whose last reader (of it and of its views) takes it inside its output
    // (Kernel::inputOffsetsInOutput: a channel Concat) is written there by its producer; the
    // output's buffer then lives from the first such value's producer on. Runs that observe
    // values by name (calibration, analyses: lowering off or keepValues) keep one buffer each.
    std::vector<ir::ValueId> host(valueCount, ir::kNoValue);
    std::vector<int64_t> hostOffset(valueCount, 0);
    if (m_options.lower && m_options.keepValues.empty())
        for (size_t s = 0; s < m_steps.size(); ++s) {
            const std::vector<int64_t> offsets = m_impl->kernels[s]->inputOffsetsInOutput();
            const ir::Node& n = g.node(m_steps[s].node);
            if (offsets.empty() || n.outputs.empty() || n.outputs[0] == ir::kNoValue)
                continue;
            const ir::ValueId out = n.outputs[0];
            const auto outBytes = storageBytes(out);
            if (pinned[out] || groupPinned[out] || root(out) != out || !outBytes)
                continue;
            for (size_t i = 0; i < offsets.size() && i < n.inputs.size(); ++i) {
                const ir::ValueId v = n.inputs[i];
                if (offsets[i] < 0 || offsets[i] % 64 != 0 || v == ir::kNoValue || v == out ||
                    pinned[v] || groupPinned[v] || first[v] < 0 || root(v) != v ||
                    host[v] != ir::kNoValue || groupLast[v] != static_cast<int32_t>(s) ||
                    std::count(n.inputs.begin(), n.inputs.end(), v) != 1)
                    continue;
                const auto bytes = staticBytes(g.value(v));
                if (!bytes || storageBytes(v) != bytes || offsets[i] + *bytes > *outBytes)
                    continue;
                host[v] = out;
                hostOffset[v] = offsets[i];
                ++m_memoryStats.inPlaceValues;
            }
        }
    // The buffer a hosted value ends up in (a Concat's output inside an outer Concat's), and the
    // value's byte offset there.
    auto outermost = [&](ir::ValueId v) {
        int64_t offset = 0;
        for (; host[v] != ir::kNoValue; v = host[v])
            offset += hostOffset[v];
        return std::pair{v, offset};
    };
    for (ir::ValueId v = 0; v < valueCount; ++v)
        if (host[v] != ir::kNoValue) {
            const ir::ValueId h = outermost(v).first;
            groupFirst[h] = std::min(groupFirst[h], groupFirst[v]);
            groupLast[h] = std::max(groupLast[h], groupLast[v]);
        }

    m_impl->arenaOffset.assign(valueCount, -1);
    m_impl->arenaSize.assign(valueCount, 0);
    std::vector<BufferRequest> requests;
    std::vector<ir::ValueId> requestValue;
    for (ir::ValueId v = 0; v < valueCount; ++v) {
        if (first[v] < 0 || pinned[v])
            continue;
        if (root(v) != v || host[v] != ir::kNoValue) // aliases share their root's storage
            continue;
        auto bytes = storageBytes(v);
        if (!bytes || groupPinned[v]) {
            ++m_memoryStats.dynamicValues;
            continue;
        }
        requests.push_back({std::max<int64_t>(*bytes, 1), groupFirst[v], groupLast[v]});
        requestValue.push_back(v);
    }
    const MemoryPlan plan = planMemory(requests);
    for (size_t k = 0; k < requests.size(); ++k) {
        m_impl->arenaOffset[requestValue[k]] = plan.offsets[k];
        m_impl->arenaSize[requestValue[k]] = requests[k].bytes;
    }
    for (ir::ValueId v = 0; v < valueCount; ++v)
        if (host[v] != ir::kNoValue) {
            const auto [h, offset] = outermost(v);
            m_impl->arenaOffset[v] = m_impl->arenaOffset[h] + offset;
            m_impl->arenaSize[v] = *staticBytes(g.value(v));
        }
    m_memoryStats.plannedBytes = plan.arenaBytes;
    m_memoryStats.naiveBytes = plan.naiveBytes;
    // "Without reuse" counts a value written in place as the buffer of its own it would have had.
    for (ir::ValueId v = 0; v < valueCount; ++v)
        if (host[v] != ir::kNoValue)
            m_memoryStats.naiveBytes += (m_impl->arenaSize[v] + 63) / 64 * 64;
    m_impl->reusable.resize(g.valueCount());
    m_impl->arena = allocateArena(plan.arenaBytes);

    // After the last reader of a value ran, drop the executor's reference (frees dynamic buffers).
    m_impl->releaseAfter.resize(m_steps.size());
    for (ir::ValueId v = 0; v < valueCount; ++v)
        if (!pinned[v] && last[v] >= 0)
            m_impl->releaseAfter[static_cast<size_t>(last[v])].push_back(v);
    task.report(1.0, "kernels");
}

Session::~Session() = default;

std::string Session::implementation(size_t step) const {
    return step < m_impl->kernels.size() ? m_impl->kernels[step]->implementation() : std::string();
}

Tensor Session::toPlain(const PlanStep& step, const Tensor& tensor) const {
    if (tensor.isPlain())
        return tensor;
    return m_impl->backends.at(step.backend)->toPlain(tensor);
}

std::vector<Session::Subgraph> Session::subgraphs(size_t step) const {
    if (step >= m_impl->controlFlow.size() || !m_impl->controlFlow[step])
        return {};
    return m_impl->controlFlow[step]->subgraphs();
}

std::vector<std::string> Session::outputNames() const {
    std::vector<std::string> names;
    for (ir::ValueId v : m_graph->outputs())
        names.push_back(m_graph->value(v).name);
    return names;
}

std::vector<Tensor> Session::run(const std::map<std::string, Tensor>& inputs,
                                 ExecutionObserver* observer, const TaskContext& task) {
    const ir::Graph& g = *m_graph;
    std::vector<Tensor> values(g.valueCount());
    for (const auto& [v, t] : g.initializers())
        values[v] = t;
    for (ir::ValueId v : g.inputs()) {
        const ir::Value& info = g.value(v);
        if (g.isInitializer(v) && !inputs.count(info.name))
            continue; // an input with a default value
        auto it = inputs.find(info.name);
        if (it == inputs.end())
            fail("input ", quoted(info.name), " is missing (expected ", dtypeName(info.dtype), " ",
                 info.shape ? shapeToString(*info.shape) : std::string("of any shape"), ")");
        const Tensor& t = it->second;
        if (t.kind() != info.kind)
            fail("input ", quoted(info.name), ": expected a ",
                 info.kind == ValueKind::Tensor     ? "tensor"
                 : info.kind == ValueKind::Sequence ? "sequence"
                                                    : "optional",
                 ", got another kind of value");
        if (info.dtype != DataType::Undefined && t.dtype() != info.dtype &&
            (t.kind() == ValueKind::Tensor || t.dtype() != DataType::Undefined))
            fail("input ", quoted(info.name), ": expected ", dtypeName(info.dtype), ", got ",
                 dtypeName(t.dtype()));
        if (info.shape && t.kind() == ValueKind::Tensor) {
            bool ok = info.shape->size() == t.shape().size();
            for (size_t d = 0; ok && d < info.shape->size(); ++d)
                ok = !(*info.shape)[d].isKnown() || (*info.shape)[d].value == t.shape()[d];
            if (!ok)
                fail("input ", quoted(info.name), ": expected shape ", shapeToString(*info.shape),
                     ", got ", shapeToString(t.shape()));
        }
        if (m_options.roundFp16 && t.dtype() == DataType::Float32 &&
            t.kind() == ValueKind::Tensor) {
            Tensor rounded = t.clone();
            roundToHalf(rounded.data<float>(), static_cast<size_t>(rounded.numel()));
            values[v] = std::move(rounded);
        } else {
            values[v] = t;
        }
    }
    for (const auto& [name, t] : inputs)
        if (!g.findValue(name) || !g.isGraphInput(*g.findValue(name)))
            fail("input ", quoted(name), " is not an input of the model");
    for (ir::ValueId v : m_outerScope)
        fail("graph ", quoted(g.name), " reads ", quoted(g.value(v).name),
             ", which it neither defines nor takes as input (an outer-scope value outside a "
             "subgraph)");
    return execute(values, observer, task);
}

std::vector<Tensor> Session::runSubgraph(const std::vector<const Tensor*>& inputs,
                                         const std::vector<const Tensor*>& outer,
                                         ExecutionObserver* observer, const TaskContext& task) {
    const ir::Graph& g = *m_graph;
    if (inputs.size() != g.inputs().size())
        fail("graph ", quoted(g.name), ": got ", inputs.size(), " inputs, expected ",
             g.inputs().size());
    if (outer.size() != m_outerScope.size())
        fail("graph ", quoted(g.name), ": got ", outer.size(), " outer-scope values, expected ",
             m_outerScope.size());
    std::vector<Tensor> values(g.valueCount());
    for (const auto& [v, t] : g.initializers())
        values[v] = t;
    for (size_t i = 0; i < inputs.size(); ++i) {
        const ir::Value& info = g.value(g.inputs()[i]);
        if (!inputs[i] || inputs[i]->empty())
            fail("graph ", quoted(g.name), ": input ", quoted(info.name), " is missing");
        const Tensor& t = *inputs[i];
        if (t.kind() == ValueKind::Tensor && info.kind == ValueKind::Tensor &&
            info.dtype != DataType::Undefined && t.dtype() != info.dtype)
            fail("graph ", quoted(g.name), ": input ", quoted(info.name), ": expected ",
                 dtypeName(info.dtype), ", got ", dtypeName(t.dtype()));
        values[g.inputs()[i]] = t;
    }
    for (size_t k = 0; k < outer.size(); ++k) {
        if (!outer[k] || outer[k]->empty())
            fail("graph ", quoted(g.name), ": outer-scope value ",
                 quoted(g.value(m_outerScope[k]).name), " is missing");
        values[m_outerScope[k]] = *outer[k];
    }
    return execute(values, observer, task);
}

std::vector<Tensor> Session::execute(std::vector<Tensor>& values, ExecutionObserver* observer,
                                     const TaskContext& task) {
    const ir::Graph& g = *m_graph;
    if (observer)
        observer->onRunStart();
    std::vector<const Tensor*> in;
    std::vector<Tensor> out;
    for (size_t s = 0; s < m_steps.size(); ++s) {
        task.checkCancelled();
        const ir::Node& n = g.node(m_steps[s].node);
        in.assign(n.inputs.size(), nullptr);
        for (size_t i = 0; i < n.inputs.size(); ++i)
            if (n.inputs[i] != ir::kNoValue)
                in[i] = &values[n.inputs[i]];
        detail::ControlFlowKernel* controlFlow = m_impl->controlFlow[s];
        if (controlFlow) // its subgraphs' outer-scope values follow its inputs
            for (ir::ValueId v : n.implicitInputs)
                in.push_back(&values[v]);
        out.assign(n.outputs.size(), Tensor());
        auto allocate = [&](size_t o, DataType type, const Shape& shape,
                            size_t storageBytes) -> Tensor {
            const ir::ValueId v = o < n.outputs.size() ? n.outputs[o] : ir::kNoValue;
            auto count = elementCount(shape);
            if (!count)
                fail("output ", o, " of shape ", shapeToString(shape), ": element count overflows");
            const int64_t bytes = std::max<int64_t>(*count * static_cast<int64_t>(dtypeSize(type)),
                                                    static_cast<int64_t>(storageBytes));
            if (type != DataType::String && v != ir::kNoValue && m_impl->arenaOffset[v] >= 0 &&
                bytes <= m_impl->arenaSize[v]) {
                std::shared_ptr<std::byte[]> slice(m_impl->arena,
                                                   m_impl->arena.get() + m_impl->arenaOffset[v]);
                return Tensor::view(type, shape, std::move(slice));
            }
            if (type == DataType::String || v == ir::kNoValue)
                return Tensor(type, shape);
            Impl::Reusable& r = m_impl->reusable[v];
            if (!r.storage || r.storage.use_count() > 1 || r.bytes < bytes) {
                r.storage = allocateArena(std::max<int64_t>(bytes, 1));
                r.bytes = bytes;
            }
            return Tensor::view(type, shape, r.storage);
        };
        KernelContext ctx(in, out, allocate, m_options.threads);
        if (observer)
            observer->onNodeStart(s, m_steps[s]);
        try {
            if (controlFlow)
                controlFlow->runWith(ctx, observer, s, task);
            else
                m_impl->kernels[s]->run(ctx);
        } catch (const Cancelled&) {
            throw;
        } catch (const std::exception& e) {
            rethrowForNode(n, e);
        }
        for (size_t o = 0; o < n.outputs.size(); ++o) {
            if (n.outputs[o] == ir::kNoValue)
                continue;
            if (out[o].empty())
                fail(nodeLabel(n), ": kernel produced no value for output ",
                     quoted(g.value(n.outputs[o]).name));
            if (m_options.roundFp16 && out[o].dtype() == DataType::Float32 &&
                out[o].kind() == ValueKind::Tensor)
                roundToHalf(out[o].data<float>(), static_cast<size_t>(out[o].numel()));
            values[n.outputs[o]] = out[o];
        }
        if (observer)
            observer->onNodeEnd(s, m_steps[s], out);
        for (ir::ValueId v : m_impl->releaseAfter[s])
            values[v] = Tensor();
    }
    if (observer)
        observer->onRunEnd();

    std::vector<Tensor> results;
    results.reserve(g.outputs().size());
    for (ir::ValueId v : g.outputs()) {
        if (values[v].empty())
            fail("output ", quoted(g.value(v).name), " was not computed");
        results.push_back(values[v]);
    }
    return results;
}

} // namespace lb::runtime
