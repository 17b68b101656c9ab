#include "app/status_reporter.h"

#include "app/progress_stage.h"
#include "widgets/tr_label.h"

#include <QMainWindow>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>
#include <chrono>

namespace lb::app {

StatusReporter::StatusReporter(EngineWorker* worker, QMainWindow* window)
    : QObject(window), m_worker(worker), m_window(window) {
    m_label = new widgets::TrLabel(window);
    m_label->setObjectName(QStringLiteral("statusMessage"));
    window->statusBar()->addWidget(m_label, 1);
    m_progress = new QProgressBar(window);
    m_progress->setRange(0, 100);
    m_progress->setMaximumWidth(200);
    m_progress->hide();
    window->statusBar()->addPermanentWidget(m_progress);
    m_cancel = new QPushButton(window);
    m_cancel->hide();
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        const std::set<EngineWorker::JobId> jobs = m_jobs;
        for (EngineWorker::JobId job : jobs)
            m_worker->cancel(job);
    });
    window->statusBar()->addPermanentWidget(m_cancel);
    connect(worker, &EngineWorker::jobStarted, this,
            [this](EngineWorker::JobId job, const QString&) { onJobStarted(job); });
    connect(worker, &EngineWorker::jobFinished, this,
            [this](EngineWorker::JobId job, const QString&) { onJobFinished(job); });
    retranslateUi();
}

QWidget* StatusReporter::window() const {
    return m_window;
}

void StatusReporter::setStatus(std::function<QString()> text) {
    m_label->setTextSource(std::move(text));
}

void StatusReporter::setToolTip(const QString& text) {
    m_label->setToolTip(text);
}

void StatusReporter::showError(const QString& title, const QString& message) {
    if (m_interactive)
        QMessageBox::warning(m_window, title, message);
}

void StatusReporter::trackJob(EngineWorker::JobId job) {
    m_jobs.insert(job);
    m_progress->setValue(0);
    m_progress->show();
    m_cancel->show();
}

void StatusReporter::onJobStarted(EngineWorker::JobId job) {
    if (m_jobs.count(job)) {
        m_progress->setValue(0);
        m_tracker.reset(std::chrono::steady_clock::now());
    }
}

void StatusReporter::onJobFinished(EngineWorker::JobId job) {
    if (m_jobs.erase(job) && m_jobs.empty()) {
        m_progress->hide();
        m_cancel->hide();
    }
}

StatusReporter::ProgressText StatusReporter::progress(double fraction, const QString& stage) {
    setFraction(fraction);
    const auto now = std::chrono::steady_clock::now();
    m_tracker.update(fraction, stage.toStdString(), now);
    ProgressText text;
    text.stage = QString::fromStdString(m_tracker.current());
    if (const auto left = m_tracker.remaining(now))
        text.left = QString::fromStdString(clockText(*left));
    return text;
}

void StatusReporter::setFraction(double fraction) {
    m_progress->setValue(static_cast<int>(fraction * 100.0));
}

QString StatusReporter::progressStatus(const QString& sentence, const ProgressText& progress) {
    const QString stage = ProgressStage::text(progress.stage);
    return progress.left.isEmpty()
               ? sentence.arg(stage)
               : tr("%1 (about %2 left)").arg(sentence.arg(stage), progress.left);
}

void StatusReporter::retranslateUi() {
    m_cancel->setText(tr("Cancel"));
}

} // namespace lb::app
