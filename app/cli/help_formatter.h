#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace lb::cli {

// Help pages in the shape of git's and cargo's: usage, the description, one entry per argument
// and option (what it does, [default: ...], [allowed values]), subcommands, examples. The
// examples are the app's footer, one command (or "# comment") per line.
class HelpFormatter : public CLI::Formatter {
public:
    std::string make_help(const CLI::App* app, std::string name,
                          CLI::AppFormatMode mode) const override;

    // "layerbench-cli encodings check" for the app `check`.
    static std::string commandPath(const CLI::App& app);
    // An option's names as help shows them: "-h, --help", "--threads", "MODEL".
    static std::string optionNames(const CLI::Option& option);
};

} // namespace lb::cli
