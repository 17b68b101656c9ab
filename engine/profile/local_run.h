#pragma once

#include "core/progress.h"
#include "core/tensor.h"
#include "ir/graph.h"
#include "passes/graph_pass.h"
#include "report/profile_report.h"
#include "runtime/session.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace lb::profile {

struct LocalRunOptions {
    // A backend's name or "auto" (backends/registry.h); a backend falls back to the ground truth
    // per node, visibly.
    std::string backend = "auto";
    int threads = 1;
    int warmup = 3;
    int iterations = 20;
    bool optimize = true; // the generic passes, then each backend's lowering (its fusions)
    bool perNode = true;
    // An int8 run: the lowering the backends apply to their nodes (runtime::SessionOptions).
    std::shared_ptr<runtime::Int8Lowering> int8;
    bool roundFp16 = false; // runtime::SessionOptions::roundFp16
};

struct PreparedModel {
    std::shared_ptr<const ir::Graph> graph; // after the passes
    std::vector<passes::PassReport> passes;
    std::unique_ptr<runtime::Session> session;
    double sessionCreateMs = 0; // passes + partition + kernels + memory plan
};

// The backends to try, in order, for a --backend value (backends::fallbackChain); throws
// lb::Error for unknown names.
std::vector<std::shared_ptr<const runtime::Backend>> backendsFor(const std::string& choice);

// Optimizes (on a copy) and builds the session.
PreparedModel prepare(const ir::Graph& graph, const LocalRunOptions& options,
                      const TaskContext& task = {});

// Profiles a prepared model on the given inputs; fills model, backend, device (host name),
// sessionCreateMs in the report.
report::ProfileReport profileLocal(PreparedModel& model, const std::string& modelPath,
                                   const std::map<std::string, Tensor>& inputs,
                                   const LocalRunOptions& options, const TaskContext& task = {});

} // namespace lb::profile
