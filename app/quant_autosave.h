#pragma once

#include "quant/encoding_set.h"

#include <QDateTime>
#include <QObject>
#include <QString>
#include <optional>

class QTimer;

namespace lb::app {

// Unsaved encoding edits written to disk a few seconds after each edit (QSaveFile, so a crash
// mid-write leaves the previous copy), removed once the edits are saved or discarded. A file
// still there at the next start means the application did not close normally: pending() offers
// it for recovery.
class QuantAutosave : public QObject {
    Q_OBJECT

public:
    static constexpr int kDefaultDelayMs = 3000;

    // `directory` empty: QStandardPaths::AppDataLocation.
    explicit QuantAutosave(const QString& directory = {}, QObject* parent = nullptr);

    QString filePath() const { return m_path; }
    void setDelayMs(int ms);
    // An edit: keep this state and write it when the delay has passed without another edit.
    void schedule(const QString& modelPath, const lb::quant::EncodingSet& encodings);
    // Writes the scheduled state now (if any). Returns false with a message when it cannot.
    bool flush(QString* error = nullptr);
    // The edits were saved or discarded: nothing to recover.
    void clear();
    bool isScheduled() const;

    struct Recovered {
        QString modelPath;
        lb::quant::EncodingSet encodings;
        QDateTime savedAt;
    };
    // What an earlier session left behind, if anything readable.
    std::optional<Recovered> pending() const;

signals:
    void written(const QString& path);

private:
    QString m_path;
    QTimer* m_timer = nullptr;
    QString m_modelPath;
    std::optional<lb::quant::EncodingSet> m_state;
};

} // namespace lb::app
