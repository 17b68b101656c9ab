#pragma once

#include "core/progress.h"

#include <chrono>
#include <functional>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <string_view>

namespace lb::cli {

// Shows an engine operation's progress (ProgressFn: fraction + stage name) on stderr.
// On a terminal: one line redrawn in place (stage, bar, percent, elapsed, time left), at most
// ten times a second, ended with a newline by finish(). Elsewhere (logs, CI, tests): a plain line
// once a stage has run for a second, then at most one per 10% and 5 seconds, so a quantization
// that reports thousands of steps leaves a handful of lines.
//
// Stages nest: the engine builds a session (stage "kernels") inside the analysis's
// "sensitivity runs" with the same callback. A stage that is interrupted by another and then
// resumes is the outer one; the interrupting stage is remembered as nested and, from then on,
// never takes over the line.
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

    // One run of a stage: restarts when its fraction goes back.
    struct Stage {
        TimePoint start;
        double startFraction = 0;
        double fraction = 0;
        bool announced = false; // non-terminal: its first line is out
        TimePoint lastLine;
        double lastLineFraction = 0;
    };

    std::string status(const std::string& name, const Stage& stage, TimePoint now) const;
    void draw(TimePoint now);
    void printLine(const std::string& name, Stage& stage, TimePoint now);

    std::ostream& m_out;
    bool m_terminal;
    Clock m_clock;
    TimePoint m_begin;
    std::map<std::string, Stage, std::less<>> m_stages;
    std::set<std::string, std::less<>> m_nested;
    std::string m_current;  // the stage the line shows
    std::string m_previous; // the stage m_current interrupted
    TimePoint m_lastDraw;
    size_t m_drawnWidth = 0;
    bool m_lineOpen = false;
};

} // namespace lb::cli
