#include "app/language.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace lb::app {

namespace {

const QStringList kTranslatedLanguages = {QStringLiteral("es")};

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
    if (language == QLatin1String("en"))
        return language; // the source strings are English
    const QLocale locale(language);
    QLocale::setDefault(locale);

    auto* own = new QTranslator(&app);
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
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        app.installTranslator(qt);
    else
        delete qt;
    return language;
}

} // namespace lb::app
