#include "args.h"
#include "command.h"
#include "core/error.h"
#include "project/open_model.h"
#include "report/model_summary.h"

#include <CLI/CLI.hpp>
#include <memory>
#include <vector>
#include <nlohmann/json.hpp>

namespace lb::cli {

namespace {

struct InfoArgs {
    std::string model;
    std::vector<std::string> shapes;
    bool json = false;
};

// `info` ends the process once it has printed, and freeing a 100,000-node graph value by value
// took 14% of its time (perf; bench/run_import_bench.sh). So the opened model is left for the OS
// to take back, as compilers leave their syntax trees: kept reachable from a holder that is never
// destroyed, so leak checkers see no leak.
void keepUntilExit(std::unique_ptr<project::OpenedModel> opened) {
    static auto* const kept = new std::vector<std::unique_ptr<project::OpenedModel>>();
    kept->push_back(std::move(opened));
}

int runInfo(const InfoArgs& a, CommandIo io) {
    std::map<std::string, Shape> shapes;
    for (const std::string& s : a.shapes)
        addShapeOption(shapes, s);
    // The GUI's open: import, shapes completed, the summary.
    auto opened = std::make_unique<project::OpenedModel>(project::openModel(a.model, shapes));
    for (const std::string& w : opened->warnings)
        io.err << "layerbench-cli: warning: " << w << '\n';
    const report::ModelSummary& summary = *opened->version.summary();
    if (a.json)
        io.out << report::toJson(summary).dump(2) << '\n';
    else
        io.out << report::toText(summary);
    keepUntilExit(std::move(opened));
    return 0;
}

CommandAction defineInfo(CLI::App& app) {
    auto a = std::make_shared<InfoArgs>();
    app.description(
        "Summarize a model: inputs, outputs, ops, parameters, MACs.\n\n"
        "Imports the ONNX file (external data next to it is read too), infers every shape it can "
        "and prints the inputs and outputs with their shapes, the op histogram, the parameter "
        "count, and the multiply-accumulates of one inference. Symbolic input dims "
        "(batch, height, width) stay symbolic unless --shape fixes them; MACs need static "
        "shapes. Warnings about the model go to stderr.");
    app.add_option("MODEL", a->model, "the ONNX model file")->required()->type_name("FILE");
    app.add_option("--shape", a->shapes,
                   "fix an input's shape, replacing symbolic dims (repeat for each input)")
        ->type_name("NAME=DIMS")
        ->allow_extra_args(false)
        ->check(shapeArgument());
    app.add_flag("--json", a->json, "print the summary as JSON instead of text");
    app.footer("# PaddleOCR's text detector at 640x640\n"
               "layerbench-cli info det.onnx --shape x=1x3x640x640\n"
               "layerbench-cli info rec.onnx --shape x=1x3x48x320 --json > rec_summary.json");
    return [a](CommandIo io) { return runInfo(*a, io); };
}

} // namespace

const Command& infoCommand() {
    static const Command command{"info", &defineInfo};
    return command;
}

} // namespace lb::cli
