#include "app/recent_files.h"

#include <QDir>
#include <QFile>
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
