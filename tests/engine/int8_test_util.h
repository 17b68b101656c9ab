#pragma once

// Shared by the reference int8 tests (reference_int8_test.cpp, reference_int8_models_test.cpp):
// one int8 node in a graph of its own, run on a target's fallback chain, and the spec's two
// conversions written out again (ops/int8_ops.h), independently of the engine's.

#include "backends/registry.h"
#include "ops/fused_ops.h"
#include "ops/int8_ops.h"
#include "runtime/session.h"
#include "test_models.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <string>
#include <vector>

namespace lb::test {

// real_e(q): the float32 product (q + offset) * scale.
inline float realOf(int q, float scale, int64_t offset) {
    return static_cast<float>(q + offset) * scale;
}

// quantize_e(v): v / scale in float32, round half to even, minus offset, saturated to [0, 255].
inline uint8_t quantizeOf(float v, float scale, int64_t offset) {
    const float ratio = v / scale;
    if (std::isnan(ratio))
        return 0;
    const double q = std::nearbyint(ratio) - static_cast<double>(offset);
    return static_cast<uint8_t>(std::clamp(q, 0.0, 255.0));
}

inline Tensor bytesTensor(const Shape& shape, const std::vector<int>& values) {
    Tensor t(DataType::UInt8, shape);
    REQUIRE(static_cast<int64_t>(values.size()) == t.numel());
    for (size_t i = 0; i < values.size(); ++i)
        t.data<uint8_t>()[i] = static_cast<uint8_t>(values[i]);
    return t;
}

inline Tensor int8Tensor(const Shape& shape, const std::vector<int>& values) {
    Tensor t(DataType::Int8, shape);
    REQUIRE(static_cast<int64_t>(values.size()) == t.numel());
    for (size_t i = 0; i < values.size(); ++i)
        t.data<int8_t>()[i] = static_cast<int8_t>(values[i]);
    return t;
}

inline Tensor floatTensor(const Shape& shape, const std::vector<float>& values) {
    Tensor t(DataType::Float32, shape);
    REQUIRE(static_cast<int64_t>(values.size()) == t.numel());
    std::copy(values.begin(), values.end(), t.data<float>());
    return t;
}

inline std::vector<int> bytesOf(const Tensor& t) {
    REQUIRE(t.dtype() == DataType::UInt8);
    return std::vector<int>(t.data<uint8_t>(), t.data<uint8_t>() + t.numel());
}

// One int8 node (domain ai.layerbench) with graph inputs and constants, writing `y`.
struct OneNode {
    ir::Graph graph = emptyModel("int8_node");
    std::map<std::string, Tensor> feeds;

    void input(const std::string& name, const Tensor& t) {
        addInput(graph, name, t.shape(), t.dtype());
        feeds[name] = t;
    }
    void constant(const std::string& name, const Tensor& t) {
        const ir::ValueId id = graph.valueId(name);
        graph.value(id).dtype = t.dtype();
        graph.value(id).shape = symbolicShape(t.shape());
        graph.setInitializer(id, t);
    }
    void node(const std::string& op, const std::vector<std::string>& inputs,
              std::vector<ir::Attribute> attrs, const Shape& out,
              DataType outType = DataType::UInt8) {
        const ir::NodeId id = addNode(graph, op, inputs, {"y"}, std::move(attrs), {out});
        graph.node(id).domain = ops::kLayerBenchDomain;
        graph.value(graph.valueId("y")).dtype = outType;
        graph.outputs().push_back(graph.valueId("y"));
    }
    // Runs on `target`'s fallback chain; the node must run on the chain's first backend.
    Tensor run(const std::string& target) const {
        runtime::Session session(std::make_shared<const ir::Graph>(graph),
                                 backends::fallbackChain(target));
        REQUIRE(session.steps().size() == 1);
        INFO(session.steps()[0].fallbackReason);
        REQUIRE(session.steps()[0].backend == target);
        return session.run(feeds).at(0);
    }
};

} // namespace lb::test
