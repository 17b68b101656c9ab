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
    // The File > Open Recent entry for path `index` (0-based): "&N name  (folder)" with the folder
    // in native separators, the home folder as ~ and the middle elided past `maxFolderChars`, so
    // two models of the same name in different folders (det.onnx from two exports) tell apart.
    static QString menuLabel(int index, const QString& path, int maxFolderChars = 60);

private:
    QStringList m_paths;
};

} // namespace lb::app
