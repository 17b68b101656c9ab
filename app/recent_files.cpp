#include "app/recent_files.h"

#include <QDir>
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

QString RecentFiles::menuLabel(int index, const QString& path, int maxFolderChars) {
    const QFileInfo info(path);
    QString folder = QDir::cleanPath(info.absolutePath());
    const QString home = QDir::cleanPath(QDir::homePath());
    if (!home.isEmpty() && home != QStringLiteral("/") &&
        (folder == home || folder.startsWith(home + QLatin1Char('/'))))
        folder = QStringLiteral("~") + folder.mid(home.size());
    folder = QDir::toNativeSeparators(folder);
    if (maxFolderChars > 3 && folder.size() > maxFolderChars) {
        const int keep = maxFolderChars - 1; // one character for the ellipsis
        folder = folder.left(keep / 2) + QChar(0x2026) + folder.right(keep - keep / 2);
    }
    // "&N " gives the first nine entries a keyboard accelerator; '&' in a name is doubled.
    QString name = info.fileName();
    name.replace(QLatin1Char('&'), QStringLiteral("&&"));
    folder.replace(QLatin1Char('&'), QStringLiteral("&&"));
    const QString number =
        index < 9 ? QStringLiteral("&%1 ").arg(index + 1) : QStringLiteral("%1 ").arg(index + 1);
    return number + name + QStringLiteral("  (") + folder + QLatin1Char(')');
}

} // namespace lb::app
