#pragma once

#include "core/shape.h"

#include <QString>
#include <QStringList>
#include <map>
#include <string>

namespace lb::app {

// layerbench [MODEL] [--shape NAME=DIMS]... [--screenshot FILE.png] [--lang es|en]
struct StartupOptions {
    QString model;
    std::map<std::string, Shape> inputShapes;
    QString screenshot;
    QString language; // empty: the Settings choice
    bool showHelp = false;
    bool showVersion = false;
    QString helpText;
    QString error; // non-empty when the command line is invalid
};

StartupOptions parseStartupOptions(const QStringList& arguments);

} // namespace lb::app
