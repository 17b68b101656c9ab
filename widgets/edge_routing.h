#pragma once

#include "layout/layered_layout.h"
#include "widgets/graph_scene.h"

#include <vector>

namespace lb::widgets {

// Turns the layout's routes into drawn polylines: each edge leaves its source at the bottom and
// enters its target at the top, and the edges entering one box get their own entry points spread
// across its top edge, ordered by the x they come from (so they neither cross nor share a tip).
// `routes[i]` is the layout polyline of edges[i] (centre to centre through its dummy nodes).
void routeEdges(std::vector<SceneEdge>& edges, const std::vector<SceneNode>& nodes,
                const std::vector<std::vector<lb::layout::Point>>& routes);

// Places each edge's shape label beside the longest vertical segment of its polyline (right of
// the line, else left), and skips it (null labelRect) when it would overlap a box or a label
// placed before. Scene units: the view scales text with the zoom, so what does not collide here
// does not collide at any zoom.
void placeEdgeLabels(std::vector<SceneEdge>& edges, const std::vector<SceneNode>& nodes);

// Size of a shape label in scene units (the painter draws it at 9.5 px per scene unit).
QSizeF edgeLabelSize(const QString& text);

} // namespace lb::widgets
