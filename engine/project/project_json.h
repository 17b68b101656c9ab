#pragma once

#include "project/project.h"

#include <nlohmann/json_fwd.hpp>

namespace lb::project {

// The project file: {"schema": "layerbench.project", "version": kProjectSchemaVersion, "name",
// "current", "versions": [{"label", "parent", "model", "sha256", "input_shapes",
// "runs": [{"spec": run spec, "report": profile report}],
// "encodings": [{"origin", "source", "file", "format", "encodings": 0.6.1 or 1.0.0 JSON as the
// file would hold it, "report": quant report (when measured)}]}]}.
// Graphs, summaries and node maps are not stored: they follow from the model file, which
// loadModelVersion() reads again and checks against the stored SHA-256.
inline constexpr int kProjectSchemaVersion = 1;

nlohmann::json toJson(const Project& project);
// Throws lb::Error naming the key (and the version or entry) that is missing or mistyped.
Project projectFromJson(const nlohmann::json& json);

} // namespace lb::project
