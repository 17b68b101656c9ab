#pragma once

#include "report/profile_report.h"
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

} // namespace lb::app

Q_DECLARE_METATYPE(lb::app::RunResult)
