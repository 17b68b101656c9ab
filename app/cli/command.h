#pragma once

#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace lb::cli {

// Wrong arguments: printed with the command's usage, exit code 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct CommandIo {
    std::ostream& out;
    std::ostream& err;
};

// One subcommand. Each lives in its own <name>_command.cpp and is listed in cli.cpp's table.
struct Command {
    const char* name;
    const char* summary;
    const char* usage; // after "layerbench-cli "
    // Arguments after the subcommand name; returns the exit code. Throws UsageError or lb::Error.
    int (*run)(const std::vector<std::string>& args, CommandIo io);
};

const Command& infoCommand();
const Command& runCommand();
const Command& quantizeCommand();
const Command& encodingsCommand();

// The whole CLI: parses argv, dispatches, maps errors to messages and exit codes.
int runCli(int argc, char** argv, std::ostream& out, std::ostream& err);

} // namespace lb::cli
