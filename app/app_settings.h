#pragma once

#include <QByteArray>
#include <QSettings>
#include <QString>
#include <QStringList>
#include <map>
#include <string>

namespace lb::app {

// The application's persistent settings (QSettings, organization "LayerBench").
class AppSettings {
public:
    // Language codes: "system" (QLocale::system), "en", "es".
    static const QString kSystemLanguage;

    AppSettings();

    QString language() const;
    void setLanguage(const QString& code);

    QStringList recentFiles() const;
    void setRecentFiles(const QStringList& paths);

    QByteArray windowGeometry() const;
    QByteArray windowState() const;
    void setWindowGeometry(const QByteArray& geometry);
    void setWindowState(const QByteArray& state);

    // View > Show Constant Nodes (off: single-use Constants are weight rows of their consumer).
    bool showConstantNodes() const;
    void setShowConstantNodes(bool show);

    // View > Minimap (on unless turned off).
    bool showMinimap() const;
    void setShowMinimap(bool show);

    QString lastDirectory() const;
    void setLastDirectory(const QString& dir);

    // Where a save dialog for an export of `modelPath` (graph image, encodings) starts: the
    // folder of the last export if it still exists, else defaultExportDirectory.
    QString exportDirectory(const QString& modelPath) const;
    void setExportDirectory(const QString& dir);
    // The model's folder when it is writable and not inside a cache or a package (~/.cache,
    // node_modules: where the set-up's models live), else `fallback` (the Documents folder).
    static QString defaultExportDirectory(const QString& modelPath, const QString& fallback);

    // The input shapes last used with a model file, keyed by its absolute path (input name ->
    // "1x3x48x192"); empty when none were kept. An empty map forgets them.
    std::map<std::string, QString> inputShapes(const QString& modelPath) const;
    void setInputShapes(const QString& modelPath, const std::map<std::string, QString>& shapes);

private:
    QSettings m_settings;
};

} // namespace lb::app
