#include "command.h"
#include "importers/profile_import.h"
#include "report_output.h"
#include "onnx/importer.h"

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

namespace lb::cli {

namespace {

struct ImportArgs {
    std::string file;
    std::string model;
    std::string jsonPath;
};

int runImport(const ImportArgs& a, CommandIo io) {
    std::optional<onnx::ImportResult> model;
    if (!a.model.empty()) {
        onnx::ImportOptions options;
        options.inferShapes = false;
        model = onnx::importModel(a.model, options);
    }
    report::Comparison c =
        importers::readComparison({a.file}, model ? &model->graph : nullptr, a.model);
    if (c.reports.size() != 1)
        throw UsageError(a.file + " is a comparison of " + std::to_string(c.reports.size()) +
                         " reports; compare reads it as it is");
    const report::ProfileReport& r = c.reports.front();
    for (const std::string& w : r.warnings)
        io.err << "layerbench-cli: warning: " << w << '\n';
    if (!a.jsonPath.empty())
        writeJsonFile(a.jsonPath, report::toJson(r), io.out);
    if (a.jsonPath == "-")
        return 0;
    io.out << a.file << ": " << r.source << " report, target " << r.target << ", " << r.nodes.size()
           << " rows, " << r.runsMs.size() << " runs";
    if (!r.runsMs.empty())
        io.out << ", latency mean " << r.latencyMs.mean << " ms";
    io.out << '\n';
    for (const std::string& n : r.notes)
        io.out << "  " << n << '\n';
    return 0;
}

CommandAction defineImport(CLI::App& app) {
    auto a = std::make_shared<ImportArgs>();
    app.description(
        "Convert another tool's profile into a LayerBench profile report.\n\n"
        "Reads an ONNX Runtime profile (JSON trace events), a qnn-profile-viewer CSV or a "
        "Qualcomm AI Hub profile JSON, detected from its content, and writes the report schema "
        "run --json writes (source \"imported\"), which compare, the GUI and the advisor read. "
        "Without --json it prints what was read.");
    app.add_option("PROFILE", a->file, "the profile to convert")
        ->required()
        ->type_name("FILE")
        ->check(CLI::ExistingFile);
    app.add_option("--model", a->model,
                   "the ONNX model the profile ran, to map its rows onto the model's node names")
        ->type_name("MODEL.onnx")
        ->check(CLI::ExistingFile);
    app.add_option("--json", a->jsonPath, "write the report as JSON to FILE ('-': stdout)")
        ->type_name("FILE|-");
    app.footer("# ONNX Runtime's profile of cls as a LayerBench report\n"
               "layerbench-cli import onnxruntime_profile.json --model cls.onnx --json ort.json");
    return [a](CommandIo io) { return runImport(*a, io); };
}

} // namespace

const Command& importCommand() {
    static const Command command{"import", &defineImport};
    return command;
}

} // namespace lb::cli
