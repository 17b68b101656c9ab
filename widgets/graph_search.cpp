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
    m_hits.clear();
    m_current = -1;
    for (lb::ir::NodeId id : graph.topologicalOrder()) {
        if (foldConstants && foldedConstantConsumer(graph, id) != lb::ir::kNoNode)
            continue; // searched as part of its consumer
        const lb::ir::Node& node = graph.node(id);
        std::string text = node.name + '\n' + node.opType;
        for (const auto* list : {&node.inputs, &node.outputs})
            for (lb::ir::ValueId v : *list) {
                if (v == lb::ir::kNoValue)
                    continue;
                text += '\n' + graph.value(v).name;
                const lb::ir::NodeId producer = graph.value(v).producer;
                if (foldConstants && producer != lb::ir::kNoNode &&
                    foldedConstantConsumer(graph, producer) == id)
                    text += '\n' + graph.node(producer).name;
            }
        m_entries.push_back({id, lowered(std::move(text))});
    }
}

size_t GraphSearch::setQuery(const std::string& query) {
    m_hits.clear();
    m_current = -1;
    const std::string needle = lowered(query);
    if (needle.empty())
        return 0;
    for (const Entry& e : m_entries)
        if (e.haystack.find(needle) != std::string::npos)
            m_hits.push_back(e.id);
    return m_hits.size();
}

lb::ir::NodeId GraphSearch::next() {
    if (m_hits.empty())
        return lb::ir::kNoNode;
    m_current = (m_current + 1) % static_cast<int>(m_hits.size());
    return m_hits[static_cast<size_t>(m_current)];
}

lb::ir::NodeId GraphSearch::previous() {
    if (m_hits.empty())
        return lb::ir::kNoNode;
    const int n = static_cast<int>(m_hits.size());
    m_current = m_current <= 0 ? n - 1 : m_current - 1;
    return m_hits[static_cast<size_t>(m_current)];
}

} // namespace lb::widgets
