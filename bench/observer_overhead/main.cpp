// The per-node profiler's cost, measured so that machine noise cancels: one process, one session,
// and timed runs with per-node timing on and off interleaved run by run (on, off, off, on, ...),
// each through profile::profileSession exactly as `layerbench-cli run` times them.
// Prints one JSON object: {"on_ms": median, "off_ms": median, "overhead_pct": ..., "pairs": N}.
// Usage: lb-bench-observer-overhead MODEL --shape x=1x3x48x192 [--threads N] [--pairs N]
//        [--backend auto]
#include "onnx/importer.h"
#include "profile/local_run.h"
#include "profile/profiler.h"
#include "runtime/inputs.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

using namespace lb;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

} // namespace

int main(int argc, char** argv) {
    std::string model;
    onnx::ImportOptions importOptions;
    profile::LocalRunOptions options;
    int pairs = 100;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool hasValue = i + 1 < argc;
        if (a == "--shape" && hasValue)
            importOptions.inputShapes.insert(onnx::parseInputShapeArg(argv[++i]));
        else if (a == "--threads" && hasValue)
            options.threads = std::atoi(argv[++i]);
        else if (a == "--pairs" && hasValue)
            pairs = std::atoi(argv[++i]);
        else if (a == "--backend" && hasValue)
            options.backend = argv[++i];
        else if (model.empty() && !a.empty() && a[0] != '-')
            model = a;
        else {
            std::cerr << "usage: lb-bench-observer-overhead MODEL [--shape NAME=DIMS]... "
                         "[--threads N] [--pairs N] [--backend B]\n";
            return 2;
        }
    }
    try {
        const onnx::ImportResult imported = onnx::importModel(model, importOptions);
        profile::PreparedModel prepared = profile::prepare(imported.graph, options);
        const auto inputs = runtime::randomInputs(imported.graph, 7);
        profile::ProfileOptions once;
        once.warmup = 0;
        once.iterations = 1;
        for (int i = 0; i < 5; ++i)
            prepared.session->run(inputs);
        std::vector<double> on, off;
        for (int i = 0; i < pairs; ++i)
            for (int k = 0; k < 2; ++k) {
                // ABBA order: neither side always runs right after the other.
                once.perNode = (i + k) % 2 == 0;
                const double ms =
                    profile::profileSession(*prepared.session, inputs, once).runsMs.front();
                (once.perNode ? on : off).push_back(ms);
            }
        const double onMs = median(on), offMs = median(off);
        std::cout << nlohmann::json{{"model", model},  {"threads", options.threads},
                                    {"pairs", pairs},  {"on_ms", onMs},
                                    {"off_ms", offMs}, {"overhead_pct", (onMs / offMs - 1) * 100}}
                         .dump()
                  << '\n';
    } catch (const std::exception& e) {
        std::cerr << "lb-bench-observer-overhead: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
