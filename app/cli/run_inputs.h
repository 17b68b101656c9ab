#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
} // namespace CLI

namespace lb::run {
struct RunSpec;
} // namespace lb::run

namespace lb::cli {

// The options that say what a run's inputs are, shared by run and bench: --shape, --input
// (NAME=FILE or an input_list.txt), --input-list and --seed.
struct RunInputOptions {
    std::vector<std::string> shapes; // NAME=DIMS
    std::vector<std::string> inputs; // NAME=FILE, or one input_list.txt
    std::string inputList;
    std::optional<uint64_t> seed;
};

// Declares the options on `app`, storing into `o` (which must outlive the parse).
void addRunInputOptions(CLI::App& app, RunInputOptions& o);
// Sets spec's input shapes, files, list and seed. Throws UsageError when both files and a list
// are given.
void applyRunInputs(const RunInputOptions& o, run::RunSpec& spec);

} // namespace lb::cli
