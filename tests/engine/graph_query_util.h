#pragma once

// Counting what a graph or a session's plan holds: the tests that check a pass or a fusion applied
// (or did not) count the ops it should have made or removed.

#include "ir/graph.h"
#include "runtime/session.h"

#include <string>

namespace lb::test {

// Nodes of `graph` whose op type is `op`.
inline int countOps(const ir::Graph& graph, const std::string& op) {
    int n = 0;
    for (ir::NodeId id : graph.nodeIds())
        n += graph.node(id).opType == op;
    return n;
}

// Steps of `session`'s plan that run an `op` node on `backend`.
inline int countSteps(const runtime::Session& session, const std::string& op,
                      const std::string& backend) {
    int n = 0;
    for (const runtime::PlanStep& step : session.steps())
        n += session.graph().node(step.node).opType == op && step.backend == backend;
    return n;
}

} // namespace lb::test
