#pragma once

#include <QString>

class QCoreApplication;

namespace lb::app {

// Resolves a language choice ("system", "en", "es") to a UI language code: "system" follows
// QLocale::system(), anything without a translation falls back to English.
QString resolveLanguage(const QString& choice);

// Installs LayerBench's translation (an installed share/layerbench/translations/*.qm wins over
// the embedded one) and Qt's own qtbase translation when present. Returns the language in use.
QString installTranslators(QCoreApplication& app, const QString& choice);

} // namespace lb::app
