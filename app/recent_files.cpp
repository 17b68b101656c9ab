#include "app/recent_files.h"

#include <QFileInfo>

namespace lb::app {

namespace {

QString normalized(const QString& path) {
    const QFileInfo info(path);
    return info.exists() ? info.canonicalFilePath() : info.absoluteFilePath();
}

} // namespace

RecentFiles::RecentFiles(QStringList paths) {
    // Added oldest first so the newest ends up in front and duplicates collapse.
    for (auto it = paths.crbegin(); it != paths.crend(); ++it) {
        if (!it->isEmpty())
            add(*it);
    }
}

void RecentFiles::add(const QString& path) {
    const QString entry = normalized(path);
    m_paths.removeAll(entry);
    m_paths.prepend(entry);
    while (m_paths.size() > kMaxEntries)
        m_paths.removeLast();
}

void RecentFiles::remove(const QString& path) {
    m_paths.removeAll(path);
    m_paths.removeAll(normalized(path));
}

QStringList RecentFiles::pruneMissing() {
    QStringList missing;
    QStringList kept;
    for (const QString& path : m_paths) {
        if (QFileInfo(path).isFile())
            kept << path;
        else
            missing << path;
    }
    m_paths = kept;
    return missing;
}

} // namespace lb::app
