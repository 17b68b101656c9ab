#include "report/layer_match.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace lb::report {

namespace {

// Union-find over node names, with the first-seen order kept for labels.
class NameSets {
public:
    size_t id(const std::string& name) {
        auto [it, added] = m_ids.try_emplace(name, m_parent.size());
        if (added) {
            m_parent.push_back(it->second);
            m_names.push_back(name);
        }
        return it->second;
    }
    size_t root(size_t i) {
        while (m_parent[i] != i)
            i = m_parent[i] = m_parent[m_parent[i]];
        return i;
    }
    void join(size_t a, size_t b) {
        a = root(a);
        b = root(b);
        if (a != b)
            m_parent[std::max(a, b)] = std::min(a, b); // the earliest name stays the root
    }
    size_t size() const { return m_parent.size(); }
    const std::string& name(size_t i) const { return m_names[i]; }

private:
    std::map<std::string, size_t> m_ids;
    std::vector<size_t> m_parent;
    std::vector<std::string> m_names;
};

std::vector<std::string> namesOf(const NodeProfile& row) {
    return row.covers.empty() ? std::vector<std::string>{row.name} : row.covers;
}

std::string labelOf(const std::vector<std::string>& nodes) {
    constexpr size_t kShown = 3;
    std::string label;
    for (size_t i = 0; i < nodes.size() && i < kShown; ++i)
        label += (i ? " + " : "") + nodes[i];
    if (nodes.size() > kShown)
        label += " +" + std::to_string(nodes.size() - kShown) + " more";
    return label;
}

// Whether "Conv+Relu" lists `op` as one of its parts.
bool hasOp(const std::string& ops, const std::string& op) {
    for (size_t start = 0; start <= ops.size();) {
        const size_t end = std::min(ops.find('+', start), ops.size());
        if (ops.compare(start, end - start, op) == 0)
            return true;
        start = end + 1;
    }
    return false;
}

} // namespace

double LayerMatch::maxTimeMs() const {
    double best = 0;
    for (double t : timeMs)
        if (!std::isnan(t))
            best = std::max(best, t);
    return best;
}

std::vector<LayerMatch> matchLayers(const std::vector<ProfileReport>& reports) {
    NameSets sets;
    for (const ProfileReport& r : reports)
        for (const NodeProfile& row : r.nodes) {
            if (row.parent >= 0)
                continue;
            const std::vector<std::string> names = namesOf(row);
            const size_t first = sets.id(names.front());
            for (size_t k = 1; k < names.size(); ++k)
                sets.join(first, sets.id(names[k]));
        }
    std::map<size_t, size_t> groupOfRoot; // root name id -> index in `groups`
    std::vector<LayerMatch> groups;
    for (size_t i = 0; i < sets.size(); ++i) {
        const size_t root = sets.root(i);
        auto [it, added] = groupOfRoot.try_emplace(root, groups.size());
        if (added) {
            LayerMatch m;
            m.timeMs.assign(reports.size(), std::numeric_limits<double>::quiet_NaN());
            m.ops.assign(reports.size(), "");
            m.rows.assign(reports.size(), {});
            groups.push_back(std::move(m));
        }
        groups[it->second].nodes.push_back(sets.name(i));
    }
    for (size_t r = 0; r < reports.size(); ++r)
        for (size_t k = 0; k < reports[r].nodes.size(); ++k) {
            const NodeProfile& row = reports[r].nodes[k];
            if (row.parent >= 0) // a subgraph's node: its time is in its control-flow node's
                continue;
            LayerMatch& m = groups[groupOfRoot.at(sets.root(sets.id(namesOf(row).front())))];
            m.timeMs[r] = (std::isnan(m.timeMs[r]) ? 0.0 : m.timeMs[r]) + row.timeMs;
            if (!row.op.empty() && !hasOp(m.ops[r], row.op))
                m.ops[r] += (m.ops[r].empty() ? "" : "+") + row.op;
            m.rows[r].push_back(k);
        }
    for (LayerMatch& m : groups)
        m.label = labelOf(m.nodes);
    std::stable_sort(groups.begin(), groups.end(), [](const LayerMatch& a, const LayerMatch& b) {
        return a.maxTimeMs() > b.maxTimeMs();
    });
    return groups;
}

} // namespace lb::report
