#pragma once

#include "report/comparison.h"
#include "report/profile_report.h"
#include "run/bench.h"
#include "run/run_spec.h"

#include <QMetaType>
#include <memory>

namespace lb::app {

// A finished run as the engine worker hands it back: the spec it ran and the report. The report's
// rows name the ONNX nodes they cover; the model version maps them onto its graph
// (project::NodeMap) when the run is added to it.
struct RunResult {
    run::RunSpec spec;
    std::shared_ptr<const report::ProfileReport> report;
};

// A finished benchmark of several targets (the Compare view's): the spec it ran and the
// comparison, one report per target.
struct BenchResult {
    run::BenchSpec spec;
    std::shared_ptr<const report::Comparison> comparison;
};

} // namespace lb::app

Q_DECLARE_METATYPE(lb::app::RunResult)
Q_DECLARE_METATYPE(lb::app::BenchResult)
