#include "report/model_summary.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace lb::report {

namespace {

// 12.3 M, 1.2 G: three significant figures are plenty for a summary.
std::string humanCount(int64_t n, const char* unitSuffix = "") {
    static const char* const kUnits[] = {"", " K", " M", " G", " T", " P"};
    double v = static_cast<double>(n);
    int unit = 0;
    while (v >= 1000.0 && unit < 5) {
        v /= 1000.0;
        ++unit;
    }
    char buf[48];
    if (unit == 0)
        std::snprintf(buf, sizeof buf, "%lld%s", static_cast<long long>(n), unitSuffix);
    else
        std::snprintf(buf, sizeof buf, "%.1f%s%s", v, kUnits[unit], unitSuffix);
    return buf;
}

std::string humanBytes(int64_t n) {
    static const char* const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(n);
    int unit = 0;
    while (v >= 1024.0 && unit < 4) {
        v /= 1024.0;
        ++unit;
    }
    char buf[48];
    if (unit == 0)
        std::snprintf(buf, sizeof buf, "%lld B", static_cast<long long>(n));
    else
        std::snprintf(buf, sizeof buf, "%.1f %s", v, kUnits[unit]);
    return buf;
}

void writeTensors(std::ostringstream& out, const std::vector<TensorSummary>& list) {
    size_t width = 0;
    for (const auto& t : list)
        width = std::max(width, t.name.size());
    for (const auto& t : list) {
        out << "  " << t.name << std::string(width - t.name.size() + 2, ' ') << t.dtype << "  "
            << (t.shape.empty() ? "?" : t.shape) << '\n';
    }
}

} // namespace

std::string toText(const ModelSummary& s) {
    std::ostringstream out;
    out << "model: " << (s.path.empty() ? "(in memory)" : s.path) << '\n';
    out << "graph: " << (s.graphName.empty() ? "(unnamed)" : s.graphName) << '\n';
    out << "producer: " << (s.producer.empty() ? "(unknown)" : s.producer) << '\n';
    out << "ir_version: " << s.irVersion << "  opsets:";
    for (const auto& [domain, version] : s.opsets)
        out << ' ' << domain << '=' << version;
    out << "\n\ninputs:\n";
    writeTensors(out, s.inputs);
    out << "outputs:\n";
    writeTensors(out, s.outputs);

    out << "\nnodes: " << s.nodes.size() << '\n';
    out << "params: " << humanCount(s.params) << " (" << s.params << ", "
        << humanBytes(s.paramBytes) << ")\n";
    out << "MACs: " << humanCount(s.macs) << " (" << s.macs << ")";
    if (s.unknownMacNodes)
        out << ", " << s.unknownMacNodes << " nodes with unknown MACs";
    out << '\n';

    std::vector<std::pair<std::string, int64_t>> ops(s.ops.begin(), s.ops.end());
    std::stable_sort(ops.begin(), ops.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    size_t opWidth = 0;
    for (const auto& [op, count] : ops)
        opWidth = std::max(opWidth, op.size());
    out << "\nops:\n";
    for (const auto& [op, count] : ops)
        out << "  " << op << std::string(opWidth - op.size() + 2, ' ') << count << '\n';

    std::vector<const NodeSummary*> top;
    for (const auto& n : s.nodes)
        if (n.macs > 0)
            top.push_back(&n);
    std::stable_sort(top.begin(), top.end(),
                     [](const NodeSummary* a, const NodeSummary* b) { return a->macs > b->macs; });
    if (top.size() > 10)
        top.resize(10);
    if (!top.empty()) {
        out << "\ntop nodes by MACs:\n";
        for (const NodeSummary* n : top) {
            const std::string shape = n->outputs.empty() ? "" : n->outputs.front().shape;
            out << "  " << humanCount(n->macs) << "  " << n->name << " (" << n->op << ") -> "
                << (shape.empty() ? "?" : shape) << '\n';
        }
    }
    return out.str();
}

} // namespace lb::report
