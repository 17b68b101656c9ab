#include "app/export_controller.h"

#include "app/app_settings.h"
#include "app/document_controller.h"
#include "app/run_controller.h"
#include "app/status_reporter.h"
#include "report/profile_report.h"
#include "widgets/graph_view.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QSaveFile>
#include <nlohmann/json.hpp>

namespace lb::app {

ExportController::ExportController(DocumentController* documents, RunController* runs,
                                   StatusReporter* status, AppSettings* settings,
                                   widgets::GraphView* graph, QObject* parent)
    : QObject(parent), m_documents(documents), m_runs(runs), m_status(status), m_settings(settings),
      m_graph(graph) {}

void ExportController::exportGraphDialog(bool svg) {
    const ModelDocument* document = m_documents->document();
    if (!document)
        return;
    const QString base = QFileInfo(document->path()).completeBaseName();
    const QString suffix = svg ? QStringLiteral(".svg") : QStringLiteral(".png");
    const QString path = QFileDialog::getSaveFileName(
        m_status->window(), svg ? tr("Export Graph as SVG") : tr("Export Graph as PNG"),
        QDir(m_settings->exportDirectory(document->path())).filePath(base + suffix),
        svg ? tr("SVG images (*.svg)") : tr("PNG images (*.png)"));
    if (path.isEmpty())
        return;
    const bool written = svg ? m_graph->exportSvg(path) : m_graph->exportPng(path);
    if (written) {
        m_settings->setExportDirectory(QFileInfo(path).absolutePath());
        m_status->setStatus([path] { return tr("Graph exported to %1").arg(path); });
    } else
        m_status->showError(tr("Export Failed"), tr("Cannot write %1.").arg(path));
}

bool ExportController::canSaveProfile() const {
    return m_documents->document() && m_runs->shownRun();
}

bool ExportController::writeJsonFile(const QString& path, const std::string& json) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(json.data(), static_cast<qint64>(json.size())) !=
            static_cast<qint64>(json.size()) ||
        !file.commit()) {
        const QString message = tr("Cannot write %1: %2").arg(path, file.errorString());
        m_status->setStatus([message] { return message; });
        m_status->showError(tr("Save Failed"), message);
        emit exportFailed(message);
        return false;
    }
    m_settings->setExportDirectory(QFileInfo(path).absolutePath());
    return true;
}

bool ExportController::saveProfileReport(const QString& path) {
    if (!canSaveProfile())
        return false;
    const report::ProfileReport& report = *m_runs->shownRun()->report;
    if (!writeJsonFile(path, report::toJson(report).dump(2) + '\n'))
        return false;
    m_status->setStatus([path] { return tr("Profile report written to %1").arg(path); });
    return true;
}

bool ExportController::saveChromeTrace(const QString& path) {
    if (!canSaveProfile())
        return false;
    const report::ProfileReport& report = *m_runs->shownRun()->report;
    if (!writeJsonFile(path, report::toChromeTrace(report).dump() + '\n'))
        return false;
    m_status->setStatus([path] {
        return tr("Chrome trace written to %1 (open it in chrome://tracing or Perfetto)").arg(path);
    });
    return true;
}

void ExportController::saveProfileDialog(bool trace) {
    if (!canSaveProfile())
        return;
    const QString model = m_documents->document()->path();
    const QString base = QFileInfo(model).completeBaseName() +
                         (trace ? QStringLiteral("_trace.json") : QStringLiteral("_profile.json"));
    const QString path = QFileDialog::getSaveFileName(
        m_status->window(), trace ? tr("Save Chrome Trace") : tr("Save Profile Report"),
        QDir(m_settings->exportDirectory(model)).filePath(base), tr("JSON files (*.json)"));
    if (path.isEmpty())
        return;
    if (trace)
        saveChromeTrace(path);
    else
        saveProfileReport(path);
}

} // namespace lb::app
