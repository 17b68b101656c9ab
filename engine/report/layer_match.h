#pragma once

#include "report/profile_report.h"

#include <string>
#include <vector>

namespace lb::report {

// The rows of several reports that stand for the same ONNX nodes (DESIGN.md, "Targets, devices
// and comparisons"): rows match through the node names they cover, so a fused kernel of one
// target (Conv + BatchNormalization + Relu) meets the three separate rows of another in one group.
struct LayerMatch {
    std::string label;              // the group's node names, "a + b + c" (a few, then "+N more")
    std::vector<std::string> nodes; // every ONNX node name of the group, in first-seen order
    // Per report, in the order given:
    std::vector<double> timeMs;            // the group's rows summed; NaN where no row covers it
    std::vector<std::string> ops;          // the rows' ops joined by "+", "" where none
    std::vector<std::vector<size_t>> rows; // indices into that report's nodes
    // The largest time of any report (what "top layers" sorts by).
    double maxTimeMs() const;
};

// Groups every row of `reports` by the node names it covers (a row without covers stands for its
// own name): two rows sharing one name are in one group, transitively. Sorted by maxTimeMs,
// largest first.
std::vector<LayerMatch> matchLayers(const std::vector<ProfileReport>& reports);

} // namespace lb::report
