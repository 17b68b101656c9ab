#include "command_line.h"

#include "help_formatter.h"

#include <CLI/CLI.hpp>
#include <functional>

namespace lb::cli {

namespace {

std::vector<std::reference_wrapper<const Command>> commands() {
    return {std::cref(infoCommand()),     std::cref(runCommand()),
            std::cref(quantizeCommand()), std::cref(encodingsCommand()),
            std::cref(backendsCommand()), std::cref(benchCommand()),
            std::cref(compareCommand()),  std::cref(recommendCommand()),
            std::cref(importCommand())};
}

} // namespace

CommandLine::CommandLine()
    : m_root(std::make_unique<CLI::App>(
          "LayerBench command-line tool: inspect, run, quantize and compare "
          "ONNX models.\n\n"
          "Each command answers --help (or 'help COMMAND') with "
          "its options, their defaults and examples.",
          kProgram)) {
    // Set before the subcommands exist: they copy these from their parent.
    m_root->formatter(std::make_shared<HelpFormatter>());
    m_root->set_help_flag("-h,--help", "show this help and exit");
    // As the hand-written parser did: a repeated option keeps its last value.
    m_root->option_defaults()->take_last();
    // runCli answers --version before parsing; declared here for the help page.
    m_root->add_flag_callback(
        "--version", [] {}, "print the version and exit");
    m_root->require_subcommand(1);
    m_root->footer(std::string(kProgram) + " help run\n" + kProgram +
                   " info det.onnx --shape x=1x3x640x640");
    for (const Command& c : commands()) {
        CLI::App* app = m_root->add_subcommand(c.name);
        m_actions[app] = c.define(*app);
    }
}

CommandLine::~CommandLine() = default;

const CLI::App* CommandLine::find(const std::vector<std::string>& path) const {
    const CLI::App* app = m_root.get();
    for (const std::string& name : path) {
        const auto subs =
            app->get_subcommands([&](const CLI::App* s) { return s->get_name() == name; });
        if (subs.empty())
            return nullptr;
        app = subs.front();
    }
    return app;
}

const CLI::App& CommandLine::selected() const {
    const CLI::App* app = m_root.get();
    for (;;) {
        const auto parsed = app->get_subcommands([](const CLI::App* s) { return s->parsed(); });
        if (parsed.empty())
            return *app;
        app = parsed.front();
    }
}

CommandAction CommandLine::action() const {
    for (const CLI::App* app = &selected(); app; app = app->get_parent())
        if (auto it = m_actions.find(app); it != m_actions.end())
            return it->second;
    return {};
}

} // namespace lb::cli
