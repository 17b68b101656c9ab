// layerbench-cli's help pages and argument errors, in process. The options come from the parser
// itself (CommandLine), so an option added without help text fails here.

#include "backends/registry.h"
#include "cli_in_process.h"
#include "command_line.h"
#include "help_formatter.h"
#include "run/targets.h"

#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace lb;

namespace {

// Every command below the root, as the words that name it ({"encodings", "check"}).
void collectCommands(const CLI::App& app, std::vector<std::string> path,
                     std::vector<std::vector<std::string>>& out) {
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
        std::vector<std::string> p = path;
        p.push_back(sub->get_name());
        out.push_back(p);
        collectCommands(*sub, p, out);
    }
}

// Help wraps descriptions at spaces; compare with every whitespace run as one space.
std::string collapse(const std::string& text) {
    std::istringstream in(text);
    std::string word, out;
    while (in >> word)
        out += (out.empty() ? "" : " ") + word;
    return out;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

std::vector<std::string> with(std::vector<std::string> path, const std::string& arg) {
    path.push_back(arg);
    return path;
}

} // namespace

TEST_CASE("every command's help describes each of its options and shows an example", "[cli]") {
    cli::CommandLine line;
    std::vector<std::vector<std::string>> commands;
    collectCommands(line.root(), {}, commands);
    REQUIRE(commands.size() >= 5); // info, run, quantize, encodings, encodings check

    const test::CliRun top = test::runCliInProcess({"--help"});
    CHECK(top.code == 0);
    for (const CLI::App* sub : line.root().get_subcommands([](const CLI::App*) { return true; }))
        CHECK_THAT(top.out, Catch::Contains("\n  " + sub->get_name() + " "));

    for (const std::vector<std::string>& path : commands) {
        const std::string name = cli::HelpFormatter::commandPath(*line.find(path));
        INFO(name);
        const test::CliRun help = test::runCliInProcess(with(path, "--help"));
        REQUIRE(help.code == 0);
        CHECK(help.err.empty());
        CHECK(test::runCliInProcess(with(path, "-h")).out == help.out);
        std::vector<std::string> helpCommand{"help"};
        helpCommand.insert(helpCommand.end(), path.begin(), path.end());
        const test::CliRun viaHelp = test::runCliInProcess(helpCommand);
        CHECK(viaHelp.code == 0);
        CHECK(viaHelp.out == help.out);

        CHECK_THAT(help.out, Catch::StartsWith("usage: " + name));
        CHECK_THAT(help.out, Catch::Contains("\nexamples:\n  " + name + " ") ||
                                 Catch::Contains("\nexamples:\n  # "));
        CHECK_THAT(help.out, Catch::Contains("\n  " + name + " "));

        const std::string flat = collapse(help.out);
        for (const CLI::Option* option : line.find(path)->get_options()) {
            // An empty group hides the options that only say where they belong (run --qdq).
            if (option->get_group().empty())
                continue;
            const std::string names = cli::HelpFormatter::optionNames(*option);
            INFO(names);
            CHECK(!collapse(option->get_description()).empty());
            CHECK_THAT(flat, Catch::Contains(" " + names + " "));
            CHECK_THAT(flat, Catch::Contains(collapse(option->get_description())));
            if (!option->get_default_str().empty())
                CHECK_THAT(flat, Catch::Contains("[default: " + option->get_default_str() + "]"));
        }
    }
}

