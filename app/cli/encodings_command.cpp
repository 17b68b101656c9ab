#include "args.h"
#include "command.h"
#include "core/error.h"
#include "onnx/importer.h"
#include "quant/encodings_json.h"
#include "quant/name_check.h"

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>

namespace lb::cli {

namespace {

struct CheckArgs {
    std::string model;
    std::string file;
    std::vector<std::string> shapes;
    bool json = false;
};

int runCheck(const CheckArgs& a, CommandIo io) {
    onnx::ImportOptions import;
    for (const std::string& s : a.shapes)
        addShapeOption(import.inputShapes, s);
    const onnx::ImportResult imported = onnx::importModel(a.model, import);
    const quant::EncodingSet set = quant::readEncodingsFile(a.file);
    std::vector<quant::EncodingIssue> issues = set.issues;
    for (quant::EncodingIssue& i : quant::checkNames(set, imported.graph))
        issues.push_back(std::move(i));
    if (a.json) {
        nlohmann::json list = nlohmann::json::array();
        for (const quant::EncodingIssue& i : issues)
            list.push_back({{"kind", quant::issueKindName(i.kind)},
                            {"tensor", i.tensor},
                            {"message", i.message}});
        io.out << nlohmann::json{{"file", a.file},
                                 {"version", set.version},
                                 {"activations", set.activations.size()},
                                 {"params", set.params.size()},
                                 {"issues", list}}
                      .dump(2)
               << '\n';
    } else {
        io.out << a.file << ": version " << (set.version.empty() ? "(none)" : set.version) << ", "
               << set.activations.size() << " activation and " << set.params.size()
               << " param encodings, " << issues.size() << " issue"
               << (issues.size() == 1 ? "" : "s") << '\n';
        for (const quant::EncodingIssue& i : issues)
            io.out << "  " << quant::issueKindName(i.kind) << ": " << i.message << '\n';
    }
    for (const quant::EncodingIssue& i : issues)
        if (i.kind != quant::EncodingIssue::Kind::Warning)
            return 1; // scripts can gate on a clean file
    return 0;
}

CommandAction defineEncodings(CLI::App& app) {
    app.description("Check encodings files against a model.\n\n"
                    "Encodings are the QNN/AIMET quantization_overrides JSON that quantize "
                    "writes and qnn-onnx-converter and AIMET read.");
    app.require_subcommand(1);
    CLI::App* check = app.add_subcommand("check");
    auto a = std::make_shared<CheckArgs>();
    check->description(
        "Check an encodings file against a model: names, sections, signs.\n\n"
        "Reads the file (0.6.1 or 1.0.0), then reports tensor names the model does not have, "
        "entries filed in the wrong section (a weight under activation_encodings), offsets "
        "with the wrong sign for QNN's real = (q + offset) * scale, min/max that disagree with "
        "scale/offset and per-channel counts that do not match the tensor. "
        "Exits with 1 when there is an issue other than a warning, so scripts can gate on a "
        "clean file.");
    check->add_option("MODEL", a->model, "the ONNX model the encodings are for")
        ->required()
        ->type_name("FILE");
    check->add_option("FILE.json", a->file, "the encodings file")->required();
    check
        ->add_option("--shape", a->shapes,
                     "fix an input's shape, replacing symbolic dims (repeat for each input)")
        ->type_name("NAME=DIMS")
        ->allow_extra_args(false)
        ->check(shapeArgument());
    check->add_flag("--json", a->json,
                    "print the result as JSON: file, version, counts and the list of issues");
    const char* examples = "layerbench-cli encodings check det.onnx det_enc.json\n"
                           "layerbench-cli encodings check rec.onnx rec_enc.json --json";
    check->footer(examples);
    app.footer(examples);
    return [a](CommandIo io) { return runCheck(*a, io); };
}

} // namespace

const Command& encodingsCommand() {
    static const Command command{"encodings", &defineEncodings};
    return command;
}

} // namespace lb::cli
