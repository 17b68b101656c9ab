#include "command.h"

#include <cstdio>
#include <iostream>
#include <unistd.h>

int main(int argc, char** argv) {
    return lb::cli::runCli(argc, argv, std::cout, std::cerr, isatty(fileno(stderr)) != 0);
}
