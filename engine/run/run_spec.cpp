#include "run/run_spec.h"

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
        fail("run spec: key ", quoted(key), " has the wrong type");
    }
}

} // namespace

json toJson(const RunSpec& s) {
    json shapes = json::object();
    for (const auto& [name, shape] : s.inputShapes)
        shapes[name] = shape;
    json j = {{"schema", "layerbench.run_spec"},
              {"version", 1},
              {"model", s.model},
              {"target", s.target},
              {"threads", s.threads},
              {"warmup", s.warmup},
              {"iterations", s.iterations},
              {"optimize", s.optimize},
              {"per_node", s.perNode},
              {"input_shapes", shapes},
              {"input_files", s.inputFiles},
              {"input_list", s.inputList},
              {"encodings", s.encodings},
              {"int8", s.int8},
              {"outputs_dir", s.outputsDir}};
    j["seed"] = s.seed ? json(*s.seed) : json(nullptr);
    return j;
}

RunSpec runSpecFromJson(const json& j) {
    if (!j.is_object())
        fail("run spec: expected a JSON object");
    if (field<std::string>(j, "schema", "") != "layerbench.run_spec")
        fail("run spec: key \"schema\" must be \"layerbench.run_spec\"");
    RunSpec s;
    s.model = field<std::string>(j, "model", "");
    if (s.model.empty())
        fail("run spec: key \"model\" is missing or empty");
    s.target = field<std::string>(j, "target", s.target);
    s.threads = field<int>(j, "threads", s.threads);
    s.warmup = field<int>(j, "warmup", s.warmup);
    s.iterations = field<int>(j, "iterations", s.iterations);
    s.optimize = field<bool>(j, "optimize", s.optimize);
    s.perNode = field<bool>(j, "per_node", s.perNode);
    s.inputShapes = field<std::map<std::string, Shape>>(j, "input_shapes", {});
    s.inputFiles = field<std::map<std::string, std::string>>(j, "input_files", {});
    s.inputList = field<std::string>(j, "input_list", "");
    if (const auto seed = j.find("seed"); seed != j.end() && !seed->is_null())
        s.seed = field<uint64_t>(j, "seed", 0);
    s.encodings = field<std::string>(j, "encodings", "");
    s.int8 = field<bool>(j, "int8", false);
    s.outputsDir = field<std::string>(j, "outputs_dir", "");
    return s;
}

} // namespace lb::run
