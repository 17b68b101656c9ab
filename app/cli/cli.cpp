#include "command.h"
#include "core/error.h"

#include <array>
#include <functional>

namespace lb::cli {

namespace {

constexpr const char* kProgram = "layerbench-cli";

std::vector<std::reference_wrapper<const Command>> commands() {
    return {std::cref(infoCommand()), std::cref(runCommand()), std::cref(quantizeCommand()),
            std::cref(encodingsCommand())};
}

void printHelp(std::ostream& out) {
    out << "usage: " << kProgram << " <command> [arguments]\n\n"
        << "LayerBench command-line tool: inspect, run and quantize ONNX models.\n\ncommands:\n";
    for (const Command& c : commands())
        out << "  " << c.name
            << std::string(12 - std::min<size_t>(11, std::string(c.name).size()), ' ') << c.summary
            << '\n';
    out << "  help        show this help, or a command's usage: help <command>\n"
        << "\noptions:\n  --version   print the version\n  --help      show this help\n";
}

const Command* findCommand(const std::string& name) {
    for (const Command& c : commands())
        if (name == c.name)
            return &c;
    return nullptr;
}

} // namespace

int runCli(int argc, char** argv, std::ostream& out, std::ostream& err) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        printHelp(err);
        return 2;
    }
    const std::string& first = args.front();
    if (first == "--version" || first == "version") {
        out << kProgram << ' ' << LB_VERSION << '\n';
        return 0;
    }
    if (first == "--help" || first == "-h" || first == "help") {
        if (args.size() > 1) {
            if (const Command* c = findCommand(args[1])) {
                out << "usage: " << kProgram << ' ' << c->usage << '\n';
                return 0;
            }
            err << kProgram << ": error: unknown command '" << args[1] << "'\n";
            return 2;
        }
        printHelp(out);
        return 0;
    }
    const Command* command = findCommand(first);
    if (!command) {
        err << kProgram << ": error: unknown command '" << first << "' (see '" << kProgram
            << " --help')\n";
        return 2;
    }
    try {
        return command->run({args.begin() + 1, args.end()}, CommandIo{out, err});
    } catch (const UsageError& e) {
        err << kProgram << ": error: " << e.what() << '\n'
            << "usage: " << kProgram << ' ' << command->usage << '\n';
        return 2;
    } catch (const Error& e) {
        err << kProgram << ": error: " << e.what() << '\n';
        return 1;
    } catch (const std::exception& e) {
        err << kProgram << ": error: " << command->name << ": " << e.what() << '\n';
        return 1;
    }
}

} // namespace lb::cli
