#include "args.h"
#include "command.h"
#include "core/error.h"
#include "project/open_model.h"
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

std::string sectionName(quant::EncodingSection section) {
    switch (section) {
    case quant::EncodingSection::Activation:
        return "activation_encodings";
    case quant::EncodingSection::Param:
        return "param_encodings";
    case quant::EncodingSection::None:
        break;
    }
    return "";
}

nlohmann::json checkJson(const CheckArgs& a, const quant::EncodingSet& set,
                         const quant::EncodingsCheck& check) {
    nlohmann::json list = nlohmann::json::array();
    for (const quant::EncodingIssue& i : check.issues)
        list.push_back({{"kind", quant::issueKindName(i.kind)},
                        {"section", sectionName(i.section)},
                        {"tensor", i.tensor},
                        {"left_out", quant::leavesEntryOut(i.kind)},
                        {"message", i.message}});
    return {{"file", a.file},
            {"model", a.model},
            {"version", set.version},
            {"activations", set.activations.size()},
            {"params", set.params.size()},
            {"entries", check.entries},
            {"matching", check.matching()},
            {"unmatched", check.unmatched},
            {"left_out", check.leftOut},
            {"issues", list},
            {"missing_activations", check.missingActivations}};
}

void printCheck(const CheckArgs& a, const quant::EncodingSet& set,
                const quant::EncodingsCheck& check, std::ostream& out) {
    const auto plural = [](size_t n, const char* word) {
        return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
    };
    out << a.file << ": version " << (set.version.empty() ? "(none)" : set.version) << ", "
        << set.activations.size() << " activation and " << set.params.size() << " param encodings, "
        << plural(check.issues.size(), "issue") << '\n';
    if (check.entries > 0 && check.matching() == 0)
        out << "  none of its " << check.entries << (check.entries == 1 ? " entry" : " entries")
            << " names a tensor of " << a.model << " (encodings for another model?)\n";
    else
        out << "  " << check.matching() << " of " << check.entries << " entries match the model; "
            << check.unmatched << " match nothing; " << check.usable() << " would be imported\n";
    for (const quant::EncodingIssue& i : check.issues)
        out << "  " << quant::issueKindName(i.kind) << ": " << i.message
            << (quant::leavesEntryOut(i.kind) ? " (left out)" : "") << '\n';
    if (!check.missingActivations.empty()) {
        out << "  " << plural(check.missingActivations.size(), "activation")
            << " of the model have no encoding and stay in float:";
        for (size_t k = 0; k < check.missingActivations.size() && k < 8; ++k)
            out << (k ? ", " : " ") << check.missingActivations[k];
        out << (check.missingActivations.size() > 8 ? ", ..." : "") << '\n';
    }
}

int runCheck(const CheckArgs& a, CommandIo io) {
    std::map<std::string, Shape> shapes;
    for (const std::string& s : a.shapes)
        addShapeOption(shapes, s);
    // The model as the GUI opens it: its import runs the same check on that graph before it
    // replaces anything.
    const project::OpenedModel opened = project::openModel(a.model, shapes);
    const quant::EncodingSet set = quant::readEncodingsFile(a.file);
    const quant::EncodingsCheck check = quant::checkEncodings(set, *opened.version.graph());
    if (a.json)
        io.out << checkJson(a, set, check).dump(2) << '\n';
    else
        printCheck(a, set, check, io.out);
    for (const quant::EncodingIssue& i : check.issues)
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
        "scale/offset, per-channel counts that do not match the tensor, tensors that are not "
        "float32, 32-bit encodings on anything but a bias and weights whose values lie far from "
        "their encoding's range. It says how many entries match the model, which ones the GUI's "
        "import leaves out, and which of the model's activations the file leaves in float. "
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
                    "print the result as JSON: file, model, version, counts (entries, matching, "
                    "unmatched, left_out), the list of issues and the missing activations");
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
