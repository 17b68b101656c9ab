#include "profile/local_run.h"

#include "backends/registry.h"
#include "core/error.h"
#include "profile/profiler.h"

#include <chrono>
#include <unistd.h>

namespace lb::profile {

std::vector<std::shared_ptr<const runtime::Backend>> backendsFor(const std::string& choice) {
    return backends::fallbackChain(choice);
}

PreparedModel prepare(const ir::Graph& graph, const LocalRunOptions& options,
                      const TaskContext& task) {
    const auto start = std::chrono::steady_clock::now();
    PreparedModel prepared;
    auto optimized = std::make_shared<ir::Graph>(graph);
    if (options.optimize)
        prepared.passes = passes::optimize(*optimized, passes::genericPasses(), task);
    prepared.graph = optimized;
    runtime::SessionOptions sessionOptions;
    sessionOptions.threads = options.threads;
    sessionOptions.lower = options.optimize; // the backends' fusions are passes too
    sessionOptions.int8 = options.int8;
    sessionOptions.roundFp16 = options.roundFp16;
    prepared.session = std::make_unique<runtime::Session>(
        prepared.graph, backendsFor(options.backend), sessionOptions, task);
    prepared.sessionCreateMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return prepared;
}

report::ProfileReport profileLocal(PreparedModel& model, const std::string& modelPath,
                                   const std::map<std::string, Tensor>& inputs,
                                   const LocalRunOptions& options, const TaskContext& task) {
    ProfileOptions profileOptions;
    profileOptions.warmup = options.warmup;
    profileOptions.iterations = options.iterations;
    profileOptions.perNode = options.perNode;
    report::ProfileReport r = profileSession(*model.session, inputs, profileOptions, task);
    r.model = modelPath;
    r.backend = options.backend;
    r.source = "local";
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) == 0)
        r.device = host;
    r.sessionCreateMs = model.sessionCreateMs;
    return r;
}

} // namespace lb::profile
