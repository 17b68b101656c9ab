#include "app/app_settings.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace lb::app {

const QString AppSettings::kSystemLanguage = QStringLiteral("system");

namespace {
const QString kLanguageKey = QStringLiteral("ui/language");
const QString kRecentKey = QStringLiteral("files/recent");
const QString kLastDirKey = QStringLiteral("files/lastDirectory");
const QString kExportDirKey = QStringLiteral("files/exportDirectory");
const QString kGeometryKey = QStringLiteral("window/geometry");
const QString kStateKey = QStringLiteral("window/state");
const QString kShowConstantsKey = QStringLiteral("view/showConstantNodes");
const QString kShowMinimapKey = QStringLiteral("view/showMinimap");

// A path is no QSettings key (slashes are groups): its hash is, the path kept beside the shapes.
QString inputShapesKey(const QString& modelPath) {
    const QByteArray path = QFileInfo(modelPath).absoluteFilePath().toUtf8();
    return QStringLiteral("inputShapes/") +
           QString::fromLatin1(QCryptographicHash::hash(path, QCryptographicHash::Sha1).toHex());
}
} // namespace

AppSettings::AppSettings() = default;

bool AppSettings::showConstantNodes() const {
    return m_settings.value(kShowConstantsKey, false).toBool();
}

void AppSettings::setShowConstantNodes(bool show) {
    m_settings.setValue(kShowConstantsKey, show);
}

bool AppSettings::showMinimap() const {
    return m_settings.value(kShowMinimapKey, true).toBool();
}

void AppSettings::setShowMinimap(bool show) {
    m_settings.setValue(kShowMinimapKey, show);
}

QString AppSettings::language() const {
    const QString code = m_settings.value(kLanguageKey, kSystemLanguage).toString();
    if (code == QLatin1String("en") || code == QLatin1String("es"))
        return code;
    return kSystemLanguage;
}

void AppSettings::setLanguage(const QString& code) {
    m_settings.setValue(kLanguageKey, code);
}

QStringList AppSettings::recentFiles() const {
    return m_settings.value(kRecentKey).toStringList();
}

void AppSettings::setRecentFiles(const QStringList& paths) {
    m_settings.setValue(kRecentKey, paths);
}

QByteArray AppSettings::windowGeometry() const {
    return m_settings.value(kGeometryKey).toByteArray();
}

QByteArray AppSettings::windowState() const {
    return m_settings.value(kStateKey).toByteArray();
}

void AppSettings::setWindowGeometry(const QByteArray& geometry) {
    m_settings.setValue(kGeometryKey, geometry);
}

void AppSettings::setWindowState(const QByteArray& state) {
    m_settings.setValue(kStateKey, state);
}

QString AppSettings::lastDirectory() const {
    return m_settings.value(kLastDirKey).toString();
}

void AppSettings::setLastDirectory(const QString& dir) {
    m_settings.setValue(kLastDirKey, dir);
}

QString AppSettings::exportDirectory(const QString& modelPath) const {
    const QString last = m_settings.value(kExportDirKey).toString();
    if (!last.isEmpty() && QFileInfo(last).isDir())
        return last;
    QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (documents.isEmpty() || !QFileInfo(documents).isDir())
        documents = QDir::homePath();
    return defaultExportDirectory(modelPath, documents);
}

void AppSettings::setExportDirectory(const QString& dir) {
    m_settings.setValue(kExportDirKey, dir);
}

QString AppSettings::defaultExportDirectory(const QString& modelPath, const QString& fallback) {
    const QFileInfo folder(QFileInfo(modelPath).absolutePath());
    const QString path = QDir::cleanPath(folder.absoluteFilePath()) + QLatin1Char('/');
    const bool cache = path.contains(QStringLiteral("/.cache/")) ||
                       path.contains(QStringLiteral("/node_modules/"));
    if (modelPath.isEmpty() || cache || !folder.isDir() || !folder.isWritable())
        return fallback;
    return folder.absoluteFilePath();
}

// Kept as "NAME=DIMS" lines (the CLI's --shape form) beside the path, readable in the file.
std::map<std::string, QString> AppSettings::inputShapes(const QString& modelPath) const {
    std::map<std::string, QString> shapes;
    const QString key = inputShapesKey(modelPath);
    if (m_settings.value(key + QStringLiteral("/path")).toString() !=
        QFileInfo(modelPath).absoluteFilePath())
        return shapes; // a hash collision is not this model's
    for (const QString& line : m_settings.value(key + QStringLiteral("/shapes")).toStringList()) {
        const qsizetype eq = line.lastIndexOf(QLatin1Char('='));
        if (eq > 0)
            shapes[line.left(eq).toStdString()] = line.mid(eq + 1);
    }
    return shapes;
}

void AppSettings::setInputShapes(const QString& modelPath,
                                 const std::map<std::string, QString>& shapes) {
    const QString key = inputShapesKey(modelPath);
    m_settings.remove(key);
    if (shapes.empty())
        return;
    QStringList lines;
    for (const auto& [name, shape] : shapes)
        lines << QString::fromStdString(name) + QLatin1Char('=') + shape;
    m_settings.setValue(key + QStringLiteral("/path"), QFileInfo(modelPath).absoluteFilePath());
    m_settings.setValue(key + QStringLiteral("/shapes"), lines);
}

} // namespace lb::app
