#include "widgets/graph_search.h"

#include "widgets/weight_inputs.h"

#include <algorithm>
#include <cctype>

namespace lb::widgets {

namespace {
std::string lowered(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}
} // namespace

void GraphSearch::setGraph(const lb::ir::Graph& graph, bool foldConstants) {
    m_entries.clear();
    m_all.clear();
    m_hits.clear();
    m_current = -1;
    for (lb::ir::NodeId id : graph.topologicalOrder()) {
        if (foldConstants && foldedConstantConsumer(graph, id) != lb::ir::kNoNode)
            continue; // searched as part of its consumer
        const lb::ir::Node& node = graph.node(id);
        Entry entry{id, {{lowered(node.name), node.name}}, lowered(node.opType), {}};
        for (const auto* list : {&node.inputs, &node.outputs})
            for (lb::ir::ValueId v : *list) {
                if (v == lb::ir::kNoValue)
                    continue;
                const std::string& tensor = graph.value(v).name;
                entry.tensors.push_back({lowered(tensor), tensor});
                const lb::ir::NodeId producer = graph.value(v).producer;
                if (foldConstants && producer != lb::ir::kNoNode &&
                    foldedConstantConsumer(graph, producer) == id)
                    entry.names.push_back(
                        {lowered(graph.node(producer).name), graph.node(producer).name});
            }
        m_entries.push_back(std::move(entry));
    }
}

size_t GraphSearch::setQuery(const std::string& query) {
    m_all.clear();
    const std::string needle = lowered(query);
    if (!needle.empty()) {
        auto firstMatch = [&needle](const std::vector<Text>& texts) -> const Text* {
            for (const Text& t : texts)
                if (t.lowered.find(needle) != std::string::npos)
                    return &t;
            return nullptr;
        };
        for (const Entry& e : m_entries) {
            Hit hit;
            hit.id = e.id;
            if (const Text* name = firstMatch(e.names)) {
                hit.kinds |= static_cast<Kinds>(Kind::NodeName);
                hit.name = name->original;
            }
            if (e.opType.find(needle) != std::string::npos)
                hit.kinds |= static_cast<Kinds>(Kind::OpType);
            if (const Text* tensor = firstMatch(e.tensors)) {
                hit.kinds |= static_cast<Kinds>(Kind::Tensor);
                hit.tensor = tensor->original;
            }
            if (hit.kinds != 0)
                m_all.push_back(std::move(hit));
        }
    }
    applyFilter();
    return m_hits.size();
}

void GraphSearch::setKinds(Kinds kinds) {
    m_kinds = kinds & kAllKinds;
    applyFilter();
}

void GraphSearch::applyFilter() {
    m_hits.clear();
    m_current = -1;
    for (const Hit& hit : m_all) {
        if ((hit.kinds & m_kinds) == 0)
            continue;
        Hit kept = hit;
        kept.kinds &= m_kinds;
        if (!has(kept.kinds, Kind::NodeName))
            kept.name.clear();
        if (!has(kept.kinds, Kind::Tensor))
            kept.tensor.clear();
        m_hits.push_back(std::move(kept));
    }
}

size_t GraphSearch::countOf(Kind kind) const {
    return static_cast<size_t>(std::count_if(m_all.begin(), m_all.end(),
                                             [kind](const Hit& h) { return has(h.kinds, kind); }));
}

lb::ir::NodeId GraphSearch::next() {
    if (m_hits.empty())
        return lb::ir::kNoNode;
    return setCurrent((m_current + 1) % static_cast<int>(m_hits.size()));
}

lb::ir::NodeId GraphSearch::previous() {
    if (m_hits.empty())
        return lb::ir::kNoNode;
    const int n = static_cast<int>(m_hits.size());
    return setCurrent(m_current <= 0 ? n - 1 : m_current - 1);
}

lb::ir::NodeId GraphSearch::setCurrent(int index) {
    if (index < 0 || index >= static_cast<int>(m_hits.size()))
        return lb::ir::kNoNode;
    m_current = index;
    return m_hits[static_cast<size_t>(index)].id;
}

} // namespace lb::widgets
