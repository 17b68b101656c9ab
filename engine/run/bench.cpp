#include "run/bench.h"

#include "core/error.h"
#include "core/npy.h"
#include "run/local_target.h"
#include "run/targets.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <unistd.h>

namespace lb::run {

namespace fs = std::filesystem;

namespace {

// The outputs a run wrote as .npy files, by file stem (the output's name made safe for a file).
std::map<std::string, Tensor> readOutputs(const fs::path& dir) {
    std::map<std::string, Tensor> outputs;
    for (const fs::directory_entry& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".npy")
            outputs.emplace(e.path().stem().string(), readNpy(e.path().string()));
    return outputs;
}

report::Accuracy accuracyOf(const std::string& reference,
                            const std::map<std::string, Tensor>& expected,
                            const std::map<std::string, Tensor>& actual,
                            std::vector<std::string>& notes) {
    std::vector<report::NamedOutput> want, got;
    for (const auto& [name, tensor] : expected) {
        if (tensor.dtype() != DataType::Float32) {
            notes.push_back("accuracy: output '" + name + "' is " + dtypeName(tensor.dtype()) +
                            ", not compared");
            continue;
        }
        want.push_back({name, tensor.data<float>(), tensor.numel()});
        auto it = actual.find(name);
        if (it != actual.end() && it->second.dtype() == DataType::Float32)
            got.push_back({name, it->second.data<float>(), it->second.numel()});
    }
    return report::compareOutputs(reference, want, got);
}

// One target's reports of every round, as one: all timed runs, node times averaged.
report::ProfileReport merge(std::vector<report::ProfileReport> rounds) {
    report::ProfileReport merged = std::move(rounds.front());
    std::map<std::string, std::pair<double, int>> nodeTimes; // row name -> summed ms, rounds
    for (const report::NodeProfile& n : merged.nodes)
        nodeTimes[n.name] = {n.timeMs, 1};
    for (size_t k = 1; k < rounds.size(); ++k) {
        const report::ProfileReport& r = rounds[k];
        merged.runsMs.insert(merged.runsMs.end(), r.runsMs.begin(), r.runsMs.end());
        merged.peakRssMb = std::max(merged.peakRssMb, r.peakRssMb);
        merged.importMs = std::max(merged.importMs, r.importMs);
        merged.sessionCreateMs = std::max(merged.sessionCreateMs, r.sessionCreateMs);
        for (const report::NodeProfile& n : r.nodes)
            if (auto it = nodeTimes.find(n.name); it != nodeTimes.end()) {
                it->second.first += n.timeMs;
                ++it->second.second;
            }
        merged.timeline = r.timeline; // the last round's median iteration
    }
    double total = 0;
    for (report::NodeProfile& n : merged.nodes) {
        const auto& [sum, count] = nodeTimes[n.name];
        n.timeMs = sum / count;
        if (n.parent < 0) // subgraph rows are inside their control-flow node's time
            total += n.timeMs;
    }
    for (report::NodeProfile& n : merged.nodes) {
        n.share = total > 0 ? n.timeMs / total : 0.0;
        n.gflops =
            n.macs > 0 && n.timeMs > 0 ? 2.0 * static_cast<double>(n.macs) / n.timeMs / 1e6 : 0.0;
    }
    merged.iterations = static_cast<int>(merged.runsMs.size());
    merged.latencyMs = report::latencyStats(merged.runsMs);
    merged.throughputPerS = merged.latencyMs.mean > 0 ? 1000.0 / merged.latencyMs.mean : 0.0;
    std::erase_if(merged.notes,
                  [](const std::string& n) { return n.rfind("session reused", 0) == 0; });
    return merged;
}

// A scratch directory for the outputs of one benchmark, removed when it ends.
struct ScratchDir {
    fs::path path;
    ScratchDir() {
        static std::atomic<int> counter{0};
        path = fs::temp_directory_path() /
               ("layerbench-bench-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~ScratchDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
};

} // namespace

std::string benchStepLabel(const std::string& target, int round, int rounds) {
    // Names and numbers only, the same in every UI language: "cpu-fp32 2/3".
    if (round == 0)
        return target;
    return target + " " + std::to_string(round) + "/" + std::to_string(rounds);
}

report::Comparison benchmark(const BenchSpec& spec, const RunTargetFor& runTargetFor,
                             const TaskContext& task) {
    if (spec.targets.empty())
        fail("bench: no targets; name some, e.g. cpu-fp32,mobile-cpu,gpu-fp16,npu-int8");
    if (spec.rounds < 1)
        fail("bench: rounds must be at least 1, got ", spec.rounds);
    std::vector<TargetRef> where;
    for (const std::string& t : spec.targets) {
        if (std::count(spec.targets.begin(), spec.targets.end(), t) > 1)
            fail("bench: target ", quoted(t), " is named twice");
        where.push_back(parseTargetRef(t));
    }
    for (const auto& [target, threads] : spec.threads) {
        if (std::find(spec.targets.begin(), spec.targets.end(), target) == spec.targets.end() &&
            target != spec.reference)
            fail("bench: threads given for ", quoted(target), ", which is not among the targets");
        if (threads < 1)
            fail("bench: target ", quoted(target), ": threads must be at least 1, got ", threads);
    }
    // Every spec, checked before anything runs: a bad target fails in a second, not after an hour.
    auto specFor = [&](const TargetRef& ref) {
        RunSpec s = spec.base;
        s.target = ref.target;
        if (auto it = spec.threads.find(toString(ref)); it != spec.threads.end())
            s.threads = it->second;
        s.outputsDir.clear();
        const TargetInfo* named = findNamedTarget(ref.target);
        const bool wantsInt8 = named ? named->precision == "int8" : spec.base.int8;
        s.int8 = named ? false : spec.base.int8;
        s.encodings = wantsInt8 ? spec.encodings : std::string();
        if (ref.device.empty()) {
            try {
                resolveTarget(s.target, s.int8, !s.encodings.empty());
            } catch (const Error& e) {
                const std::string what = e.what();
                if (what.find(quoted(ref.target)) != std::string::npos) // it names the target
                    fail("bench: ", what);
                fail("bench: target ", quoted(toString(ref)), ": ", what);
            }
        }
        return s;
    };
    std::vector<RunSpec> specs;
    for (const TargetRef& ref : where)
        specs.push_back(specFor(ref));
    const auto referenceAt =
        std::find(spec.targets.begin(), spec.targets.end(), spec.reference) - spec.targets.begin();
    const bool referenceIncluded = static_cast<size_t>(referenceAt) < spec.targets.size();
    std::optional<RunSpec> referenceSpec;
    if (!spec.reference.empty() && !referenceIncluded)
        referenceSpec = specFor(parseTargetRef(spec.reference));

    const uint64_t seed = spec.base.seed ? *spec.base.seed : std::random_device{}();
    for (RunSpec& s : specs)
        s.seed = seed; // the same random inputs for every target
    ScratchDir scratch;
    const size_t n = specs.size();
    const size_t runs = n * static_cast<size_t>(spec.rounds) + (referenceSpec ? 1 : 0);
    size_t done = 0;
    auto step = [&](const std::string& what) {
        const double from = static_cast<double>(done) / static_cast<double>(runs);
        ++done;
        const double to = static_cast<double>(done) / static_cast<double>(runs);
        task.report(from, what);
        return task.phase(from, to);
    };

    std::map<std::string, Tensor> referenceOutputs;
    if (referenceSpec) { // untimed: one run for its outputs
        RunSpec s = *referenceSpec;
        s.seed = seed;
        s.warmup = 0;
        s.iterations = 1;
        s.perNode = false;
        s.outputsDir = (scratch.path / "accuracy-reference").string();
        runTargetFor(parseTargetRef(spec.reference))
            .run(s, step(benchStepLabel(spec.reference, 0, 0)));
        referenceOutputs = readOutputs(s.outputsDir);
    }

    std::vector<std::vector<report::ProfileReport>> perTarget(n);
    std::vector<std::map<std::string, Tensor>> outputs(n);
    for (int round = 0; round < spec.rounds; ++round) {
        for (size_t k = 0; k < n; ++k) {
            const size_t t = (k + static_cast<size_t>(round)) % n;
            RunSpec s = specs[t];
            if (round == 0) // one more, untimed run writes the outputs
                s.outputsDir = (scratch.path / std::to_string(t)).string();
            const std::string label = benchStepLabel(spec.targets[t], round + 1, spec.rounds);
            report::ProfileReport r;
            try {
                r = runTargetFor(where[t]).run(s, step(label));
            } catch (const Cancelled&) {
                throw;
            } catch (const Error& e) {
                fail("bench: target ", quoted(spec.targets[t]), ": ", e.what());
            }
            r.target = spec.targets[t];
            if (round == 0)
                outputs[t] = readOutputs(s.outputsDir);
            perTarget[t].push_back(std::move(r));
        }
    }
    task.report(1.0, "compare");

    report::Comparison c;
    c.reference = spec.reference;
    c.rounds = spec.rounds;
    if (referenceIncluded)
        referenceOutputs = outputs[static_cast<size_t>(referenceAt)];
    const bool fromFiles = !spec.base.inputFiles.empty() || !spec.base.inputList.empty();
    c.notes.push_back(std::string("inputs: ") + (fromFiles ? "from files" : "random") + ", seed " +
                      std::to_string(seed) + ", the same for every target");
    c.notes.push_back(std::to_string(spec.rounds) + " rounds of " +
                      std::to_string(spec.base.iterations) +
                      " timed runs per target; the order rotates by one target per round");
    for (size_t t = 0; t < n; ++t) {
        report::ProfileReport r = merge(std::move(perTarget[t]));
        if (!spec.reference.empty())
            r.accuracy = accuracyOf(spec.reference, referenceOutputs, outputs[t], r.notes);
        c.reports.push_back(std::move(r));
    }
    return c;
}

report::Comparison benchmarkLocal(const BenchSpec& spec, const TaskContext& task) {
    for (const std::string& t : spec.targets)
        if (!parseTargetRef(t).device.empty())
            fail("bench: target ", quoted(t),
                 ": device targets need a connected device over adb, which this build cannot "
                 "reach yet (the devices issue)");
    LocalTarget local(spec.targets.size() + 1); // every target's session stays built
    return benchmark(
        spec,
        [&](const TargetRef& where) -> RunTarget& {
            if (!where.device.empty())
                fail("bench: target ", quoted(toString(where)),
                     ": device targets need a connected device over adb, which this build cannot "
                     "reach yet (the devices issue)");
            return local;
        },
        task);
}

} // namespace lb::run
