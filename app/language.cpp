#include "app/language.h"

#include <QCoreApplication>
#include <QDir>
#include <QEvent>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace lb::app {

namespace {

const QStringList kTranslatedLanguages = {QStringLiteral("es")};
// The translators installTranslators() made: the next call removes them.
const QString kTranslatorName = QStringLiteral("lb_ui_translator");

QStringList translationDirs() {
    const QString appDir = QCoreApplication::applicationDirPath();
    return {QDir(appDir).filePath(QStringLiteral("../share/layerbench/translations")),
            QStringLiteral(":/layerbench/translations")};
}

} // namespace

QString resolveLanguage(const QString& choice) {
    QString code = choice;
    if (code.isEmpty() || code == QLatin1String("system"))
        code = QLocale::system().name().section(QLatin1Char('_'), 0, 0);
    return kTranslatedLanguages.contains(code) ? code : QStringLiteral("en");
}

QString installTranslators(QCoreApplication& app, const QString& choice) {
    const QString language = resolveLanguage(choice);
    // Numbers follow the UI language, not the system's: an English UI on a German system writes
    // 20.0 dB, never 20,0 beside English words.
    const QLocale locale(language);
    QLocale::setDefault(locale);
    // Widgets cache their locale: QApplication hands the new default to each on LocaleChange.
    QEvent localeChange(QEvent::LocaleChange);
    QCoreApplication::sendEvent(&app, &localeChange);

    for (QTranslator* old :
         app.findChildren<QTranslator*>(kTranslatorName, Qt::FindDirectChildrenOnly)) {
        QCoreApplication::removeTranslator(old);
        delete old;
    }
    if (language == QLatin1String("en"))
        return language; // the source strings are English

    auto* own = new QTranslator(&app);
    own->setObjectName(kTranslatorName);
    bool loaded = false;
    for (const QString& dir : translationDirs()) {
        if (own->load(locale, QStringLiteral("layerbench"), QStringLiteral("_"), dir)) {
            loaded = true;
            break;
        }
    }
    if (loaded)
        app.installTranslator(own);
    else
        delete own;

    auto* qt = new QTranslator(&app);
    qt->setObjectName(kTranslatorName);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        app.installTranslator(qt);
    else
        delete qt;
    return language;
}

} // namespace lb::app