TEST_CASE("wrong arguments: one line naming the culprit, exit code 2", "[cli]") {
    auto check = [](std::vector<std::string> args, const std::string& message,
                    const std::string& command) {
        const test::CliRun r = test::runCliInProcess(std::move(args));
        INFO(r.err);
        CHECK(r.code == 2);
        CHECK(r.out.empty());
        const std::vector<std::string> err = lines(r.err);
        REQUIRE(err.size() == 2);
        CHECK_THAT(err[0],
                   Catch::StartsWith("layerbench-cli: error: ") && Catch::Contains(message));
        CHECK(err[1] == "see 'layerbench-cli " + command + " --help'");
    };
    check({"run", "det.onnx", "--frobnicate"}, "unknown option '--frobnicate'", "run");
    check({"info", "--frobnicate", "det.onnx"}, "unknown option '--frobnicate'", "info");
    check({"run", "det.onnx", "--threads", "0"}, "--threads", "run");
    check({"run", "det.onnx", "--threads", "0"}, "'0'", "run");
    check({"quantize", "det.onnx", "--encodings", "e.json", "--threads", "0"}, "--threads",
          "quantize");
    // The known targets, from the backend registry, in the one line.
    const std::string targets = "takes one of " + backends::targetList() + ", got 'gpu'";
    // run takes named targets too (--target, or --backend as before).
    const std::string runTargets = "takes one of " + run::targetChoices() + ", got 'gpu'";
    check({"run", "det.onnx", "--backend", "gpu"}, "--target: " + runTargets, "run");
    check({"run", "det.onnx", "--target", "gpu"}, "--target: " + runTargets, "run");
    check({"quantize", "det.onnx", "--encodings", "e.json", "--backend", "gpu"},
          "--backend: " + targets, "quantize");
    check({"run", "det.onnx", "--iterations"}, "--iterations needs a value", "run");
    check({"run", "det.onnx", "--seed", "-3"}, "--seed", "run");
    check({"run", "det.onnx", "--int8"}, "--int8 needs --encodings", "run");
    check({"run", "det.onnx", "--qdq", "q.onnx"}, "--qdq: belongs to quantize", "run");
    check({"quantize", "det.onnx"}, "--encodings is required", "quantize");
    check({"quantize", "det.onnx", "--encodings", "e.json", "--act-bw", "7"}, "--act-bw",
          "quantize");
    check({"quantize", "det.onnx", "--encodings", "e.json", "--mean", "0.5,x"}, "--mean",
          "quantize");
    check({"info", "det.onnx", "--shape", "x=1xq"}, "--shape", "info");
    check({"info"}, "MODEL is required", "info");
    check({"encodings", "check", "det.onnx"}, "FILE.json is required", "encodings check");
    check({"encodings"}, "missing command", "encodings");

    const test::CliRun unknown = test::runCliInProcess({"frobnicate"});
    CHECK(unknown.code == 2);
    CHECK_THAT(unknown.err,
               Catch::StartsWith("layerbench-cli: error: unknown command 'frobnicate'"));
}

TEST_CASE("backends lists the registry's backends, as text and as JSON", "[cli]") {
    const test::CliRun json = test::runCliInProcess({"backends", "--json"});
    REQUIRE(json.code == 0);
    CHECK(json.err.empty());
    const nlohmann::json j = nlohmann::json::parse(json.out);
    CHECK(j.at("auto") == backends::availableBackends());
    const std::vector<backends::BackendInfo>& all = backends::registry();
    REQUIRE(j.at("backends").size() == all.size());
    const test::CliRun text = test::runCliInProcess({"backends"});
    REQUIRE(text.code == 0);
    const std::string runHelp = collapse(test::runCliInProcess({"run", "--help"}).out);
    for (size_t k = 0; k < all.size(); ++k) {
        const nlohmann::json& b = j.at("backends").at(k);
        INFO(all[k].name);
        CHECK(b.at("name") == all[k].name);
        CHECK(b.at("description") == all[k].description);
        CHECK(b.at("needs") == all[k].needs);
        CHECK(b.at("int8") == all[k].int8);
        CHECK(b.at("ground_truth") == all[k].groundTruth);
        CHECK(b.at("ops") == all[k].supportedOps());
        CHECK(b.at("ops").size() > 10);
        CHECK_THAT(text.out, Catch::Contains(all[k].name) && Catch::Contains(all[k].description));
        // --backend's help describes each backend too.
        CHECK_THAT(runHelp, Catch::Contains(all[k].name + ": " + collapse(all[k].description)));
    }
}
