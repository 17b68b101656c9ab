#pragma once

#include "core/progress.h"
#include "core/tensor.h"
#include "report/profile_report.h"
#include "runtime/session.h"

#include <map>
#include <string>

namespace lb::profile {

struct ProfileOptions {
    int warmup = 3;
    int iterations = 20;
    // Time every node through an executor observer; off measures the untimed run (for the
    // observer-overhead check).
    bool perNode = true;
};

// Runs warm-up + timed iterations and fills a ProfileReport (latency statistics, throughput,
// peak RSS during these runs, per-node mean time, share, MACs, GFLOP/s, backend, the median run's timeline).
// The caller fills model/backend/device/sessionCreateMs.
report::ProfileReport profileSession(runtime::Session& session,
                                     const std::map<std::string, Tensor>& inputs,
                                     const ProfileOptions& options = {},
                                     const TaskContext& task = {});

// Peak resident set size of this process since the last resetPeakRss (or its start), in MiB
// (VmHWM).
double peakRssMb();
// Starts a new high-water mark at the current RSS; false where the kernel does not allow it (the
// peak is then the process's lifetime one). profileSession calls it before its runs.
bool resetPeakRss();

} // namespace lb::profile
