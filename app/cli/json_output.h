#pragma once

#include <nlohmann/json_fwd.hpp>
#include <ostream>
#include <string>

namespace lb::cli {

// Writes `json` (indented) to `path`, or to `out` when path is "-". Throws lb::Error naming the
// file when it cannot be written.
void writeJsonOutput(const std::string& path, const nlohmann::json& json, std::ostream& out);

} // namespace lb::cli
