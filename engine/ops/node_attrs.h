#pragma once

#include "core/error.h"
#include "core/tensor.h"
#include "ir/graph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lb::ops {

// Reads and validates a node's attributes; every error names the node and what was expected.
// The one attribute reader of the backends' kernels and of ops/. It keeps references: the graph
// and the node must outlive it.
class NodeAttrs {
public:
    NodeAttrs(const ir::Graph& graph, const ir::Node& node);
    // For readers that do not depend on the opset (opset() is then 17).
    explicit NodeAttrs(const ir::Node& node);

    const ir::Node& node() const { return m_node; }
    // The default-domain opset the model imports (17 when the model does not say).
    int64_t opset() const { return m_opset; }
    bool has(const std::string& name) const;
    int64_t getInt(const std::string& name, int64_t fallback) const;
    float getFloat(const std::string& name, float fallback) const;
    std::string getString(const std::string& name, const std::string& fallback) const;
    std::vector<int64_t> getInts(const std::string& name, std::vector<int64_t> fallback = {}) const;
    std::vector<float> getFloats(const std::string& name, std::vector<float> fallback = {}) const;
    const Tensor* getTensor(const std::string& name) const;
    // Fails unless the node has between min and max inputs, the first min of them present.
    void expectInputs(size_t min, size_t max) const;
    // "node 'conv1' (Conv): "
    std::string where() const;
    template <typename... Args> [[noreturn]] void fail(const Args&... args) const {
        lb::fail(where(), args...);
    }

private:
    const ir::Attribute* find(const std::string& name, ir::AttributeType type) const;
    const ir::Node& m_node;
    int64_t m_opset = 17;
};

} // namespace lb::ops
