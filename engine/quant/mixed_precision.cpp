#include "quant/mixed_precision.h"

#include "core/error.h"
#include "quant/analysis_support.h"
#include "quant/fake_quant_transform.h"
#include "quant/per_channel.h"
#include "quant/quant_analysis.h"
#include "report/quant_report.h"
#include "runtime/session.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

namespace lb::quant {

namespace {

struct Measured {
    double sqnrDb = 0;
    double top1 = 0;
    double latencyMs = 0;
};

std::unique_ptr<runtime::Session>
makeSession(const ir::Graph& graph, const MixedPrecisionOptions& options, const TaskContext& task) {
    return analysisSession(graph, options.backend, options.threads, task);
}

// Output SQNR (float outputs pooled), top-1 agreement and median latency of the simulation.
Measured measure(const ir::Graph& graph, const EncodingSet& encodings,
                 const std::vector<Sample>& samples,
                 const std::vector<std::vector<Tensor>>& reference,
                 const MixedPrecisionOptions& options, const TaskContext& task) {
    ir::Graph quantized = graph;
    applyFakeQuant(quantized, encodings);
    auto session = makeSession(quantized, options, task);
    ErrorAccumulator pooled;
    int64_t rows = 0, agree = 0;
    std::vector<double> times;
    for (size_t s = 0; s < samples.size(); ++s) {
        task.checkCancelled();
        const auto start = std::chrono::steady_clock::now();
        const std::vector<Tensor> out = session->run(samples[s], nullptr, task);
        times.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
        const std::vector<Tensor>& ref = reference[s];
        for (size_t k = 0; k < ref.size() && k < out.size(); ++k) {
            if (ref[k].dtype() != DataType::Float32 || out[k].dtype() != DataType::Float32)
                continue;
            pooled.add(ref[k].span<const float>(), out[k].span<const float>());
            addTop1(ref[k], out[k], rows, agree);
        }
    }
    std::sort(times.begin(), times.end());
    Measured m;
    m.sqnrDb = pooled.stats().sqnrDb;
    m.top1 = rows ? static_cast<double>(agree) / static_cast<double>(rows) : 0.0;
    m.latencyMs = times.empty() ? 0.0 : times[times.size() / 2];
    return m;
}

// Biases whose node reads `promoted` as input or weight get QNN's scale = s_in * s_w again.
void rederiveBiases(const ir::Graph& graph, EncodingSet& set, const std::string& promoted) {
    for (const ParamUse& use : quantizedParams(graph)) {
        if (!use.bias)
            continue;
        const ir::Node& n = graph.node(use.node);
        const std::string& in = graph.value(n.inputs[0]).name;
        const std::string& w = graph.value(n.inputs[1]).name;
        const std::string& name = graph.value(use.value).name;
        auto bias = set.params.find(name);
        if ((in != promoted && w != promoted) || bias == set.params.end() ||
            !set.activations.count(in) || !set.params.count(w))
            continue;
        const int bitwidth = bias->second.bitwidth;
        Encoding b = biasEncoding(set.activations.at(in), set.params.at(w),
                                  paramTensor(graph, use.value)->numel(), name);
        if (bitwidth != 32)
            for (ChannelParams& c : b.channels)
                c = paramsFromScaleOffset(c.scale, -(int64_t{1} << (bitwidth - 1)), bitwidth);
        b.bitwidth = bitwidth;
        bias->second = b;
    }
}

} // namespace

Encoding promoteEncoding(const Encoding& encoding, int bitwidth) {
    Encoding e = encoding;
    if (e.dtype != EncodingDtype::Int)
        return e;
    e.bitwidth = bitwidth;
    for (ChannelParams& c : e.channels)
        c = paramsFromMinMax(c.min, c.max, bitwidth, e.symmetric);
    return e;
}

MixedPrecisionPlan planMixedPrecision(const ir::Graph& graph, const EncodingSet& encodings,
                                      const std::vector<Sample>& samples,
                                      const MixedPrecisionOptions& options,
                                      const TaskContext& task) {
    if (samples.empty())
        fail("mixed precision: no samples");
    MixedPrecisionPlan plan;
    plan.targetSqnrDb = options.targetSqnrDb;
    plan.encodings = encodings;
    plan.latencyNote = "median per-sample time of the quantization simulation (fp32 kernels + "
                       "FakeQuant) on backend '" +
                       options.backend + "', " + std::to_string(options.threads) +
                       " thread(s); not int8/int16 kernel time";

    auto fp = makeSession(graph, options, task);
    std::vector<std::vector<Tensor>> reference;
    for (const Sample& s : samples)
        reference.push_back(fp->run(s, nullptr, task));
    fp.reset();

    struct Candidate {
        std::string tensor, kind;
        double sqnr;
    };
    std::vector<Candidate> candidates;
    auto record = [&](int step, const Candidate* c) {
        if (step > 0) // step 0 comes before the sensitivity runs (the first half)
            task.report(0.5 + 0.5 * step / (candidates.size() + 1.0), "mixed precision steps");
        const Measured m = measure(graph, plan.encodings, samples, reference, options, task);
        PromotionStep p;
        p.step = step;
        if (c) {
            p.tensor = c->tensor;
            p.kind = c->kind;
            p.isolatedSqnrDb = c->sqnr;
        }
        p.outputSqnrDb = m.sqnrDb;
        p.top1Agreement = m.top1;
        p.latencyMs = m.latencyMs;
        plan.steps.push_back(p);
        plan.reached = m.sqnrDb >= options.targetSqnrDb;
    };
    record(0, nullptr);
    if (plan.reached || options.maxPromotions == 0)
        return plan;

    // Sensitivity: every tensor's isolated run; the first half of the progress.
    TaskContext analysisTask{
        task.token, [&](double f, std::string_view stage) { task.report(0.5 * f, stage); }};
    AnalysisOptions analysis;
    analysis.backend = options.backend;
    analysis.threads = options.threads;
    analysis.maxIsolated = -1;
    const report::QuantReport sensitivity =
        analyzeQuantization(graph, encodings, samples, analysis, analysisTask);
    for (const report::TensorQuantStats& t : sensitivity.tensors) {
        if (!t.isolated || t.bitwidth >= options.promotedBitwidth)
            continue;
        const bool act = t.kind == "activation" && options.activations;
        const bool weight = t.kind == "weight" && options.weights;
        const auto& section = t.kind == "activation" ? encodings.activations : encodings.params;
        const auto it = section.find(t.tensor);
        if ((act || weight) && it != section.end() && it->second.dtype == EncodingDtype::Int)
            candidates.push_back({t.tensor, t.kind, t.isolated->sqnrDb});
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.sqnr < b.sqnr; });
    if (options.maxPromotions >= 0 &&
        candidates.size() > static_cast<size_t>(options.maxPromotions))
        candidates.resize(static_cast<size_t>(options.maxPromotions));

