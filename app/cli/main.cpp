#include "core/error.h"

#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
    if (argc > 1 && std::strcmp(argv[1], "--version") == 0) {
        std::printf("layerbench-cli %s\n", LB_VERSION);
        return 0;
    }
    std::fprintf(stderr, "usage: layerbench-cli --version\n");
    return 2;
}
