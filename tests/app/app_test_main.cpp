#define CATCH_CONFIG_RUNNER
#include <QApplication>
#include <catch2/catch.hpp>

int main(int argc, char** argv) {
    // Settings written by the window under test stay out of the user's configuration.
    QApplication::setOrganizationName(QStringLiteral("LayerBenchTests"));
    QApplication::setApplicationName(QStringLiteral("app_test"));
    QApplication app(argc, argv);
    return Catch::Session().run(argc, argv);
}
