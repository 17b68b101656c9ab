#pragma once

#include "app/engine_worker.h"
#include "core/progress_tracker.h"

#include <QObject>
#include <QString>
#include <functional>
#include <set>

class QMainWindow;
class QProgressBar;
class QPushButton;

namespace lb::widgets {
class TrLabel;
}

namespace lb::app {

// What the controllers tell the user, in one place: the status bar's message (said again in a new
// language), the progress bar and Cancel button of the long jobs (open, run, quantize, export),
// and error dialogs while someone is there to read them (--screenshot runs are not interactive:
// errors go to the status bar and the controllers' signals only).
class StatusReporter : public QObject {
    Q_OBJECT

public:
    // Puts the message, the progress bar and Cancel into `window`'s status bar.
    StatusReporter(EngineWorker* worker, QMainWindow* window);

    void setInteractive(bool interactive) { m_interactive = interactive; }
    bool isInteractive() const { return m_interactive; }
    // Dialogs' parent.
    QWidget* window() const;

    // Sets the status line to text() now and again after a language switch.
    void setStatus(std::function<QString()> text);
    void setToolTip(const QString& text);
    widgets::TrLabel* label() const { return m_label; }
    // A warning box when interactive; nothing otherwise (callers also set the status and signal).
    void showError(const QString& title, const QString& message);

    // `job` is shown on the progress bar (from 0) until it leaves the worker; Cancel cancels every
    // job shown. The bar and Cancel hide once none is left.
    void trackJob(EngineWorker::JobId job);
    // A tracked job's progress: the bar moves, and the stage to show (a step nested in a longer
    // one leaves the longer one on screen, as the CLI does) and the time left come back.
    struct ProgressText {
        QString stage; // engine stage id
        QString left;  // "m:ss", empty until an estimate is sound
    };
    ProgressText progress(double fraction, const QString& stage);
    // Moves the bar only (a job whose status line names a file, not a stage).
    void setFraction(double fraction);
    // `sentence` with %2 the translated stage, plus the time left when known.
    static QString progressStatus(const QString& sentence, const ProgressText& progress);

    void retranslateUi();

private:
    void onJobStarted(EngineWorker::JobId job);
    void onJobFinished(EngineWorker::JobId job);

    EngineWorker* m_worker;
    QMainWindow* m_window;
    bool m_interactive = true;
    widgets::TrLabel* m_label = nullptr;
    QProgressBar* m_progress = nullptr;
    QPushButton* m_cancel = nullptr;
    std::set<EngineWorker::JobId> m_jobs;
    ProgressTracker m_tracker;
};

} // namespace lb::app
