#include "app/quant_autosave.h"

#include "core/error.h"
#include "quant/encodings_json.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTimer>

namespace lb::app {

QuantAutosave::QuantAutosave(const QString& directory, QObject* parent)
    : QObject(parent), m_timer(new QTimer(this)) {
    const QString dir = directory.isEmpty()
                            ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                            : directory;
    m_path = QDir(dir).filePath(QStringLiteral("unsaved-encodings.json"));
    // A session killed while QSaveFile was writing leaves its temporary (unsaved-encodings.json.
    // and six random characters) beside the last complete autosave: one per crash, forever,
    // unless the next start removes them. (A second instance's write in progress would go too;
    // instances share the one autosave file anyway.)
    const QFileInfo autosave(m_path);
    const QStringList stale =
        autosave.dir().entryList({autosave.fileName() + QStringLiteral(".??????")}, QDir::Files);
    for (const QString& name : stale)
        QFile::remove(autosave.dir().filePath(name));
    m_timer->setSingleShot(true);
    m_timer->setInterval(kDefaultDelayMs);
    connect(m_timer, &QTimer::timeout, this, [this] { flush(); });
}

void QuantAutosave::setDelayMs(int ms) {
    m_timer->setInterval(ms);
}

void QuantAutosave::schedule(const QString& modelPath, const lb::quant::EncodingSet& encodings) {
    m_modelPath = modelPath;
    m_state = encodings;
    m_timer->start();
}

bool QuantAutosave::isScheduled() const {
    return m_timer->isActive();
}

bool QuantAutosave::flush(QString* error) {
    m_timer->stop();
    if (!m_state)
        return true;
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QJsonObject root;
    root.insert(QStringLiteral("model"), m_modelPath);
    root.insert(QStringLiteral("saved_at"), QDateTime::currentDateTime().toString(Qt::ISODate));
    root.insert(QStringLiteral("encodings"), QString::fromStdString(lb::quant::writeEncodingsJson(
                                                 *m_state, lb::quant::EncodingsFormat::V100)));
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(root).toJson()) < 0 ||
        !file.commit()) {
        if (error)
            *error = tr("Cannot write the autosave %1: %2").arg(m_path, file.errorString());
        return false;
    }
    emit written(m_path);
    return true;
}

void QuantAutosave::clear() {
    m_timer->stop();
    m_state.reset();
    QFile::remove(m_path);
}

std::optional<QuantAutosave::Recovered> QuantAutosave::pending() const {
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    Recovered r;
    r.modelPath = root.value(QStringLiteral("model")).toString();
    r.savedAt =
        QDateTime::fromString(root.value(QStringLiteral("saved_at")).toString(), Qt::ISODate);
    try {
        r.encodings = lb::quant::parseEncodingsJson(
            root.value(QStringLiteral("encodings")).toString().toStdString(), m_path.toStdString());
    } catch (const lb::Error&) {
        return std::nullopt; // a damaged autosave holds nothing to offer
    }
    return r;
}

} // namespace lb::app
