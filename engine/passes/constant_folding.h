#pragma once

#include "passes/graph_pass.h"

namespace lb::passes {

// Constant nodes become initializers.
class ConstantsToInitializers : public GraphPass {
public:
    std::string name() const override { return "constants-to-initializers"; }
    bool run(ir::Graph& graph) override;
};

// Nodes whose inputs are all initializers are evaluated once with the reference kernels and
// replaced by their results; Shape of a statically known shape becomes a constant.
class FoldConstants : public GraphPass {
public:
    // Results larger than this many elements are left to run time (ConstantOfShape of a big
    // shape would only bloat memory).
    explicit FoldConstants(int64_t maxElements = int64_t{1} << 22) : m_maxElements(maxElements) {}
    std::string name() const override { return "fold-constants"; }
    bool run(ir::Graph& graph) override;

private:
    int64_t m_maxElements;
};

// Removes nodes whose results nobody reads and initializers nobody reads.
class RemoveDeadNodes : public GraphPass {
public:
    std::string name() const override { return "remove-dead-nodes"; }
    bool run(ir::Graph& graph) override;
};

} // namespace lb::passes
