#include "command.h"
#include "command_line.h"
#include "core/error.h"
#include "help_formatter.h"

#include <CLI/CLI.hpp>

namespace lb::cli {

namespace {

constexpr const char* kProgram = CommandLine::kProgram;

// CLI11's message, in the words the hand-written parser used where CLI11's say less.
std::string parseErrorMessage(const CLI::ParseError& e, const CommandLine& line) {
    const CLI::App& app = line.selected();
    const std::vector<std::string> rest = line.selected().remaining();
    if (dynamic_cast<const CLI::ExtrasError*>(&e) && !rest.empty()) {
        if (rest.front().rfind('-', 0) == 0)
            return "unknown option '" + rest.front() + "'";
        return "unexpected argument '" + rest.front() + "'";
    }
    if (dynamic_cast<const CLI::RequiredError*>(&e) && app.get_require_subcommand_min() > 0 &&
        app.get_subcommands().empty()) {
        if (!rest.empty())
            return (rest.front().rfind('-', 0) == 0 ? "unknown option '" : "unknown command '") +
                   rest.front() + "'";
        return "missing command after '" + HelpFormatter::commandPath(app) + "'";
    }
    const std::string what = e.what();
    // "--threads: 1 required N:a whole number >= 1 missing" when the value is absent
    if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) && what.size() > 8 &&
        what.compare(what.size() - 8, 8, " missing") == 0)
        return what.substr(0, what.find(':')) + " needs a value";
    return what;
}

void usageError(std::ostream& err, const std::string& message, const std::string& command) {
    err << kProgram << ": error: " << message << '\n' << "see '" << command << " --help'\n";
}

} // namespace

int runCli(int argc, char** argv, std::ostream& out, std::ostream& err, bool errIsTerminal) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    CommandLine line;
    if (args.empty()) {
        err << line.root().help();
        return 2;
    }
    if (args.front() == "--version" || args.front() == "version") {
        out << kProgram << ' ' << LB_VERSION << '\n';
        return 0;
    }
    if (args.front() == "help") { // help [COMMAND...]: the same page as COMMAND --help
        for (size_t k = 2; k <= args.size(); ++k)
            if (!line.find({args.begin() + 1, args.begin() + k})) {
                usageError(err, "unknown command '" + args[k - 1] + "'", std::string(kProgram));
                return 2;
            }
        out << line.find({args.begin() + 1, args.end()})->help();
        return 0;
    }

    try {
        // CLI11 wants the arguments last to first.
        line.root().parse(std::vector<std::string>(args.rbegin(), args.rend()));
    } catch (const CLI::CallForHelp&) {
        out << line.selected().help();
        return 0;
    } catch (const CLI::CallForAllHelp&) {
        out << line.selected().help();
        return 0;
    } catch (const CLI::ParseError& e) {
        usageError(err, parseErrorMessage(e, line), HelpFormatter::commandPath(line.selected()));
        return 2;
    }
    const CLI::App& command = line.selected();
    const std::string name = HelpFormatter::commandPath(command);
    try {
        return line.action()(CommandIo{out, err, errIsTerminal});
    } catch (const UsageError& e) {
        usageError(err, e.what(), name);
        return 2;
    } catch (const Error& e) {
        err << kProgram << ": error: " << e.what() << '\n';
        return 1;
    } catch (const std::exception& e) {
        err << kProgram << ": error: " << command.get_name() << ": " << e.what() << '\n';
        return 1;
    }
}

} // namespace lb::cli
