// Catch2's implementation is compiled once, in lb_catch_runner (tests/catch_runner).
#include "catch_runner.h"

#include <QApplication>
#include <QSettings>
#include <QTemporaryDir>

int main(int argc, char** argv) {
    // Widget tests run offscreen, also when ctest lists the test names at build time.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // Settings written by the window under test stay out of the user's configuration, and one
    // run's (remembered input shapes, recent files) out of the next run's.
    QTemporaryDir settings;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settings.path());
    // The same for data (the encodings autosave): ctest runs test cases as parallel processes,
    // and one case's recovery must not clear the autosave another is about to recover.
    QTemporaryDir data;
    qputenv("XDG_DATA_HOME", data.path().toLocal8Bit());
    QApplication::setOrganizationName(QStringLiteral("LayerBenchTests"));
    QApplication::setApplicationName(QStringLiteral("app_test"));
    QApplication app(argc, argv);
    app.setProperty("lbTestSettingsDir", settings.path());
    return runCatchSession(argc, argv);
}
