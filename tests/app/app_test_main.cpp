#define CATCH_CONFIG_RUNNER
#include <QApplication>
#include <catch2/catch.hpp>

int main(int argc, char** argv) {
    // Widget tests run offscreen, also when ctest lists the test names at build time.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // Settings written by the window under test stay out of the user's configuration.
    QApplication::setOrganizationName(QStringLiteral("LayerBenchTests"));
    QApplication::setApplicationName(QStringLiteral("app_test"));
    QApplication app(argc, argv);
    return Catch::Session().run(argc, argv);
}
