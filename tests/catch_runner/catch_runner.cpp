// Catch2's implementation for the test executables that bring their own main() (they make a
// QApplication first): compiled once here instead of in each of those mains.
#define CATCH_CONFIG_RUNNER
#include "catch_runner.h"

#include <catch2/catch.hpp>

int runCatchSession(int argc, char** argv) {
    return Catch::Session().run(argc, argv);
}
