#include "widgets/comparison_data.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace lb::widgets {

namespace {

// Union-find over ONNX node names: a row joins every name it covers.
class NameSets {
public:
    int add(const std::string& name) {
        auto [it, inserted] = m_index.try_emplace(name, static_cast<int>(m_parent.size()));
        if (inserted) {
            m_parent.push_back(it->second);
            m_names.push_back(name);
        }
        return it->second;
    }
    int find(int i) {
        while (m_parent[static_cast<size_t>(i)] != i) {
            int& p = m_parent[static_cast<size_t>(i)];
            p = m_parent[static_cast<size_t>(p)];
            i = p;
        }
        return i;
    }
    void unite(int a, int b) {
        a = find(a);
        b = find(b);
        if (a != b)
            m_parent[static_cast<size_t>(std::max(a, b))] = std::min(a, b); // the first met leads
    }
    int find(const std::string& name) { return find(m_index.at(name)); }
    size_t size() const { return m_names.size(); }
    const std::string& name(size_t i) const { return m_names[i]; }

private:
    std::unordered_map<std::string, int> m_index;
    std::vector<int> m_parent;
    std::vector<std::string> m_names;
};

// The names a row stands for; a row of an older report that lists none, its own.
std::vector<std::string> namesOf(const report::NodeProfile& row) {
    return row.covers.empty() ? std::vector<std::string>{row.name} : row.covers;
}

} // namespace

double ComparisonData::Layer::maxMs() const {
    double most = 0;
    for (const std::optional<double>& t : timeMs)
        if (t)
            most = std::max(most, *t);
    return most;
}

ComparisonData::ComparisonData(std::shared_ptr<const report::Comparison> comparison)
    : m_comparison(std::move(comparison)) {
    if (!m_comparison)
        return;
    const size_t targets = m_comparison->reports.size();

    NameSets sets;
    for (const report::ProfileReport& r : m_comparison->reports)
        for (const report::NodeProfile& row : r.nodes) {
            if (row.parent >= 0)
                continue;
            const std::vector<std::string> names = namesOf(row);
            const int first = sets.add(names.front());
            for (size_t i = 1; i < names.size(); ++i)
                sets.unite(first, sets.add(names[i]));
        }

    std::map<int, size_t> layerOfRoot; // root -> index in m_layers
    for (size_t i = 0; i < sets.size(); ++i) {
        const int root = sets.find(static_cast<int>(i));
        auto [it, inserted] = layerOfRoot.try_emplace(root, m_layers.size());
        if (inserted) {
            m_layers.emplace_back();
            m_layers.back().timeMs.assign(targets, std::nullopt);
        }
        m_layers[it->second].nodes.push_back(sets.name(i));
    }
    // A layer's op: its slowest row's on the first target that ran it.
    std::vector<std::pair<size_t, double>> opFrom(m_layers.size(), {targets, -1.0});
    for (size_t t = 0; t < targets; ++t)
        for (const report::NodeProfile& row : m_comparison->reports[t].nodes) {
            if (row.parent >= 0) // in its control-flow node's time
                continue;
            const size_t index = layerOfRoot.at(sets.find(namesOf(row).front()));
            Layer& layer = m_layers[index];
            layer.timeMs[t] = layer.timeMs[t].value_or(0.0) + row.timeMs;
            auto& [from, slowest] = opFrom[index];
            if (from == targets || (from == t && row.timeMs > slowest)) {
                from = t;
                slowest = row.timeMs;
                layer.op = row.op;
            }
        }
    std::stable_sort(m_layers.begin(), m_layers.end(),
                     [](const Layer& a, const Layer& b) { return a.maxMs() > b.maxMs(); });
    for (size_t i = 0; i < m_layers.size(); ++i)
        for (const std::string& name : m_layers[i].nodes)
            m_layerOfNode[name] = static_cast<int>(i);

    std::map<std::string, std::vector<double>> byOp;
    for (size_t t = 0; t < targets; ++t)
        for (const report::NodeProfile& row : m_comparison->reports[t].nodes) {
            if (row.parent >= 0)
                continue;
            std::vector<double>& times = byOp[row.op];
            times.resize(targets, 0.0);
            times[t] += row.timeMs;
        }
    for (auto& [op, times] : byOp)
        m_opTypes.push_back({op, std::move(times)});
    auto most = [](const OpType& o) { return *std::max_element(o.timeMs.begin(), o.timeMs.end()); };
    std::stable_sort(m_opTypes.begin(), m_opTypes.end(),
                     [&most](const OpType& a, const OpType& b) { return most(a) > most(b); });
}

int ComparisonData::targetCount() const {
    return m_comparison ? static_cast<int>(m_comparison->reports.size()) : 0;
}

const report::ProfileReport& ComparisonData::report(int target) const {
    return m_comparison->reports.at(static_cast<size_t>(target));
}

QString ComparisonData::targetLabel(int target) const {
    const report::ProfileReport& r = report(target);
    const std::string name = r.target.empty() ? r.backend : r.target;
    int same = 0, index = 0;
    for (int t = 0; t < targetCount(); ++t) {
        const report::ProfileReport& other = report(t);
        if ((other.target.empty() ? other.backend : other.target) == name) {
            ++same;
            if (t < target)
                ++index;
        }
    }
    QString label = QString::fromStdString(name);
    if (same > 1) {
        if (r.source != "local" && !r.device.empty())
            label += QStringLiteral(" (%1)").arg(QString::fromStdString(r.device));
        else
            label += QStringLiteral(" #%1").arg(index + 1);
    }
    return label;
}

double ComparisonData::p5Ms(int target) const {
    std::vector<double> runs = report(target).runsMs;
    if (runs.empty())
        return report(target).latencyMs.p50;
    std::sort(runs.begin(), runs.end());
    const double pos = 0.05 * static_cast<double>(runs.size() - 1);
    const auto lo = static_cast<size_t>(std::floor(pos));
    const size_t hi = std::min(lo + 1, runs.size() - 1);
    return runs[lo] + (runs[hi] - runs[lo]) * (pos - static_cast<double>(lo));
}

int ComparisonData::fallbackCount(int target) const {
    const auto& nodes = report(target).nodes;
    return static_cast<int>(std::count_if(nodes.begin(), nodes.end(),
                                          [](const auto& n) { return !n.fallback.code.empty(); }));
}

int ComparisonData::layerOfNode(const std::string& name) const {
    auto it = m_layerOfNode.find(name);
    return it == m_layerOfNode.end() ? -1 : it->second;
}

std::optional<int> ComparisonData::fastestTarget(const std::string& node) const {
    const int layer = layerOfNode(node);
    if (layer < 0)
        return std::nullopt;
    std::optional<int> best;
    const auto& times = m_layers[static_cast<size_t>(layer)].timeMs;
    for (size_t t = 0; t < times.size(); ++t)
        if (times[t] && (!best || *times[t] < *times[static_cast<size_t>(*best)]))
            best = static_cast<int>(t);
    return best;
}

std::optional<double> ComparisonData::ratio(const std::string& node, int a, int b) const {
    const int layer = layerOfNode(node);
    if (layer < 0 || a < 0 || b < 0 || a >= targetCount() || b >= targetCount())
        return std::nullopt;
    const auto& times = m_layers[static_cast<size_t>(layer)].timeMs;
    const auto& ta = times[static_cast<size_t>(a)];
    const auto& tb = times[static_cast<size_t>(b)];
    if (!ta || !tb || *tb <= 0)
        return std::nullopt;
    return *ta / *tb;
}

} // namespace lb::widgets
