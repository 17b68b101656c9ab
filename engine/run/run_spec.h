#pragma once

#include "core/shape.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace lb::run {

// Everything that decides a timed run: which model version, on which target, with which inputs,
// encodings and iteration counts. A RunTarget turns it into a report::ProfileReport, wherever it
// runs (this process, or a device that gets the spec as JSON).
struct RunSpec {
    std::string model;  // the model file (a model version's bytes; the report carries its hash)
    std::string target = "auto"; // backends::targetNames(): a backend's name, or "auto"
    int threads = 1;
    int warmup = 3;
    int iterations = 20;
    bool optimize = true; // the default graph passes before partitioning
    bool perNode = true;  // time every node (off: the untimed run, for overhead checks)

    std::map<std::string, Shape> inputShapes;      // fixes symbolic dims
    std::map<std::string, std::string> inputFiles; // NAME -> .npy/.raw/.pb; the rest random
    std::string inputList;         // a QNN input_list.txt instead (its first line is used)
    std::optional<uint64_t> seed;  // random inputs; unset: a fresh seed, written to the notes

    std::string encodings; // an encodings file: simulate quantization with it
    bool int8 = false;     // with encodings: real int8 kernels where they are exact

    std::string outputsDir; // when set, the outputs of one more run are written there as .npy

    bool operator==(const RunSpec&) const = default;
};

nlohmann::json toJson(const RunSpec& spec);
// Throws lb::Error naming the key that is missing or has the wrong type.
RunSpec runSpecFromJson(const nlohmann::json& json);

} // namespace lb::run
