#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace lb::report {

// fp32 reference vs quantized values. SQNR = 10 log10(sum ref^2 / sum (ref - q)^2), +inf when
// they are identical (null in JSON).
struct ErrorStats {
    double sqnrDb = 0;
    double mse = 0;
    double cosine = 1;
    double maxAbsError = 0;
    int64_t count = 0; // elements compared
};

struct TensorQuantStats {
    std::string tensor; // the original model's name
    std::string kind;   // activation | weight | bias
    std::string node;   // producer (activations) or consumer (params); "" for graph inputs
    std::string op;
    int bitwidth = 8;
    int channels = 1;
    double encodingMse = 0; // quantize -> dequantize of the fp32 tensor alone
    // The tensor in the fully quantized model against the fp32 model (params: the tensor itself).
    std::optional<ErrorStats> cumulative;
    // The model outputs when only this tensor is quantized (sensitivity); absent when not run.
    std::optional<ErrorStats> isolated;
};

struct OutputQuantStats {
    std::string name;
    ErrorStats error;
    double top1Agreement = 0; // share of positions that agree (quant::addTop1: class axis)
    int64_t rows = 0;
};

// The one schema for a quantization analysis (CLI --report, GUI, advisor).
struct QuantReport {
    std::string model;
    std::string calibrator;      // "" when the encodings came from a file
    std::string calibrationData; // input list, folder, or "random (N samples, seed S)"
    int samples = 0;
    int activationBitwidth = 8;
    int weightBitwidth = 8;
    int biasBitwidth = 32;
    bool perChannel = false;
    std::string backend;
    std::vector<TensorQuantStats> tensors; // in graph order
    std::vector<OutputQuantStats> outputs;
    ErrorStats outputError; // all float outputs pooled
    double top1Agreement = 0;
    int isolatedRuns = 0;
    int isolatedSkipped = 0; // tensors over the --isolated cap
    std::vector<std::string> notes;
};

nlohmann::json toJson(const QuantReport& report);
// Throws lb::Error naming the missing or mistyped key.
QuantReport quantReportFromJson(const nlohmann::json& json);
// "inf" for +inf, else fixed with 2 decimals.
std::string formatDb(double db);
// The readable summary: output SQNR / top-1, then the `count` worst tensors by isolated SQNR
// (cumulative where isolated was not run).
std::string quantReportTable(const QuantReport& report, size_t count = 15);

} // namespace lb::report
