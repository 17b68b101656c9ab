#pragma once

// Shared by the reference backend's kernel tests (reference_kernels_test.cpp,
// reference_dtypes_test.cpp, reference_ops_breadth_test.cpp): small tensors written out, and one
// node in a graph of its own run straight on the reference backend's kernel (no session, so the
// kernel sees exactly the inputs the test gives, omitted ones included).

#include "backends/reference/reference_backend.h"
#include "test_models.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace lb::test {

template <typename T> Tensor tensorOf(DataType type, Shape shape, const std::vector<T>& values) {
    Tensor t(type, std::move(shape));
    REQUIRE(static_cast<int64_t>(values.size()) == t.numel());
    std::copy(values.begin(), values.end(), t.data<T>());
    return t;
}

inline Tensor floats(Shape shape, const std::vector<float>& values) {
    return tensorOf<float>(DataType::Float32, std::move(shape), values);
}
inline Tensor int64s(Shape shape, const std::vector<int64_t>& values) {
    return tensorOf<int64_t>(DataType::Int64, std::move(shape), values);
}
// A 1-D int64 tensor.
inline Tensor int64s(const std::vector<int64_t>& values) {
    return int64s({static_cast<int64_t>(values.size())}, values);
}

template <typename T> std::vector<T> values(const Tensor& t) {
    return std::vector<T>(t.data<T>(), t.data<T>() + t.numel());
}

// `n` outputs whose dtype the kernel infers.
inline std::vector<DataType> untypedOutputs(size_t n) {
    return std::vector<DataType>(n, DataType::Undefined);
}

// One node named "n0" in a graph of its own; every input is a typed graph input (an empty tensor
// is an omitted input); output i is "out<i>" with `outputTypes[i]` (Undefined: the kernel's).
struct ReferenceNode {
    ir::Graph graph;
    ir::NodeId id = ir::kNoNode;

    ReferenceNode(const std::string& op, const std::vector<Tensor>& inputs,
                  std::vector<ir::Attribute> attrs, int64_t opset = 17,
                  const std::vector<DataType>& outputTypes = untypedOutputs(1)) {
        graph.opsetImports[""] = opset;
        ir::Node node;
        node.name = "n0";
        node.opType = op;
        node.attributes = std::move(attrs);
        for (size_t i = 0; i < inputs.size(); ++i) {
            if (inputs[i].empty()) {
                node.inputs.push_back(ir::kNoValue);
                continue;
            }
            const ir::ValueId v = graph.addValue("in" + std::to_string(i));
            graph.value(v).dtype = inputs[i].dtype();
            graph.inputs().push_back(v);
            node.inputs.push_back(v);
        }
        for (size_t i = 0; i < outputTypes.size(); ++i) {
            const ir::ValueId v = graph.addValue("out" + std::to_string(i));
            graph.value(v).dtype = outputTypes[i];
            node.outputs.push_back(v);
        }
        id = graph.addNode(std::move(node));
    }

    runtime::Claim claim() const {
        return backends::reference::ReferenceBackend().capability(graph, graph.node(id));
    }

    std::vector<Tensor> run(const std::vector<Tensor>& inputs, int threads = 1) const {
        backends::reference::ReferenceBackend backend;
        auto kernel = backend.createKernel(runtime::KernelInfo{graph, graph.node(id), threads});
        std::vector<const Tensor*> ptrs;
        for (const Tensor& t : inputs)
            ptrs.push_back(t.empty() ? nullptr : &t);
        std::vector<Tensor> outs(graph.node(id).outputs.size());
        runtime::KernelContext ctx(
            ptrs, outs,
            [](size_t, DataType type, const Shape& shape, size_t) { return Tensor(type, shape); },
            threads);
        kernel->run(ctx);
        return outs;
    }
};

} // namespace lb::test
