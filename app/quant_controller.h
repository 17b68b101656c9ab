#pragma once

#include "app/engine_worker.h"
#include "app/model_document.h"
#include "app/quant_request.h"
#include "quant/encodings_json.h"
#include "quant/name_check.h"

#include <QObject>
#include <QString>
#include <map>
#include <memory>
#include <optional>

namespace lb::widgets {
class QuantView;
}

namespace lb::app {

class AppSettings;
class DocumentController;
class QuantAutosave;
class QuantPanel;
class StatusReporter;

// Quantization of the open model: calibration and analysis on the engine worker (the Quantize
// panel's request), re-measures of edited encodings and re-analyses of new ones, the Encodings
// table's edits with their autosave and crash recovery, encodings imports and exports, and the
// QDQ model export. Every set of encodings the table gets (calibrated, imported, recovered,
// edited) is recorded as an encodings version of the model version, which also keeps the
// calibration's probe and the file a save writes to.
class QuantController : public QObject {
    Q_OBJECT

public:
    QuantController(EngineWorker* worker, DocumentController* documents, StatusReporter* status,
                    AppSettings* settings, QuantPanel* panel, widgets::QuantView* view,
                    QObject* parent = nullptr);

    QuantAutosave* autosave() const { return m_autosave; }
    // Calibrates and analyses the open model with the Quantize panel's settings.
    void quantize();
    void quantize(QuantizeRequest request);

    // Offers unsaved encoding edits a crashed session left behind. `answer`: recover (true) or
    // discard (false) them without asking (--recover); nullopt: ask.
    void offerEncodingsRecovery(std::optional<bool> answer = std::nullopt);
    // Loads recovered edits for the open model (or opens it first) as unsaved. By value: the
    // set is kept until the model is open, so it must not refer to the caller's copy.
    void recoverEncodings(const QString& modelPath, quant::EncodingSet encodings);
    bool hasUnsavedEncodings() const;
    // Save / Discard / Cancel for unsaved encoding edits; false: keep them (and the document).
    bool confirmClose();
    // Whether an open may replace the document: yes while it opens a recovery's model.
    bool mayReplaceDocument();

    bool exportEncodings(const QString& path, quant::EncodingsFormat format);
    bool saveEncodingsDialog();
    // Checks `path` against the open model, then replaces the encodings with the entries that fit
    // it; nothing when none fits, or when the user cancels the list of problems (asked only when
    // interactive; otherwise the entries that fit are imported). False when nothing was imported.
    bool importEncodings(const QString& path);
    void importEncodingsDialog();
    // The check of the last file importEncodings read, imported or refused (nullopt if it could
    // not be read). A refusal makes no encodings version, so the check is kept here.
    const std::optional<quant::EncodingsCheck>& lastImportCheck() const { return m_importCheck; }

    // The encodings in the Encodings table as a QDQ ONNX model with the Input shapes field's
    // shapes, written on the engine worker (qdqExported or exportFailed follows); false when
    // there is nothing to export or a shape is missing.
    bool exportQdq(const QString& path);
    void exportQdqDialog();
    bool canExportQdq() const;

    // A new document: the panel's model is its, the view and table are empty, and recovered
    // edits waiting for this model are applied.
    void showDocument(const ModelDocument& document);

signals:
    // A calibration + analysis finished and is shown in the quantization view.
    void quantizeShown();
    void quantizeFailed(const QString& message);
    void remeasureShown(double elapsedMs);
    void reanalysisShown();
    // Recovered encodings are in the Encodings table (as unsaved edits).
    void encodingsRecovered();
    // Encodings came in from a file or a recovery: the quantization view should come forward.
    void viewRequested();
    // An encodings file was not imported (unreadable, or no entry fits the model); one line.
    void importFailed(const QString& message);
    // A QDQ model was written; `summary` is the line the status bar shows.
    void qdqExported(const QString& path, const QString& summary);
    void exportFailed(const QString& message);
    // A QDQ export started or ended (the action is off meanwhile).
    void exportBusyChanged();

private:
    void onJobProgress(EngineWorker::JobId job, double fraction, const QString& stage);
    void onJobFailed(EngineWorker::JobId job, const QString& message);
    void onJobFinished(EngineWorker::JobId job);
    void onQuantizeFinished(EngineWorker::JobId job, const QuantResult& result);
    void onRemeasureRequested(const QString& tensor,
                              std::shared_ptr<const quant::EncodingSet> encodings, bool preview);
    void onRemeasured(EngineWorker::JobId job, const RemeasureResult& result);
    // New encodings as a whole (import, recovery): measure them all, or say why not.
    void reanalyzeEncodings();
    void onReanalyzed(EngineWorker::JobId job, const ReanalysisResult& result);
    void onQdqExported(EngineWorker::JobId job, const QdqExportSummary& summary);
    bool isRemeasureJob(EngineWorker::JobId job) const;
    const ModelDocument* document() const;

    EngineWorker* m_worker;
    DocumentController* m_documents;
    StatusReporter* m_status;
    AppSettings* m_settings;
    QuantPanel* m_panel;
    widgets::QuantView* m_view;
    QuantAutosave* m_autosave;

    std::optional<EngineWorker::JobId> m_quantJob;
    std::shared_ptr<project::ModelVersion> m_quantVersion; // the version m_quantJob calibrates
    // The latest re-measure job per tensor: edits of different tensors do not replace each other.
    std::map<QString, EngineWorker::JobId> m_remeasureJobs;
    std::optional<EngineWorker::JobId> m_reanalyzeJob;
    std::optional<EngineWorker::JobId> m_qdqJob;
    // Recovered edits for a model that is not open yet: applied once it is.
    std::optional<quant::EncodingSet> m_pendingRecovery;
    QString m_pendingRecoveryPath;
    std::optional<quant::EncodingsCheck> m_importCheck;
};

} // namespace lb::app
