#pragma once

#include "ir/graph.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace lb::widgets {

// Finds nodes whose name, op type or any input/output tensor name contains a query
// (case-insensitive), in topological order, and walks the hits with a wrapping cursor. Each hit
// says which kinds of text matched, and a kind filter keeps only the hits of some kinds (an op
// type search then does not also stop at every tensor named after the op). With foldConstants
// (the graph view's default), a Constant drawn inside its consumer's box is found through that
// consumer: the hit is the box the user sees, once; the Constant's name counts as a node name.
class GraphSearch {
public:
    enum class Kind : uint8_t { NodeName = 1, OpType = 2, Tensor = 4 };
    using Kinds = uint8_t;
    static constexpr Kinds kAllKinds = 7;
    static constexpr std::array<Kind, 3> kKindList = {Kind::NodeName, Kind::OpType, Kind::Tensor};
    static bool has(Kinds kinds, Kind kind) { return (kinds & static_cast<Kinds>(kind)) != 0; }

    struct Hit {
        lb::ir::NodeId id = lb::ir::kNoNode;
        Kinds kinds = 0; // the kinds that matched, within the filter
        // The node name that matched: the node's own, or a folded Constant's; empty if none did.
        std::string name;
        // The first input/output tensor whose name matched; empty if none did.
        std::string tensor;
    };

    void setGraph(const lb::ir::Graph& graph, bool foldConstants = true);
    // Recomputes the hits and puts the cursor before the first. Returns the hit count (after the
    // kind filter).
    size_t setQuery(const std::string& query);
    // Keeps only hits with a match of one of `kinds` (kAllKinds: no filter); the cursor goes back
    // before the first hit.
    void setKinds(Kinds kinds);
    Kinds kinds() const { return m_kinds; }

    const std::vector<Hit>& hits() const { return m_hits; }
    // Hits of the current query with a match of `kind`, whatever the filter.
    size_t countOf(Kind kind) const;
    // Hits of the current query, whatever the filter.
    size_t unfilteredCount() const { return m_all.size(); }

    // -1 before the first next()/previous().
    int current() const { return m_current; }
    // Advance (wrapping) and return the hit, or kNoNode when there are none.
    lb::ir::NodeId next();
    lb::ir::NodeId previous();
    // Moves the cursor to hit `index` and returns it (kNoNode when out of range).
    lb::ir::NodeId setCurrent(int index);

private:
    struct Text {
        std::string lowered;
        std::string original;
    };
    struct Entry {
        lb::ir::NodeId id;
        std::vector<Text> names; // the node's name, then those of Constants folded into it
        std::string opType;      // lower-cased
        std::vector<Text> tensors;
    };
    void applyFilter();

    std::vector<Entry> m_entries;
    std::vector<Hit> m_all;
    std::vector<Hit> m_hits;
    Kinds m_kinds = kAllKinds;
    int m_current = -1;
};

} // namespace lb::widgets
