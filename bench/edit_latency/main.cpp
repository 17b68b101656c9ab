// How long the Quantization view waits after an encoding edit: the engine work behind one
// re-measure (quant::EncodingProbe::measure), on the same data the GUI's Quantize panel uses by
// default (8 random samples, default calibration). Times several edits of an activation and a
// weight (the first edit of a tensor also captures its fp32 reference; the GUI pays that once).
// Prints one JSON object with the medians in ms.
// Usage: lb-bench-edit-latency MODEL --shape x=1x3x48x320 [--threads N] [--samples N] [--edits N]
#include "onnx/importer.h"
#include "quant/calibration.h"
#include "quant/calibration_data.h"
#include "quant/encoding_probe.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

using namespace lb;
using Clock = std::chrono::steady_clock;

namespace {

double msSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Process CPU time: on a shared, loaded machine a one-thread run's CPU time is what its wall
// time would be on a quiet one (the wall times are printed too).
double cpuMs() {
    return 1000.0 * static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// The timings of `edits` re-measures of `tensor`, each after widening its range a little (what a
// handle drag does), the first one separately.
nlohmann::json timeEdits(quant::EncodingProbe& probe, quant::EncodingSet encodings,
                         const std::string& tensor, int edits) {
    auto& table = encodings.activations.count(tensor) ? encodings.activations : encodings.params;
    std::vector<double> later, laterCpu;
    double first = 0, firstCpu = 0;
    for (int i = 0; i < edits; ++i) {
        quant::Encoding& e = table.at(tensor);
        for (auto& c : e.channels)
            c.scale *= 1.01f;
        const auto start = Clock::now();
        const double cpuStart = cpuMs();
        probe.measure(encodings, tensor);
        (i == 0 ? first : later.emplace_back()) = msSince(start);
        (i == 0 ? firstCpu : laterCpu.emplace_back()) = cpuMs() - cpuStart;
    }
    return {{"tensor", tensor},        {"first_ms", first},
            {"median_ms", median(later)}, {"first_cpu_ms", firstCpu},
            {"median_cpu_ms", median(laterCpu)}, {"edits", edits}};
}

} // namespace

int main(int argc, char** argv) {
    std::string model;
    onnx::ImportOptions importOptions;
    quant::CalibrationConfig config;
    int samplesCount = 8, edits = 5;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool hasValue = i + 1 < argc;
        if (a == "--shape" && hasValue)
            importOptions.inputShapes.insert(onnx::parseInputShapeArg(argv[++i]));
        else if (a == "--threads" && hasValue)
            config.threads = std::atoi(argv[++i]);
        else if (a == "--samples" && hasValue)
            samplesCount = std::atoi(argv[++i]);
        else if (a == "--edits" && hasValue)
            edits = std::max(2, std::atoi(argv[++i]));
        else if (model.empty() && !a.empty() && a[0] != '-')
            model = a;
        else {
            std::cerr << "usage: lb-bench-edit-latency MODEL [--shape NAME=DIMS]... [--threads N] "
                         "[--samples N] [--edits N]\n";
            return 2;
        }
    }
    try {
        auto start = Clock::now();
        auto graph = std::make_shared<const ir::Graph>(
            onnx::importModel(model, importOptions).graph);
        std::vector<quant::Sample> samples = quant::randomSamples(*graph, samplesCount, 1);
        const auto observed = quant::observeActivations(*graph, samples, config);
        const quant::EncodingSet encodings = quant::computeEncodings(*graph, observed, config);
        const double calibrateMs = msSince(start);

        quant::AnalysisOptions options;
        options.threads = config.threads;
        start = Clock::now();
        quant::EncodingProbe probe(graph, samples, options);
        const double probeMs = msSince(start);

        // A mid-graph activation and the largest weight: the two kinds of edit the view offers.
        std::string activation, weight;
        size_t i = 0, biggest = 0;
        for (const auto& [name, e] : encodings.activations)
            if (i++ == encodings.activations.size() / 2)
                activation = name;
        for (const auto& [name, e] : encodings.params)
            if (e.channels.size() >= biggest && name.find("bias") == std::string::npos) {
                biggest = e.channels.size();
                weight = name;
            }
        nlohmann::json out = {{"model", model},
                              {"samples", samplesCount},
                              {"threads", config.threads},
                              {"calibrate_ms", calibrateMs},
                              {"probe_setup_ms", probeMs},
                              {"activation", timeEdits(probe, encodings, activation, edits)},
                              {"weight", timeEdits(probe, encodings, weight, edits)}};
        std::cout << out.dump() << '\n';
    } catch (const std::exception& e) {
        std::cerr << "lb-bench-edit-latency: " << e.what() << '\n';
        return 1;
    }
}
