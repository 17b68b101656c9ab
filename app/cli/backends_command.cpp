#include "args.h"
#include "backends/registry.h"
#include "command.h"

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>

namespace lb::cli {

namespace {

struct BackendsArgs {
    bool json = false;
};

nlohmann::json backendsJson() {
    nlohmann::json list = nlohmann::json::array();
    for (const backends::BackendInfo& b : backends::registry())
        list.push_back({{"name", b.name},
                        {"title", b.title},
                        {"description", b.description},
                        {"needs", b.needs},
                        {"int8", b.int8},
                        {"ground_truth", b.groundTruth},
                        {"ops", b.supportedOps()}});
    return {{"auto", backends::availableBackends()}, {"backends", list}};
}

int runBackends(const BackendsArgs& a, CommandIo io) {
    if (a.json) {
        io.out << backendsJson().dump(2) << '\n';
        return 0;
    }
    std::string order;
    for (const std::string& n : backends::availableBackends())
        order += (order.empty() ? "" : ", ") + n;
    io.out << backends::kAutoTarget << "\n  every backend in order of preference (" << order
           << "); each node runs on the first that claims it\n";
    for (const backends::BackendInfo& b : backends::registry()) {
        const std::vector<std::string> ops = b.supportedOps();
        io.out << b.name << (b.groundTruth ? " (ground truth)" : "") << "\n  " << b.description
               << "\n  needs: " << b.needs << "\n  int8: " << (b.int8 ? "yes" : "no")
               << "\n  ops: " << ops.size() << '\n';
    }
    return 0;
}

CommandAction defineBackends(CLI::App& app) {
    auto a = std::make_shared<BackendsArgs>();
    app.description(
        "List the backends this build runs models on.\n\n"
        "For each backend (the values --backend takes besides auto): what it runs, what it needs "
        "of the machine, whether it has real int8 kernels, and how many ops its kernel table "
        "has (--json lists them). auto tries them in the order shown; a backend falls back to "
        "the ground truth for the nodes it declines, and a run's report says why per node.");
    app.add_flag("--json", a->json,
                 "print the list as JSON (name, description, needs, int8, ground_truth, ops)");
    app.footer("# what this build runs models on, and what each backend needs\n"
               "layerbench-cli backends\n"
               "# the same with every backend's op list, for tools\n"
               "layerbench-cli backends --json > backends.json");
    return [a](CommandIo io) { return runBackends(*a, io); };
}

} // namespace

const Command& backendsCommand() {
    static const Command command{"backends", &defineBackends};
    return command;
}

} // namespace lb::cli
