#pragma once

#include "run/targets.h"

#include <QCoreApplication>
#include <QString>

namespace lb::widgets {

// The named targets' words (run::TargetInfo's title and description) in the UI language. The
// engine's list is Qt-free and English; its texts are listed here for lupdate, keyed by their
// English, and a test fails on a target text missing from the list.
class TargetTexts {
    Q_DECLARE_TR_FUNCTIONS(TargetTexts)

public:
    static QString title(const run::TargetInfo& target);
    static QString description(const run::TargetInfo& target);
    static bool isKnown(const std::string& english);
};

} // namespace lb::widgets
