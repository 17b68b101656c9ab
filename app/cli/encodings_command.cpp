#include "args.h"
#include "command.h"
#include "core/error.h"
#include "onnx/importer.h"
#include "quant/encodings_json.h"
#include "quant/name_check.h"

#include <nlohmann/json.hpp>

namespace lb::cli {

namespace {

// encodings check MODEL FILE.json [--json] [--shape NAME=DIMS]...
int runEncodings(const std::vector<std::string>& args, CommandIo io) {
    if (args.empty() || args[0] != "check")
        throw UsageError("expected the subcommand 'check'");
    std::vector<std::string> positional;
    bool json = false;
    onnx::ImportOptions import;
    for (size_t i = 1; i < args.size(); ++i) {
        if (args[i] == "--json") {
            json = true;
        } else if (args[i] == "--shape" && i + 1 < args.size()) {
            addShapeOption(import.inputShapes, args[++i]);
        } else if (!args[i].empty() && args[i][0] == '-') {
            throw UsageError("unknown option '" + args[i] + "'");
        } else {
            positional.push_back(args[i]);
        }
    }
    if (positional.size() != 2)
        throw UsageError("expected MODEL and FILE.json");
    const onnx::ImportResult imported = onnx::importModel(positional[0], import);
    const quant::EncodingSet set = quant::readEncodingsFile(positional[1]);
    std::vector<quant::EncodingIssue> issues = set.issues;
    for (quant::EncodingIssue& i : quant::checkNames(set, imported.graph))
        issues.push_back(std::move(i));
    if (json) {
        nlohmann::json list = nlohmann::json::array();
        for (const quant::EncodingIssue& i : issues)
            list.push_back({{"kind", quant::issueKindName(i.kind)},
                            {"tensor", i.tensor},
                            {"message", i.message}});
        io.out << nlohmann::json{{"file", positional[1]},
                                 {"version", set.version},
                                 {"activations", set.activations.size()},
                                 {"params", set.params.size()},
                                 {"issues", list}}
                      .dump(2)
               << '\n';
    } else {
        io.out << positional[1] << ": version " << (set.version.empty() ? "(none)" : set.version)
               << ", " << set.activations.size() << " activation and " << set.params.size()
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

} // namespace

const Command& encodingsCommand() {
    static const Command command{
        "encodings", "check an encodings file against a model (names, sections, signs)",
        "encodings check MODEL FILE.json [--json] [--shape NAME=DIMS]...", &runEncodings};
    return command;
}

} // namespace lb::cli
