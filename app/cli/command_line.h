#pragma once

#include "command.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace lb::cli {

// layerbench-cli's command line as one CLI11 tree: every command's options, help text, examples
// and action. runCli parses with it; the help test walks it to find every option.
class CommandLine {
public:
    static constexpr const char* kProgram = "layerbench-cli";

    CommandLine();
    ~CommandLine();

    CLI::App& root() { return *m_root; }
    // The command at `path` ({"encodings", "check"}), or nullptr.
    const CLI::App* find(const std::vector<std::string>& path) const;
    // The deepest command the last parse reached (the root when none).
    const CLI::App& selected() const;
    // The action of the command the last parse selected (empty when none).
    CommandAction action() const;

private:
    std::unique_ptr<CLI::App> m_root;
    std::map<const CLI::App*, CommandAction> m_actions;
};

} // namespace lb::cli