    for (size_t k = 0; k < candidates.size() && !plan.reached; ++k) {
        const Candidate& c = candidates[k];
        auto& section = c.kind == "activation" ? plan.encodings.activations : plan.encodings.params;
        section[c.tensor] = promoteEncoding(section.at(c.tensor), options.promotedBitwidth);
        rederiveBiases(graph, plan.encodings, c.tensor);
        record(static_cast<int>(k) + 1, &c);
    }
    task.report(1.0, "mixed precision steps");
    return plan;
}

nlohmann::json toJson(const MixedPrecisionPlan& plan) {
    auto db = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); };
    nlohmann::json steps = nlohmann::json::array();
    for (const PromotionStep& s : plan.steps)
        steps.push_back({{"step", s.step},
                         {"tensor", s.tensor},
                         {"kind", s.kind},
                         {"isolated_sqnr_db", s.step ? db(s.isolatedSqnrDb) : nlohmann::json()},
                         {"output_sqnr_db", db(s.outputSqnrDb)},
                         {"top1_agreement", s.top1Agreement},
                         {"latency_ms", s.latencyMs}});
    return {{"target_sqnr_db", plan.targetSqnrDb},
            {"reached", plan.reached},
            {"promotions", plan.steps.empty() ? 0 : plan.steps.size() - 1},
            {"latency", plan.latencyNote},
            {"steps", steps}};
}

std::string planTable(const MixedPrecisionPlan& plan) {
    std::ostringstream out;
    out << "mixed precision: target output SQNR " << report::formatDb(plan.targetSqnrDb) << " dB, "
        << (plan.reached ? "reached" : "NOT reached") << " after "
        << (plan.steps.empty() ? 0 : plan.steps.size() - 1) << " promotion(s)\n"
        << "  step  output SQNR  top-1    latency ms  promoted (isolated SQNR)\n";
    for (const PromotionStep& s : plan.steps) {
        char line[96];
        std::snprintf(line, sizeof line, "  %4d  %8s dB  %6.4f  %10.3f  ", s.step,
                      report::formatDb(s.outputSqnrDb).c_str(), s.top1Agreement, s.latencyMs);
        out << line;
        if (s.step)
            out << s.kind << ' ' << s.tensor << " (" << report::formatDb(s.isolatedSqnrDb)
                << " dB)";
        else
            out << "(none)";
        out << '\n';
    }
    out << "  latency: " << plan.latencyNote << '\n';
    return out.str();
}

} // namespace lb::quant
