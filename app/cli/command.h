#pragma once

#include <functional>
#include <ostream>
#include <stdexcept>
#include <string>

namespace CLI {
class App;
} // namespace CLI

namespace lb::cli {

// Wrong arguments found after parsing (options that only make sense together, ...): exit code 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct CommandIo {
    std::ostream& out;
    std::ostream& err;
    // Whether `err` is a terminal: progress redraws one line there, and prints a few plain lines
    // elsewhere (logs, CI, tests).
    bool errIsTerminal = false;
};

// What runs once a command's options are parsed; returns the exit code. Throws UsageError or
// lb::Error.
using CommandAction = std::function<int(CommandIo)>;

// One subcommand. Each lives in its own <name>_command.cpp and is listed in command_line.cpp.
struct Command {
    const char* name;
    // Declares the command's options, help text and examples on `app` (a CLI11 subcommand, or
    // one with subcommands of its own); the action reads the values the parse stores.
    CommandAction (*define)(CLI::App& app);
};

const Command& infoCommand();
const Command& runCommand();
const Command& quantizeCommand();
const Command& encodingsCommand();
const Command& backendsCommand();
const Command& benchCommand();
const Command& compareCommand();
const Command& recommendCommand();
const Command& importCommand();

// The whole CLI: parses argv, dispatches, maps errors to messages and exit codes. Writes only to
// `out` and `err`; never exits the process.
int runCli(int argc, char** argv, std::ostream& out, std::ostream& err, bool errIsTerminal = false);

} // namespace lb::cli
