#pragma once

#include "report/comparison.h"
#include "report/profile_report.h"

#include <string>
#include <vector>

namespace lb::ir {
class Graph;
} // namespace lb::ir

namespace lb::importers {

// Other tools' profiles read into LayerBench's one report schema (source "imported"), so that
// they sit beside local and device runs in a comparison.
enum class ProfileFormat {
    LayerBench,   // a LayerBench profile report or comparison (JSON "schema": "layerbench.*")
    OrtProfile,   // ONNX Runtime's profiler output (enable_profiling): Chrome trace events
    QnnCsv,       // qnn-profile-viewer's CSV (the columns ONNX Runtime's QNN EP writes too)
    AiHubProfile, // Qualcomm AI Hub's profile JSON (execution_summary, execution_detail)
};

struct FormatInfo {
    ProfileFormat format;
    const char* name;        // "ort-profile": what messages and the CLI call it
    const char* description; // how to recognise it, one line
};
const std::vector<FormatInfo>& profileFormats();
const FormatInfo& formatInfo(ProfileFormat format);
// "LayerBench report (...), ONNX Runtime profile (...), ..." for messages.
std::string formatList();

// Which format `text` (the contents of `file`) is in, from the content alone. Throws lb::Error
// naming the file and listing the formats when none matches.
ProfileFormat detectFormat(const std::string& file, const std::string& text);

// One foreign profile (`text` read from `file`) as a report. Throws lb::Error naming the file and
// the line, event or key at fault.
report::ProfileReport importOrtProfile(const std::string& file, const std::string& text);
report::ProfileReport importQnnCsv(const std::string& file, const std::string& text);
report::ProfileReport importAiHubProfile(const std::string& file, const std::string& text);

// Any saved report, detected from its content: a LayerBench comparison as it is, a LayerBench
// profile report or an imported foreign profile as a comparison of one.
report::Comparison readReports(const std::string& file);
// Every file (as readReports reads it) in one comparison, in order; the first comparison that
// names a reference keeps it. With `model`, the imported reports' rows are mapped onto its nodes
// (mapRowsToGraph) and their `model` becomes `modelPath`; a note says how many rows matched.
report::Comparison readComparison(const std::vector<std::string>& files,
                                  const ir::Graph* model = nullptr,
                                  const std::string& modelPath = "");
// A foreign profile (or a LayerBench profile report) as one report.
report::ProfileReport readProfile(const std::string& file);

// Maps imported rows onto the model they profiled: a row whose name is not one of the graph's
// node names (ORT's "relu_0.tmp_0_nchwc" is named after the fused kernel's output tensor, QNN
// writes "/conv1/Conv" as "_conv1_Conv", ORT's MatMul + Add fused into a Gemm is
// "p2o.MatMul.0/MatMulAddFusion") gets the nodes it stands for as `covers`, and an empty
// op the covered node's. Returns how many rows now cover at least one node of `graph`.
size_t mapRowsToGraph(report::ProfileReport& report, const ir::Graph& graph);

} // namespace lb::importers
