#include "args.h"
#include "command.h"
#include "core/error.h"
#include "onnx/importer.h"
#include "passes/complete_shapes.h"
#include "report/model_summary.h"

#include <nlohmann/json.hpp>

namespace lb::cli {

namespace {

int runInfo(const std::vector<std::string>& args, CommandIo io) {
    std::string model;
    bool json = false;
    onnx::ImportOptions options;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--json") {
            json = true;
        } else if (a == "--shape" || a.rfind("--shape=", 0) == 0) {
            std::string value;
            if (a == "--shape") {
                if (i + 1 >= args.size())
                    throw UsageError("--shape needs a value like x=1x3x640x640");
                value = args[++i];
            } else {
                value = a.substr(8);
            }
            addShapeOption(options.inputShapes, value);
        } else if (!a.empty() && a[0] == '-') {
            throw UsageError("unknown option '" + a + "'");
        } else if (model.empty()) {
            model = a;
        } else {
            throw UsageError("more than one model given ('" + model + "', '" + a + "')");
        }
    }
    if (model.empty())
        throw UsageError("no model given");
    onnx::ImportResult imported = onnx::importModel(model, options);
    passes::completeShapes(imported.graph);
    for (const std::string& w : imported.warnings)
        io.err << "layerbench-cli: warning: " << w << '\n';
    const report::ModelSummary summary = report::summarize(imported.graph, model);
    if (json)
        io.out << report::toJson(summary).dump(2) << '\n';
    else
        io.out << report::toText(summary);
    return 0;
}

} // namespace

const Command& infoCommand() {
    static const Command command{"info", "summarize a model: inputs, outputs, ops, params, MACs",
                                 "info MODEL [--shape NAME=DIMS]... [--json]", &runInfo};
    return command;
}

} // namespace lb::cli
