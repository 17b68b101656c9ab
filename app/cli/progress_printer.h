#pragma once

#include "core/progress.h"
#include "core/progress_tracker.h"

#include <chrono>
#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <string_view>

namespace lb::cli {

// Shows an engine operation's progress (ProgressFn: fraction + stage name) on stderr.
// On a terminal: one line redrawn in place (stage, bar, percent, elapsed, time left), at most
// ten times a second, ended with a newline by finish(). Elsewhere (logs, CI, tests): a plain line
// once a stage has run for a second, then at most one per 10% and 5 seconds, so a quantization
// that reports thousands of steps leaves a handful of lines.
//
// Which stage the line shows and its time left come from lb::ProgressTracker (stages nest: a
// "kernels" step inside "sensitivity runs" never takes over the line), as in the GUI.
class ProgressPrinter {
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    ProgressPrinter(std::ostream& out, bool terminal,
                    Clock clock = &std::chrono::steady_clock::now);
    ~ProgressPrinter();
    ProgressPrinter(const ProgressPrinter&) = delete;
    ProgressPrinter& operator=(const ProgressPrinter&) = delete;

    void update(double fraction, std::string_view stage);
    // The callback to hand to the engine; valid while this printer lives.
    ProgressFn callback();
    // Ends the terminal line (once); later updates start a new one.
    void finish();

private:
    using TimePoint = std::chrono::steady_clock::time_point;

    // Non-terminal output of one run of a stage.
    struct Lines {
        TimePoint stageStart; // the run these lines belong to
        bool announced = false; // its first line is out
        TimePoint lastLine;
        double lastLineFraction = 0;
    };

    std::string status(TimePoint now) const;
    void draw(TimePoint now);
    void printLine(Lines& lines, TimePoint now);

    std::ostream& m_out;
    bool m_terminal;
    Clock m_clock;
    ProgressTracker m_tracker;
    std::map<std::string, Lines, std::less<>> m_lines;
    TimePoint m_lastDraw;
    size_t m_drawnWidth = 0;
    bool m_lineOpen = false;
};

} // namespace lb::cli
