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
    // So does the encodings autosave (AppDataLocation): ctest runs each test case in a process of
    // its own, two at a time, and one case clearing the autosave while another recovers from it
    // failed "recovery accepted after the model has loaded" now and then.
    QTemporaryDir data;
    qputenv("XDG_DATA_HOME", data.path().toUtf8());
    QApplication::setOrganizationName(QStringLiteral("LayerBenchTests"));
    QApplication::setApplicationName(QStringLiteral("app_test"));
    QApplication app(argc, argv);
    app.setProperty("lbTestSettingsDir", settings.path());
    return runCatchSession(argc, argv);
}
