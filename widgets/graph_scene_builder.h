#pragma once

#include "core/progress.h"
#include "ir/graph.h"
#include "widgets/graph_scene.h"

namespace lb::widgets {

struct GraphSceneOptions {
    // Off: a Constant feeding a single input (and not a graph output) is a weight row inside its
    // consumer's box, like an initializer. On: every Constant is a box of its own.
    bool showConstantNodes = false;
};

// Lays out `graph` top to bottom and returns its drawable scene. Thread-safe (no font metrics:
// node sizes come from a fixed character width), so the app runs it on its worker thread.
// Reports progress and polls for cancellation through `task` (throws lb::Cancelled).
GraphScene buildGraphScene(const lb::ir::Graph& graph, const GraphSceneOptions& options,
                           const lb::TaskContext& task = {});
GraphScene buildGraphScene(const lb::ir::Graph& graph, const lb::TaskContext& task = {});

// "1×3×640×640"; a symbolic dim shows as its name when short, else its first letters and "…";
// an unknown dim or a generated name ("unk__3", "p2o.DynamicDimension.0") as "?"; rank 0 as
// "scalar".
QString shortShapeText(const lb::SymbolicShape& shape);

// Names exporters and shape inference make up for a dim ("p2o.DynamicDimension.0", "unk__12"):
// they say no more than "?" does.
bool isGeneratedSymbol(const std::string& name);

} // namespace lb::widgets
