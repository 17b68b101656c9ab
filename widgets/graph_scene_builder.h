#pragma once

#include "core/progress.h"
#include "ir/graph.h"
#include "widgets/graph_scene.h"

namespace lb::widgets {

// Lays out `graph` top to bottom and returns its drawable scene. Thread-safe (no font metrics:
// node sizes come from a fixed character width), so the app runs it on its worker thread.
// Reports progress and polls for cancellation through `task` (throws lb::Cancelled).
GraphScene buildGraphScene(const lb::ir::Graph& graph, const lb::TaskContext& task = {});

} // namespace lb::widgets
