#include "command.h"

#include <iostream>

int main(int argc, char** argv) {
    return lb::cli::runCli(argc, argv, std::cout, std::cerr);
}
