#pragma once

#include "core/progress.h"
#include "report/comparison.h"
#include "run/run_spec.h"
#include "run/run_target.h"
#include "run/targets.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace lb::run {

// One benchmark of several targets on the same inputs (issue #12): what `layerbench-cli bench`,
// the Compare view and bench/ scripts run.
struct BenchSpec {
    // Model, input shapes and files, seed, threads, warm-up and iterations per round. Its
    // target, encodings, int8 and outputsDir are set per target.
    RunSpec base;
    // Named targets, backends or device targets ("device:SERIAL/npu-int8"), in the order the
    // comparison lists them.
    std::vector<std::string> targets;
    // The target the others' outputs are compared with; it is run (once, untimed) when it is
    // not among the targets. "" measures no accuracy.
    std::string reference = "cpu-fp32";
    // Rounds; each runs every target once (warm-up, then `base.iterations` timed runs), in an
    // order that rotates by one target per round, so that a noisy stretch of the machine hits the
    // targets alike.
    int rounds = 3;
    // Encodings for the targets that run int8 (npu-int8, or a backend with base.int8); the
    // other targets run without them (no simulated quantization).
    std::string encodings;
    // Threads per target (as named in `targets` or `reference`), instead of base.threads: a
    // backend config's num_threads.
    std::map<std::string, int> threads;
};

// Where a target runs: this process for local targets; the devices issue adds devices.
using RunTargetFor = std::function<RunTarget&(const TargetRef& where)>;

// The progress stage a benchmark reports as one target's run starts: "gpu-fp16 2/3", or with
// round 0 the untimed reference run, "cpu-fp32". The run's own stages ("import",
// "timed runs") follow under their usual ids, so a progress display that wants the target beside
// them matches these labels.
std::string benchStepLabel(const std::string& target, int round, int rounds);

// Runs the benchmark. Each report in the result is one target's: every timed run of every round
// in runs_ms and the latency statistics over them, per-node times averaged over the rounds, the
// accuracy of its outputs against the reference's on the same inputs, its fallbacks. Throws
// lb::Error naming the target at fault; lb::Cancelled when cancelled.
report::Comparison benchmark(const BenchSpec& spec, const RunTargetFor& runTargetFor,
                             const TaskContext& task = {});

// The same with every target in this process (a LocalTarget); device targets are refused by name.
report::Comparison benchmarkLocal(const BenchSpec& spec, const TaskContext& task = {});

} // namespace lb::run
