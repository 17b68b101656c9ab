#include "command.h"
#include "runtime/threading.h"

#include <iostream>

int main(int argc, char** argv) {
    lb::runtime::configureThreading(argv);
    return lb::cli::runCli(argc, argv, std::cout, std::cerr);
}
