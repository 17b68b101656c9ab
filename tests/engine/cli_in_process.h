#pragma once

// layerbench-cli run in the test's own process (app/cli/command.h), for the tests that drive a
// whole command and then read what it wrote.

#include "command.h"

#include <sstream>
#include <string>
#include <vector>

namespace lb::test {

struct CliRun {
    int code = 0;
    std::string out, err;
};

// `args` without the program name.
inline CliRun runCliInProcess(std::vector<std::string> args) {
    args.insert(args.begin(), "layerbench-cli");
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    std::ostringstream out, err;
    CliRun r;
    r.code = cli::runCli(static_cast<int>(argv.size()), argv.data(), out, err);
    r.out = out.str();
    r.err = err.str();
    return r;
}

} // namespace lb::test
