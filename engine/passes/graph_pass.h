#pragma once

#include "core/progress.h"
#include "ir/graph.h"

#include <memory>
#include <string>
#include <vector>

namespace lb::passes {

// A rewrite of the graph. run() returns whether it changed anything. A pass keeps the graph's
// outputs (names and values) and only ever replaces nodes by numerically equivalent ones, up to
// float rounding; each pass has a test that runs the graph before and after on the reference
// backend.
class GraphPass {
public:
    virtual ~GraphPass() = default;
    virtual std::string name() const = 0;
    virtual bool run(ir::Graph& graph) = 0;
};

struct PassReport {
    std::string pass;
    int timesChanged = 0;
};

// The generic passes a session's graph gets before partitioning, in order: constants to
// initializers, constant folding, shape inference again (alternating with folding), BatchNorm
// and per-channel Mul/Add folded into Conv, hard-swish/hard-sigmoid patterns to single ops, the
// decomposed layer norm to one (ONNX-17 semantics), GELU and the channel shuffle to one
// ai.layerbench op each (the reference backend runs both), dead code removal; the fusions into LayerBench's own
// post-op forms (FusedConv, FusedGemm) are each backend's (lowering/fusions.h, Backend::lower).
std::vector<std::unique_ptr<GraphPass>> genericPasses();

// The graph as a deployment converter sees it (QNN's converter and AIMET's supergroups fuse
// Conv + activation): the generic passes plus the conv/activation and output-affine fusions on
// the whole graph. Quantization uses it to know which activations are materialized,
// and the int8 rewrite starts from it.
std::vector<std::unique_ptr<GraphPass>> deploymentPasses();

// Runs the passes in order, repeating the list until none changes the graph (at most
// `maxRounds` times).
std::vector<PassReport> optimize(ir::Graph& graph,
                                 const std::vector<std::unique_ptr<GraphPass>>& passes,
                                 const TaskContext& task = {}, int maxRounds = 4);

} // namespace lb::passes
