#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace lb::app {

// The words the GUI shows for the engine's progress stages. The engine is Qt-free and reports
// short ids ("kernels", "scene", "calibrating", a graph pass's name); the status bar shows them
// through here, in the UI language.
class ProgressStage {
    Q_DECLARE_TR_FUNCTIONS(ProgressStage)

public:
    // The stage in words; an id not listed is shown as it is (isKnown() says which are).
    static QString text(const QString& id);
    static bool isKnown(const QString& id);
};

} // namespace lb::app
