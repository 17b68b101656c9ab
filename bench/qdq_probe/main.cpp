// Writes the two forms of a QDQ model (`layerbench-cli quantize --qdq`) that bench/qdq_kernels.js
// checks ONNX Runtime's fused QLinear kernels with: PREFIX.probe.onnx, every quantized activation
// also a graph output (quant::exposeQuantizedTensors); PREFIX.islands.onnx, every kernel fed from
// graph inputs (quant::isolateQuantizedKernels); PREFIX.tensors.json, each quantized tensor and
// the op that computes it.
//   lb-bench-qdq-probe QDQ.onnx PREFIX
#include "onnx/exporter.h"
#include "onnx/importer.h"
#include "quant/qdq_export.h"

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: lb-bench-qdq-probe QDQ.onnx PREFIX\n";
        return 2;
    }
    try {
        const std::string prefix = argv[2];
        lb::ir::Graph g = lb::onnx::importModel(argv[1]).graph;
        const auto exposed = lb::quant::exposeQuantizedTensors(g);
        lb::onnx::saveModel(g, prefix + ".probe.onnx");
        lb::quant::isolateQuantizedKernels(g, exposed);
        lb::onnx::saveModel(g, prefix + ".islands.onnx");
        nlohmann::json tensors = nlohmann::json::array();
        for (const auto& t : exposed)
            tensors.push_back({{"name", t.name}, {"op", t.op}});
        std::ofstream(prefix + ".tensors.json") << tensors.dump(1) << '\n';
        std::cout << exposed.size() << " quantized tensors\n";
    } catch (const std::exception& e) {
        std::cerr << "lb-bench-qdq-probe: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
