#include "runtime/threading.h"

#include <cstdlib>
#include <unistd.h>

namespace lb::runtime {

void configureThreading(char** argv) {
    if (std::getenv("OMP_WAIT_POLICY") || std::getenv("GOMP_SPINCOUNT") || !argv || !argv[0])
        return;
    if (setenv("OMP_WAIT_POLICY", "PASSIVE", 1) != 0)
        return;
    // The variable set above also keeps the new image from re-executing again.
    execv("/proc/self/exe", argv);
    unsetenv("OMP_WAIT_POLICY"); // exec failed: the loaded libgomp keeps spinning anyway
}

} // namespace lb::runtime
