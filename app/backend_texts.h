#pragma once

#include "backends/registry.h"

#include <QCoreApplication>
#include <QString>

namespace lb::app {

// The backend registry's words (backends::BackendInfo's title and description) in the UI
// language. The registry is Qt-free and English; the texts are listed here for lupdate, keyed by
// their English, and tests/app fails on a registry text missing from the list.
class BackendTexts {
    Q_DECLARE_TR_FUNCTIONS(BackendTexts)

public:
    static QString title(const backends::BackendInfo& backend);
    static QString description(const backends::BackendInfo& backend);
    // Whether an English text of the registry is listed (has a translation to look up).
    static bool isKnown(const std::string& english);
};

} // namespace lb::app
