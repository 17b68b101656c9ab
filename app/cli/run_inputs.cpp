#include "run_inputs.h"

#include "args.h"
#include "command.h"
#include "run/run_spec.h"

#include <CLI/CLI.hpp>
#include <filesystem>

namespace lb::cli {

namespace {

// --input's two forms, as the help describes them.
CLI::Validator inputArgument() {
    return CLI::Validator(
        [](std::string& v) {
            if (v.find('=') != std::string::npos || std::filesystem::path(v).extension() == ".txt")
                return std::string();
            return "takes NAME=FILE (.npy, .raw, .pb) or an input_list.txt, got '" + v + "'";
        },
        std::string());
}

} // namespace

void addRunInputOptions(CLI::App& app, RunInputOptions& o) {
    app.add_option("--shape", o.shapes,
                   "fix an input's shape, replacing symbolic dims (repeat for each input); "
                   "DIMS like 1x3x640x640, or 'scalar' for a rank-0 input; inputs given by "
                   "file fix their shapes themselves")
        ->type_name("NAME=DIMS")
        ->allow_extra_args(false)
        ->check(shapeArgument());
    app.add_option("--input", o.inputs,
                   "an input from a file, NAME=FILE with FILE .npy, .raw (float32, the "
                   "input's shape) or .pb (ONNX TensorProto; a SequenceProto or OptionalProto "
                   "for a sequence or optional input, which also takes a .npy tensor), repeated "
                   "per input; or a QNN-style input_list.txt (its first line is used)")
        ->type_name("NAME=FILE|LIST.txt")
        ->allow_extra_args(false)
        ->check(inputArgument());
    app.add_option("--input-list", o.inputList,
                   "a QNN-style input_list.txt (as qnn-net-run takes it); its first line is used")
        ->type_name("FILE");
    RunInputOptions* p = &o;
    app.add_option_function<uint64_t>(
           "--seed", [p](uint64_t seed) { p->seed = seed; },
           "seed of the random inputs, to repeat a run exactly")
        ->default_str("a fresh one, printed on stderr")
        ->type_name("N")
        ->check(wholeNumber(0));
}

void applyRunInputs(const RunInputOptions& o, run::RunSpec& spec) {
    spec.inputList = o.inputList;
    for (const std::string& v : o.inputs) {
        const auto eq = v.find('=');
        if (eq == std::string::npos)
            spec.inputList = v; // a QNN-style input_list.txt
        else
            spec.inputFiles[v.substr(0, eq)] = v.substr(eq + 1);
    }
    if (!spec.inputList.empty() && !spec.inputFiles.empty())
        throw UsageError("give either --input NAME=FILE or an input list, not both");
    for (const std::string& s : o.shapes)
        addShapeOption(spec.inputShapes, s);
    spec.seed = o.seed;
}

} // namespace lb::cli
