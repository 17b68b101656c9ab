#pragma once

#include "ir/graph.h"

#include <string>
#include <vector>

namespace lb::widgets {

// Finds nodes whose name, op type or any input/output tensor name contains a query
// (case-insensitive), in topological order, and walks the hits with a wrapping cursor. With
// foldConstants (the graph view's default), a Constant drawn inside its consumer's box is found
// through that consumer: the hit is the box the user sees, once.
class GraphSearch {
public:
    void setGraph(const lb::ir::Graph& graph, bool foldConstants = true);
    // Recomputes the hits and puts the cursor before the first. Returns the hit count.
    size_t setQuery(const std::string& query);

    const std::vector<lb::ir::NodeId>& hits() const { return m_hits; }
    // -1 before the first next()/previous().
    int current() const { return m_current; }
    // Advance (wrapping) and return the hit, or kNoNode when there are none.
    lb::ir::NodeId next();
    lb::ir::NodeId previous();

private:
    struct Entry {
        lb::ir::NodeId id;
        std::string haystack; // lower-cased name, op and tensor names, '\n'-separated
    };
    std::vector<Entry> m_entries;
    std::vector<lb::ir::NodeId> m_hits;
    int m_current = -1;
};

} // namespace lb::widgets
