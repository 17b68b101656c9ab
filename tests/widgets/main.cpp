// Catch2's implementation is compiled once, in lb_catch_runner (tests/catch_runner).
#include "catch_runner.h"

#include <QApplication>

int main(int argc, char* argv[]) {
    // Widgets need a QApplication before any test runs; ctest sets QT_QPA_PLATFORM=offscreen and a
    // direct run without a display gets the same default.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    return runCatchSession(argc, argv);
}
