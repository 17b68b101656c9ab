#pragma once

#include "report/comparison.h"

#include <QString>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lb::widgets {

// What the Compare view's charts, table and graph colours read from a comparison, computed once
// when the comparison is set. Rows of different targets match by the ONNX node names they cover
// (report::NodeProfile::covers): a fused kernel on one target and its unfused parts on another
// are one matched layer, so every target's time for it sums the same nodes.
class ComparisonData {
public:
    // Nodes of one matched layer and each target's time for them (nullopt: the target has no row
    // covering them, e.g. the passes folded them there).
    struct Layer {
        std::vector<std::string> nodes; // ONNX node names, in the order first met
        std::string op;                 // the op of the first target's row with the most time
        std::vector<std::optional<double>> timeMs; // per target (report index)
        double maxMs() const;
    };
    struct OpType {
        std::string op;
        std::vector<double> timeMs; // per target: summed time of its rows of this op
    };

    ComparisonData() = default;
    explicit ComparisonData(std::shared_ptr<const report::Comparison> comparison);

    const report::Comparison* comparison() const { return m_comparison.get(); }
    bool empty() const { return targetCount() == 0; }
    int targetCount() const;
    const report::ProfileReport& report(int target) const;
    // What a chart and the table call the target: its target name, with the source or device when
    // two reports share a name ("cpu-fp32 (device abc)", "cpu-fp32 #2").
    QString targetLabel(int target) const;

    // The 5th percentile of the target's timed runs (numpy's linear interpolation, as
    // report::latencyStats computes p50/p95/p99); the p50 when the report has no runs.
    double p5Ms(int target) const;
    // Rows that did not run as the spec asked.
    int fallbackCount(int target) const;

    // Matched layers, slowest (largest time on any target) first.
    const std::vector<Layer>& layers() const { return m_layers; }
    // Op types, largest summed time on any target first.
    const std::vector<OpType>& opTypes() const { return m_opTypes; }

    // The matched layer covering ONNX node `name`, or -1.
    int layerOfNode(const std::string& name) const;
    // The target with the least time for the node's layer among those that ran it; nullopt when
    // none did.
    std::optional<int> fastestTarget(const std::string& node) const;
    // time(a) / time(b) for the node's layer; nullopt when either has no time for it.
    std::optional<double> ratio(const std::string& node, int a, int b) const;

private:
    std::shared_ptr<const report::Comparison> m_comparison;
    std::vector<Layer> m_layers;
    std::vector<OpType> m_opTypes;
    std::map<std::string, int> m_layerOfNode;
};

} // namespace lb::widgets
