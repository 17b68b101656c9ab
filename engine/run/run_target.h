#pragma once

#include "core/progress.h"
#include "report/profile_report.h"
#include "run/run_spec.h"

#include <string>

namespace lb::run {

// Where a RunSpec runs: this process (LocalTarget) or, in the devices issue, a device over adb.
// Every caller (the CLI's run, the GUI's Run panel, comparisons, benchmarks) goes through this
// one call and gets the same report, wherever the work ran.
class RunTarget {
public:
    virtual ~RunTarget() = default;
    // "local", or a device's serial.
    virtual std::string name() const = 0;
    // Throws lb::Error naming the file, input or node at fault; lb::Cancelled when cancelled.
    virtual report::ProfileReport run(const RunSpec& spec, const TaskContext& task = {}) = 0;
};

} // namespace lb::run
