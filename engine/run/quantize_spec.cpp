#include "run/quantize_spec.h"

#include "core/error.h"

#include <nlohmann/json.hpp>

namespace lb::run {

using nlohmann::json;

namespace {

template <typename T> T field(const json& j, const char* key, T fallback) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return fallback;
    try {
        return it->get<T>();
    } catch (const json::exception&) {
        fail("quantize spec: key ", quoted(key), " has the wrong type");
    }
}

// A key that may be null or missing: nullopt then.
template <typename T> std::optional<T> optionalField(const json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return std::nullopt;
    return field<T>(j, key, T{});
}

const char* kindName(CalibrationData::Kind kind) {
    switch (kind) {
    case CalibrationData::Kind::Random:
        return "random";
    case CalibrationData::Kind::Path:
        return "path";
    case CalibrationData::Kind::Images:
        return "images";
    }
    return "random";
}

CalibrationData::Kind kindFromName(const std::string& name) {
    for (auto kind : {CalibrationData::Kind::Random, CalibrationData::Kind::Path,
                      CalibrationData::Kind::Images})
        if (name == kindName(kind))
            return kind;
    fail("quantize spec: key \"calibration.kind\" must be \"random\", \"path\" or \"images\", "
         "not ",
         quoted(name));
}

json toJson(const quant::ImagePreprocess& p) {
    json j = {{"mean", p.mean},
              {"std", p.std},
              {"scale", p.scale},
              {"channel_order",
               p.channelOrder == quant::ImagePreprocess::ChannelOrder::BGR ? "BGR" : "RGB"}};
    j["height"] = p.height ? json(*p.height) : json(nullptr);
    j["width"] = p.width ? json(*p.width) : json(nullptr);
    j["layout"] = !p.layout                                           ? json(nullptr)
                  : *p.layout == quant::ImagePreprocess::Layout::NHWC ? json("NHWC")
                                                                      : json("NCHW");
    return j;
}

quant::ImagePreprocess preprocessFromJson(const json& j) {
    quant::ImagePreprocess p;
    if (!j.is_object())
        return p;
    p.height = optionalField<int64_t>(j, "height");
    p.width = optionalField<int64_t>(j, "width");
    p.mean = field<std::vector<double>>(j, "mean", {});
    p.std = field<std::vector<double>>(j, "std", {});
    p.scale = field<double>(j, "scale", p.scale);
    p.channelOrder = quant::parseChannelOrder(field<std::string>(j, "channel_order", "RGB"));
    const std::string layout = field<std::string>(j, "layout", "");
    if (!layout.empty())
        p.layout = quant::parseLayout(layout);
    return p;
}

} // namespace

json toJson(const QuantizeSpec& s) {
    json shapes = json::object();
    for (const auto& [name, shape] : s.inputShapes)
        shapes[name] = shape;
    const quant::CalibrationConfig& c = s.config;
    json j = {{"schema", "layerbench.quantize_spec"},
              {"version", 1},
              {"model", s.model},
              {"input_shapes", shapes},
              {"calibration",
               {{"kind", kindName(s.data.kind)},
                {"count", s.data.count},
                {"seed", s.data.seed},
                {"path", s.data.path},
                {"preprocess", toJson(s.data.preprocess)}}},
              {"calibrator", quant::calibrationMethodName(c.activations.method)},
              {"act_bitwidth", c.activations.bitwidth},
              {"act_symmetric", c.activations.symmetric},
              {"symmetric_mode", static_cast<int>(c.activations.symmetricMode)},
              {"percentile", c.activations.percentile},
              {"weight_bitwidth", c.weightBitwidth},
              {"bias_bitwidth", c.biasBitwidth},
              {"per_channel", c.perChannel},
              {"backend", c.backend},
              {"threads", c.threads},
              {"overrides", s.overrides},
              {"max_promotions", s.maxPromotions},
              {"max_isolated", s.maxIsolated},
              {"analysis_samples", s.analysisSamples},
              {"measure_alternatives", s.measureAlternatives}};
    j["target_sqnr_db"] = s.targetSqnrDb ? json(*s.targetSqnrDb) : json(nullptr);
    return j;
}

QuantizeSpec quantizeSpecFromJson(const json& j) {
    if (!j.is_object())
        fail("quantize spec: expected a JSON object");
    if (field<std::string>(j, "schema", "") != "layerbench.quantize_spec")
        fail("quantize spec: key \"schema\" must be \"layerbench.quantize_spec\"");
    QuantizeSpec s;
    s.model = field<std::string>(j, "model", "");
    if (s.model.empty())
        fail("quantize spec: key \"model\" is missing or empty");
    const json shapes = field<json>(j, "input_shapes", json::object());
    if (!shapes.is_object())
        fail("quantize spec: key \"input_shapes\" has the wrong type");
    for (const auto& [name, dims] : shapes.items()) {
        try {
            s.inputShapes[name] = dims.get<Shape>();
        } catch (const json::exception&) {
            fail("quantize spec: input shape ", quoted(name), " is not a list of dims");
        }
    }
    const json calibration = field<json>(j, "calibration", json::object());
    if (!calibration.is_object())
        fail("quantize spec: key \"calibration\" has the wrong type");
    s.data.kind = kindFromName(field<std::string>(calibration, "kind", "random"));
    s.data.count = field<int>(calibration, "count", s.data.count);
    s.data.seed = field<uint64_t>(calibration, "seed", s.data.seed);
    s.data.path = field<std::string>(calibration, "path", "");
    if (s.data.kind != CalibrationData::Kind::Random && s.data.path.empty())
        fail("quantize spec: key \"calibration.path\" is missing or empty");
    s.data.preprocess = preprocessFromJson(field<json>(calibration, "preprocess", json()));
    quant::CalibrationConfig& c = s.config;
    c.activations.method = quant::parseCalibrationMethod(
        field<std::string>(j, "calibrator", quant::calibrationMethodName(c.activations.method)));
    c.activations.bitwidth = field<int>(j, "act_bitwidth", c.activations.bitwidth);
    c.activations.symmetric = field<bool>(j, "act_symmetric", c.activations.symmetric);
    c.activations.symmetricMode = static_cast<quant::SymmetricMode>(
        field<int>(j, "symmetric_mode", static_cast<int>(c.activations.symmetricMode)));
    c.activations.percentile = field<double>(j, "percentile", c.activations.percentile);
    c.weightBitwidth = field<int>(j, "weight_bitwidth", c.weightBitwidth);
    c.biasBitwidth = field<int>(j, "bias_bitwidth", c.biasBitwidth);
    c.perChannel = field<bool>(j, "per_channel", c.perChannel);
    c.backend = field<std::string>(j, "backend", c.backend);
    c.threads = field<int>(j, "threads", c.threads);
    s.overrides = field<std::string>(j, "overrides", "");
    s.targetSqnrDb = optionalField<double>(j, "target_sqnr_db");
    s.maxPromotions = field<int>(j, "max_promotions", s.maxPromotions);
    s.maxIsolated = field<int>(j, "max_isolated", s.maxIsolated);
    s.analysisSamples = field<int>(j, "analysis_samples", s.analysisSamples);
    s.measureAlternatives = field<bool>(j, "measure_alternatives", s.measureAlternatives);
    return s;
}

} // namespace lb::run
