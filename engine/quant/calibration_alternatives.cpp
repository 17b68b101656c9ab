#include "quant/calibration_alternatives.h"

#include "quant/analysis_support.h"
#include "quant/fake_quant_transform.h"
#include "quant/quant_analysis.h"
#include "report/quant_report.h"
#include "runtime/session.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace lb::quant {

namespace {

std::string flagsOf(CalibrationMethod method, bool perChannel) {
    std::string flags;
    if (method != CalibrationMethod::MinMax)
        flags = "--calibrator " + calibrationMethodName(method);
    if (perChannel)
        flags += std::string(flags.empty() ? "" : " ") + "--per-channel";
    return flags.empty() ? "(minmax, per-tensor: the defaults)" : flags;
}

} // namespace

std::vector<CalibrationAlternative>
measureAlternatives(const ir::Graph& graph,
                    const std::map<std::string, HistogramObserver>& observed,
                    const CalibrationConfig& chosen, const EncodingSet& overrides,
                    const std::vector<Sample>& samples, const TaskContext& task) {
    std::vector<CalibrationAlternative> result;
    if (samples.empty())
        return result;
    std::vector<CalibrationConfig> configs;
    for (bool perChannel : {false, true})
        for (CalibrationMethod m : {CalibrationMethod::MinMax, CalibrationMethod::Percentile,
                                    CalibrationMethod::Mse, CalibrationMethod::Entropy}) {
            if (m == chosen.activations.method && perChannel == chosen.perChannel)
                continue;
            CalibrationConfig c = chosen;
            c.activations.method = m;
            c.perChannel = perChannel;
            configs.push_back(c);
        }
    const double steps = static_cast<double>(configs.size() + 1);
    task.report(0.0, "calibration alternatives");
    std::vector<std::vector<Tensor>> reference;
    {
        auto fp32 = analysisSession(graph, chosen.backend, chosen.threads, task);
        for (const Sample& s : samples)
            reference.push_back(fp32->run(s, nullptr, task));
    }
    for (size_t k = 0; k < configs.size(); ++k) {
        task.checkCancelled();
        task.report((k + 1) / steps, "calibration alternatives");
        const CalibrationConfig& c = configs[k];
        EncodingSet encodings = computeEncodings(graph, observed, c);
        applyOverrides(encodings, overrides);
        ir::Graph quantized = graph;
        applyFakeQuant(quantized, encodings);
        auto session = analysisSession(quantized, c.backend, c.threads, task);
        ErrorAccumulator pooled;
        int64_t rows = 0, agree = 0;
        for (size_t s = 0; s < samples.size(); ++s) {
            const std::vector<Tensor> out = session->run(samples[s], nullptr, task);
            for (size_t o = 0; o < reference[s].size() && o < out.size(); ++o) {
                const Tensor& ref = reference[s][o];
                if (ref.dtype() != DataType::Float32 || out[o].dtype() != DataType::Float32)
                    continue;
                pooled.add(ref.span<const float>(), out[o].span<const float>());
                addTop1(ref, out[o], rows, agree);
            }
        }
        CalibrationAlternative a;
        a.method = c.activations.method;
        a.perChannel = c.perChannel;
        a.outputSqnrDb = pooled.stats().sqnrDb;
        a.top1Agreement = rows ? static_cast<double>(agree) / static_cast<double>(rows) : 0.0;
        a.flags = flagsOf(a.method, a.perChannel);
        result.push_back(a);
    }
    std::stable_sort(result.begin(), result.end(),
                     [](const auto& a, const auto& b) { return a.outputSqnrDb > b.outputSqnrDb; });
    task.report(1.0, "calibration alternatives");
    return result;
}

std::string alternativesTable(const std::vector<CalibrationAlternative>& alternatives,
                              double chosenSqnrDb, const CalibrationConfig& chosen) {
    std::ostringstream out;
    if (alternatives.empty())
        return {};
    out << "\nother calibrations, same samples (outputs now " << report::formatDb(chosenSqnrDb)
        << " dB with " << flagsOf(chosen.activations.method, chosen.perChannel) << ")\n";
    for (const CalibrationAlternative& a : alternatives)
        out << "  " << std::left << std::setw(44) << a.flags << std::right << std::setw(8)
            << report::formatDb(a.outputSqnrDb) << " dB   top-1 " << std::fixed
            << std::setprecision(1) << a.top1Agreement * 100 << "%\n";
    const CalibrationAlternative& best = alternatives.front();
    if (best.outputSqnrDb > chosenSqnrDb)
        out << "advice: " << best.flags << " gives " << report::formatDb(best.outputSqnrDb)
            << " dB";
    else
        out << "advice: no other calibrator or weight granularity does better";
    if (std::max(best.outputSqnrDb, chosenSqnrDb) < kLowOutputSqnrDb)
        out << "; none reaches " << static_cast<int>(kLowOutputSqnrDb)
            << " dB: keep the most sensitive tensors at 16 bit (--target-sqnr "
            << static_cast<int>(kLowOutputSqnrDb)
            << " promotes them one at a time and measures each step)";
    out << '\n';
    return out.str();
}

} // namespace lb::quant
