#pragma once

#include "core/shape.h"
#include "ir/graph.h"
#include "profile/local_run.h"
#include "report/profile_report.h"

#include <QMetaType>
#include <QString>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace lb::app {

// What the Run panel asks the engine worker to do.
struct RunRequest {
    QString modelPath;
    std::map<std::string, Shape> inputShapes;      // fixes symbolic dims before the run
    std::map<std::string, std::string> inputFiles; // NAME -> .npy/.raw/.pb; others random
    profile::LocalRunOptions options;
    uint64_t seed = 1; // random inputs
};

// A finished run: the report plus, per report node, the names of the ORIGINAL graph's nodes it
// stands for (the optimized node's fusedFrom, or its own name), so the GUI maps timings back onto
// the graph the user sees.
struct RunResult {
    std::shared_ptr<const report::ProfileReport> report;
    std::vector<std::vector<std::string>> originalNames;
    int optimizedNodes = 0;
};

} // namespace lb::app

Q_DECLARE_METATYPE(lb::app::RunResult)
