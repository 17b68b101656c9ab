#pragma once

#include <QString>

class QCoreApplication;

namespace lb::app {

// Resolves a language choice ("system", "en", "es") to a UI language code: "system" follows
// QLocale::system(), anything without a translation falls back to English.
QString resolveLanguage(const QString& choice);

// Switches the UI language, at start or at run time: the default QLocale becomes the language's
// (numbers, dates, spin boxes), LayerBench's translation (an installed
// share/layerbench/translations/*.qm wins over the embedded one) and Qt's own qtbase translation
// replace the ones a previous call installed, and every widget gets QEvent::LocaleChange and
// QEvent::LanguageChange (posted: they arrive once the event loop runs). Returns the language in
// use.
QString installTranslators(QCoreApplication& app, const QString& choice);

} // namespace lb::app
