#pragma once

#include <QStringList>

namespace lb::app {

// Most-recently-opened model files, newest first, without duplicates, at most kMaxEntries.
class RecentFiles {
public:
    static constexpr int kMaxEntries = 10;

    explicit RecentFiles(QStringList paths = {});

    void add(const QString& path);
    void remove(const QString& path);
    void clear() { m_paths.clear(); }
    // Drops entries whose file no longer exists; returns the dropped paths.
    QStringList pruneMissing();
    const QStringList& paths() const { return m_paths; }

private:
    QStringList m_paths;
};

} // namespace lb::app
