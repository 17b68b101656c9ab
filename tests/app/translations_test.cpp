// The committed Spanish translation is complete and current: lupdate runs on today's sources into
// a copy of translations/layerbench_es.ts, and the test fails on a message the sources have and
// the committed file lacks (stale: run `cmake --build build --target update_translations`), one it
// keeps that the sources dropped, and any message left unfinished or empty.
// Catch2's implementation is compiled once, in lb_catch_runner (tests/catch_runner).
#include "catch_runner.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QMap>
#include <QProcess>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <catch2/catch.hpp>

namespace {

struct Message {
    QString type; // "", "unfinished", "vanished", "obsolete"
    QStringList translations;
};

// Context, source and disambiguation comment -> what the .ts says.
using Catalogue = QMap<QString, Message>;

Catalogue readTs(const QString& path) {
    QFile file(path);
    REQUIRE(file.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&file);
    Catalogue out;
    QString context, source, comment;
    Message message;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const auto name = xml.name();
            if (name == QLatin1String("name"))
                context = xml.readElementText();
            else if (name == QLatin1String("message"))
                source.clear(), comment.clear(), message = {};
            else if (name == QLatin1String("source"))
                source = xml.readElementText();
            else if (name == QLatin1String("comment"))
                comment = xml.readElementText();
            else if (name == QLatin1String("translation")) {
                message.type = xml.attributes().value(QLatin1String("type")).toString();
                if (xml.readNext() == QXmlStreamReader::Characters)
                    message.translations << xml.text().toString().trimmed();
            } else if (name == QLatin1String("numerusform"))
                message.translations << xml.readElementText();
        } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
            message.translations.removeAll(QString());
            out.insert(context + QLatin1String(" | ") + source +
                           (comment.isEmpty() ? QString() : QLatin1String(" | ") + comment),
                       message);
        }
    }
    INFO(xml.errorString().toStdString());
    REQUIRE_FALSE(xml.hasError());
    return out;
}

// The files translations/CMakeLists.txt hands lupdate: app/ and widgets/, not the CLI.
QStringList translatedSources() {
    QStringList files;
    for (const char* dir : {"/app", "/widgets"}) {
        QDirIterator it(QStringLiteral(LB_SOURCE_DIR) + QLatin1String(dir),
                        {QStringLiteral("*.cpp"), QStringLiteral("*.h")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            if (!path.contains(QLatin1String("/app/cli/")))
                files << path;
        }
    }
    files.sort();
    return files;
}

} // namespace

TEST_CASE("the Spanish translation covers every message of the sources, all finished",
          "[translations]") {
    const QString committed = QStringLiteral(LB_TS_FILE);
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString fresh = dir.filePath(QStringLiteral("layerbench_es.ts"));
    REQUIRE(QFile::copy(committed, fresh));

    QProcess lupdate;
    QStringList args = {QStringLiteral("-silent"),
                        QStringLiteral("-no-obsolete"),
                        QStringLiteral("-locations"),
                        QStringLiteral("none"),
                        QStringLiteral("-I") + QStringLiteral(LB_SOURCE_DIR),
                        QStringLiteral("-I") + QStringLiteral(LB_SOURCE_DIR "/engine")};
    args << translatedSources() << QStringLiteral("-ts") << fresh;
    lupdate.start(QStringLiteral(LB_LUPDATE), args);
    REQUIRE(lupdate.waitForFinished(120000));
    INFO(QString::fromUtf8(lupdate.readAllStandardError()).toStdString());
    REQUIRE(lupdate.exitCode() == 0);

    const Catalogue have = readTs(committed);
    const Catalogue want = readTs(fresh);
    REQUIRE(want.size() > 300); // lupdate read the sources
    QStringList missing, gone, unfinished;
    for (auto it = want.begin(); it != want.end(); ++it)
        if (!have.contains(it.key()))
            missing << it.key();
    for (auto it = have.begin(); it != have.end(); ++it) {
        if (!want.contains(it.key()))
            gone << it.key();
        else if (!it->type.isEmpty() || it->translations.isEmpty())
            unfinished << it.key();
    }
    {
        INFO("in the sources, not in " << committed.toStdString()
                                       << " (run the update_translations target):\n"
                                       << missing.join(QLatin1Char('\n')).toStdString());
        CHECK(missing.isEmpty());
    }
    {
        INFO("in the .ts, gone from the sources (run the update_translations target):\n"
             << gone.join(QLatin1Char('\n')).toStdString());
        CHECK(gone.isEmpty());
    }
    {
        INFO("without a finished Spanish translation:\n"
             << unfinished.join(QLatin1Char('\n')).toStdString());
        CHECK(unfinished.isEmpty());
    }
}

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    return runCatchSession(argc, argv);
}
