#pragma once

#include "core/shape.h"

#include <QString>
#include <QStringList>
#include <map>
#include <optional>
#include <string>

namespace lb::app {

// layerbench [MODEL] [--shape NAME=DIMS]... [--run [--backend B] [--threads N]]
//            [--recover yes|no] [--screenshot FILE.png] [--lang es|en]
struct StartupOptions {
    QString model;
    std::map<std::string, Shape> inputShapes;
    QString screenshot;
    QString language;      // empty: the Settings choice
    bool run = false;      // profile once after opening (the screenshot then shows the profile)
    bool quantize = false; // calibrate (random data) + analyse once after opening
    QString backend;       // empty: the Run panel's default
    int threads = 0;       // 0: the Run panel's default
    std::optional<bool> recover; // --recover yes|no answers the crash-recovery question
    bool showHelp = false;
    bool showVersion = false;
    QString helpText;
    QString error; // non-empty when the command line is invalid
};

StartupOptions parseStartupOptions(const QStringList& arguments);

} // namespace lb::app
