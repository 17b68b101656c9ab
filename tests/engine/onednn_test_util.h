#pragma once

// Small graph builder and comparison helpers for the oneDNN backend tests: every op is run on
// the oneDNN backend and on the reference backend (the ground truth) and compared.

#include "backends/onednn/onednn_backend.h"
#include "backends/reference/reference_backend.h"
#include "ir/graph.h"
#include "runtime/session.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace lbtest {

using namespace lb;

inline ir::Attribute attrInt(const std::string& name, int64_t v) {
    ir::Attribute a;
    a.name = name;
    a.type = ir::AttributeType::Int;
    a.i = v;
    return a;
}
inline ir::Attribute attrInts(const std::string& name, std::vector<int64_t> v) {
    ir::Attribute a;
    a.name = name;
    a.type = ir::AttributeType::Ints;
    a.ints = std::move(v);
    return a;
}
inline ir::Attribute attrFloat(const std::string& name, float v) {
    ir::Attribute a;
    a.name = name;
    a.type = ir::AttributeType::Float;
    a.f = v;
    return a;
}
inline ir::Attribute attrFloats(const std::string& name, std::vector<float> v) {
    ir::Attribute a;
    a.name = name;
    a.type = ir::AttributeType::Floats;
    a.floats = std::move(v);
    return a;
}
inline ir::Attribute attrString(const std::string& name, std::string v) {
    ir::Attribute a;
    a.name = name;
    a.type = ir::AttributeType::String;
    a.s = std::move(v);
    return a;
}

inline Tensor randomTensor(const Shape& shape, uint32_t seed, float lo = -1.0f, float hi = 1.0f) {
    Tensor t(DataType::Float32, shape);
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(lo, hi);
    for (float& v : t.span<float>())
        v = dist(rng);
    return t;
}

// Builds a float32 graph step by step; shapes may be left unknown (empty optional).
class GraphBuilder {
public:
    explicit GraphBuilder(int64_t opset = 17) : m_graph(std::make_shared<ir::Graph>()) {
        m_graph->name = "test";
        m_graph->opsetImports[""] = opset;
    }
    ir::ValueId input(const std::string& name, const Shape& shape) {
        ir::ValueId v = value(name, shape);
        m_graph->inputs().push_back(v);
        return v;
    }
    ir::ValueId constant(const std::string& name, const Tensor& t) {
        ir::ValueId v = value(name, t.shape());
        m_graph->setInitializer(v, t);
        return v;
    }
    ir::ValueId value(const std::string& name, std::optional<Shape> shape = std::nullopt) {
        ir::ValueId v = m_graph->addValue(name);
        m_graph->value(v).dtype = DataType::Float32;
        if (shape)
            m_graph->value(v).shape = symbolicShape(*shape);
        return v;
    }
    // Adds a node with one output named `out` (shape optional) and returns that output.
    ir::ValueId node(const std::string& op, std::vector<ir::ValueId> inputs, const std::string& out,
                     std::optional<Shape> outShape = std::nullopt,
                     std::vector<ir::Attribute> attrs = {}, const std::string& domain = "") {
        ir::ValueId y = value(out, outShape);
        ir::Node n;
        n.name = out + "_node";
        n.opType = op;
        n.domain = domain;
        n.inputs = std::move(inputs);
        n.outputs = {y};
        n.attributes = std::move(attrs);
        m_graph->addNode(n);
        return y;
    }
    void output(ir::ValueId v) { m_graph->outputs().push_back(v); }
    std::shared_ptr<ir::Graph> graph() const { return m_graph; }

private:
    std::shared_ptr<ir::Graph> m_graph;
};

// A float32 scalar (rank 0).
inline Tensor scalar(float v) {
    Tensor t(DataType::Float32, {});
    t.data<float>()[0] = v;
    return t;
}

inline std::shared_ptr<const runtime::Backend> onednnBackend() {
    return std::make_shared<backends::onednn::OneDnnBackend>();
}
inline std::shared_ptr<const runtime::Backend> referenceBackend() {
    return std::make_shared<backends::reference::ReferenceBackend>();
}

inline std::vector<Tensor> runGraph(const std::shared_ptr<ir::Graph>& g, bool onednn,
                                    const std::map<std::string, Tensor>& inputs, int threads = 1) {
    std::vector<std::shared_ptr<const runtime::Backend>> backends;
    if (onednn)
        backends.push_back(onednnBackend());
    backends.push_back(referenceBackend());
    runtime::Session session(g, backends, runtime::SessionOptions{threads});
    return session.run(inputs);
}

// Max over elements of |a - b| / max(1, |b|); fails the test on shape mismatch.
inline double relativeError(const Tensor& a, const Tensor& b) {
    REQUIRE(a.shape() == b.shape());
    REQUIRE(a.isPlain());
    REQUIRE(b.isPlain());
    double worst = 0.0;
    for (int64_t i = 0; i < a.numel(); ++i) {
        const double x = a.data<float>()[i], y = b.data<float>()[i];
        worst = std::max(worst, std::abs(x - y) / std::max(1.0, std::abs(y)));
    }
    return worst;
}

// Runs the graph on oneDNN (with reference fallback) and on the reference backend alone, checks
// every node of `onednnNodes` count ran on oneDNN and the outputs agree within `tol`.
inline void compareWithReference(const std::shared_ptr<ir::Graph>& g,
                                 const std::map<std::string, Tensor>& inputs, double tol = 1e-4) {
    runtime::Session session(g, {onednnBackend(), referenceBackend()});
    for (const runtime::PlanStep& step : session.steps()) {
        // The session's own graph: backend lowering may have replaced nodes (FusedConv).
        INFO("node " << session.graph().node(step.node).name
                     << " fell back: " << step.fallbackReason);
        CHECK(step.backend == "onednn");
    }
    const std::vector<Tensor> got = session.run(inputs);
    const std::vector<Tensor> want = runGraph(g, false, inputs);
    REQUIRE(got.size() == want.size());
    for (size_t i = 0; i < got.size(); ++i)
        CHECK(relativeError(got[i], want[i]) <= tol);
}

} // namespace lbtest
