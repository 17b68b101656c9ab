#include "report/quant_report.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

namespace lb::report {

namespace {

using nlohmann::json;

json dbJson(double v) {
    return std::isfinite(v) ? json(v) : json(nullptr);
}

double dbFromJson(const json& j) {
    return j.is_null() ? std::numeric_limits<double>::infinity() : j.get<double>();
}

json statsJson(const ErrorStats& s) {
    return {{"sqnr_db", dbJson(s.sqnrDb)},
            {"mse", s.mse},
            {"cosine", s.cosine},
            {"max_abs_error", s.maxAbsError},
            {"count", s.count}};
}

template <typename T> T field(const json& j, const char* key, const char* where) {
    if (!j.is_object() || !j.contains(key))
        fail("quant report: ", where, " has no '", key, "'");
    try {
        return j.at(key).get<T>();
    } catch (const json::exception&) {
        fail("quant report: ", where, ".", key, " has the wrong type");
    }
}

ErrorStats statsFromJson(const json& j, const char* where) {
    ErrorStats s;
    if (!j.is_object() || !j.contains("sqnr_db"))
        fail("quant report: ", where, " has no 'sqnr_db'");
    s.sqnrDb = dbFromJson(j.at("sqnr_db"));
    s.mse = field<double>(j, "mse", where);
    s.cosine = field<double>(j, "cosine", where);
    s.maxAbsError = field<double>(j, "max_abs_error", where);
    s.count = field<int64_t>(j, "count", where);
    return s;
}

} // namespace

json toJson(const QuantReport& r) {
    json tensors = json::array();
    for (const TensorQuantStats& t : r.tensors) {
        json e = {{"tensor", t.tensor},
                  {"kind", t.kind},
                  {"node", t.node},
                  {"op", t.op},
                  {"bitwidth", t.bitwidth},
                  {"channels", t.channels},
                  {"encoding_mse", t.encodingMse}};
        e["cumulative"] = t.cumulative ? statsJson(*t.cumulative) : json(nullptr);
        e["isolated"] = t.isolated ? statsJson(*t.isolated) : json(nullptr);
        tensors.push_back(std::move(e));
    }
    json outputs = json::array();
    for (const OutputQuantStats& o : r.outputs)
        outputs.push_back({{"name", o.name},
                           {"error", statsJson(o.error)},
                           {"top1_agreement", o.top1Agreement},
                           {"rows", o.rows}});
    return {{"model", r.model},
            {"calibrator", r.calibrator},
            {"calibration_data", r.calibrationData},
            {"samples", r.samples},
            {"activation_bitwidth", r.activationBitwidth},
            {"weight_bitwidth", r.weightBitwidth},
            {"bias_bitwidth", r.biasBitwidth},
            {"per_channel", r.perChannel},
            {"backend", r.backend},
            {"output_error", statsJson(r.outputError)},
            {"top1_agreement", r.top1Agreement},
            {"outputs", outputs},
            {"isolated_runs", r.isolatedRuns},
            {"isolated_skipped", r.isolatedSkipped},
            {"notes", r.notes},
            {"tensors", tensors}};
}

QuantReport quantReportFromJson(const json& j) {
    QuantReport r;
    r.model = field<std::string>(j, "model", "report");
    r.calibrator = field<std::string>(j, "calibrator", "report");
    r.calibrationData = field<std::string>(j, "calibration_data", "report");
    r.samples = field<int>(j, "samples", "report");
    r.activationBitwidth = field<int>(j, "activation_bitwidth", "report");
    r.weightBitwidth = field<int>(j, "weight_bitwidth", "report");
    r.biasBitwidth = field<int>(j, "bias_bitwidth", "report");
    r.perChannel = field<bool>(j, "per_channel", "report");
    r.backend = field<std::string>(j, "backend", "report");
    r.outputError = statsFromJson(field<json>(j, "output_error", "report"), "output_error");
    r.top1Agreement = field<double>(j, "top1_agreement", "report");
    r.isolatedRuns = field<int>(j, "isolated_runs", "report");
    r.isolatedSkipped = field<int>(j, "isolated_skipped", "report");
    r.notes = field<std::vector<std::string>>(j, "notes", "report");
    for (const json& o : field<json>(j, "outputs", "report")) {
        OutputQuantStats s;
        s.name = field<std::string>(o, "name", "outputs[]");
        s.error = statsFromJson(field<json>(o, "error", "outputs[]"), "outputs[].error");
        s.top1Agreement = field<double>(o, "top1_agreement", "outputs[]");
        s.rows = field<int64_t>(o, "rows", "outputs[]");
        r.outputs.push_back(s);
    }
    for (const json& t : field<json>(j, "tensors", "report")) {
        TensorQuantStats s;
        s.tensor = field<std::string>(t, "tensor", "tensors[]");
        s.kind = field<std::string>(t, "kind", "tensors[]");
        s.node = field<std::string>(t, "node", "tensors[]");
        s.op = field<std::string>(t, "op", "tensors[]");
        s.bitwidth = field<int>(t, "bitwidth", "tensors[]");
        s.channels = field<int>(t, "channels", "tensors[]");
        s.encodingMse = field<double>(t, "encoding_mse", "tensors[]");
        if (t.contains("cumulative") && !t.at("cumulative").is_null())
            s.cumulative = statsFromJson(t.at("cumulative"), "tensors[].cumulative");
        if (t.contains("isolated") && !t.at("isolated").is_null())
            s.isolated = statsFromJson(t.at("isolated"), "tensors[].isolated");
        r.tensors.push_back(s);
    }
    return r;
}

std::string formatDb(double db) {
    if (std::isinf(db))
        return db > 0 ? "inf" : "-inf";
    std::ostringstream s;
    s << std::fixed << std::setprecision(2) << db;
    return s.str();
}

std::string quantReportTable(const QuantReport& r, size_t count) {
    std::ostringstream out;
    out << "outputs    SQNR " << formatDb(r.outputError.sqnrDb) << " dB, cosine " << std::fixed
        << std::setprecision(5) << r.outputError.cosine << ", top-1 agreement "
        << std::setprecision(1) << r.top1Agreement * 100 << "% over " << r.samples << " sample"
        << (r.samples == 1 ? "" : "s") << '\n';
    // Below the usual usability line, name the tensors that cause it: those that bring the
    // outputs below it on their own, worst first.
    constexpr double kLowSqnrDb = 20.0;
    if (r.outputError.sqnrDb < kLowSqnrDb) {
        std::vector<const TensorQuantStats*> causes;
        for (const TensorQuantStats& t : r.tensors)
            if (t.isolated && t.isolated->sqnrDb < kLowSqnrDb)
                causes.push_back(&t);
        std::stable_sort(causes.begin(), causes.end(), [](const auto* a, const auto* b) {
            return a->isolated->sqnrDb < b->isolated->sqnrDb;
        });
        out << "below 20 dB: ";
        if (causes.empty()) {
            out << (r.isolatedRuns == 0
                        ? "no isolated runs to name the tensors that cause it (--isolated N)"
                        : "no tensor run in isolation does it alone: the error accumulates "
                          "(cumulative column)")
                << '\n';
        } else {
            out << causes.size() << " tensor" << (causes.size() == 1 ? "" : "s")
                << " quantized alone " << (causes.size() == 1 ? "brings" : "bring")
                << " the outputs below it:";
            for (size_t k = 0; k < causes.size() && k < 10; ++k)
                out << (k ? ", " : " ") << causes[k]->tensor << " ("
                    << formatDb(causes[k]->isolated->sqnrDb) << ")";
            if (causes.size() > 10)
                out << ", and " << causes.size() - 10 << " more";
            out << '\n';
        }
    }
    std::vector<const TensorQuantStats*> rows;
    for (const TensorQuantStats& t : r.tensors)
        if (t.isolated || t.cumulative)
            rows.push_back(&t);
    auto key = [](const TensorQuantStats* t) {
        return t->isolated ? t->isolated->sqnrDb : t->cumulative->sqnrDb;
    };
    std::stable_sort(rows.begin(), rows.end(), [&](const auto* a, const auto* b) {
        // Isolated rows first: their SQNRs compare with each other, not with
        // cumulative ones.
        if (a->isolated.has_value() != b->isolated.has_value())
            return a->isolated.has_value();
        return key(a) < key(b);
    });
    out << "\nworst tensors (isolated = model output SQNR with only that tensor quantized)\n"
        << std::left << std::setw(44) << "tensor" << std::setw(11) << "kind" << std::setw(16)
        << "op" << std::right << std::setw(4) << "bw" << std::setw(13) << "isolated dB"
        << std::setw(15) << "cumulative dB" << std::setw(11) << "cosine" << '\n';
    for (size_t k = 0; k < rows.size() && k < count; ++k) {
        const TensorQuantStats& t = *rows[k];
        const std::string name = t.tensor.size() > 43 ? t.tensor.substr(0, 40) + "..." : t.tensor;
        out << std::left << std::setw(44) << name << std::setw(11) << t.kind << std::setw(16)
            << t.op.substr(0, 15) << std::right << std::setw(4) << t.bitwidth << std::setw(13)
            << (t.isolated ? formatDb(t.isolated->sqnrDb) : "-") << std::setw(15)
            << (t.cumulative ? formatDb(t.cumulative->sqnrDb) : "-") << std::setw(11)
            << std::setprecision(5) << (t.cumulative ? t.cumulative->cosine : 1.0) << '\n';
    }
    if (r.isolatedSkipped > 0)
        out << "(" << r.isolatedSkipped
            << " tensors not run in isolation: over the --isolated cap)\n";
    return out.str();
}

} // namespace lb::report
