#include "progress_printer.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace lb::cli {

namespace {

using Seconds = ProgressTracker::Seconds;

// A terminal redraw costs a write per update; ten a second reads as smooth.
constexpr Seconds kRedrawInterval{0.1};
// Non-terminal: a stage gets its first line once it has run this long (the graph passes report
// a dozen stages in milliseconds), then at most one per kLineStep of progress and kLineInterval.
constexpr Seconds kAnnounceAfter{1.0};
constexpr Seconds kLineInterval{5.0};
constexpr double kLineStep = 0.1;
constexpr size_t kBarWidth = 16;
constexpr size_t kStageWidth = 24; // keeps the terminal line under 80 columns

} // namespace

ProgressPrinter::ProgressPrinter(std::ostream& out, bool terminal, Clock clock)
    : m_out(out), m_terminal(terminal), m_clock(std::move(clock)), m_tracker(m_clock()) {}

ProgressPrinter::~ProgressPrinter() {
    finish();
}

ProgressFn ProgressPrinter::callback() {
    return [this](double fraction, std::string_view stage) { update(fraction, stage); };
}

void ProgressPrinter::update(double fraction, std::string_view name) {
    const TimePoint now = m_clock();
    const ProgressTracker::Change change = m_tracker.update(fraction, name, now);
    if (change == ProgressTracker::Change::Nested) {
        // A step inside the current stage: the line keeps showing the outer one, and its
        // elapsed time keeps ticking.
        if (m_terminal && m_lineOpen && now - m_lastDraw >= kRedrawInterval)
            draw(now);
        return;
    }
    const ProgressTracker::Stage& stage = *m_tracker.currentStage();
    if (m_terminal) {
        if (change == ProgressTracker::Change::Switched || !m_lineOpen ||
            now - m_lastDraw >= kRedrawInterval || stage.fraction >= 1)
            draw(now);
        return;
    }
    Lines& lines = m_lines[m_tracker.current()];
    if (lines.stageStart != stage.start) // a new run of this stage
        lines = Lines{stage.start, false, now, stage.fraction};
    const bool first = !lines.announced && now - stage.start >= kAnnounceAfter;
    const bool step = lines.announced && now - lines.lastLine >= kLineInterval &&
                      stage.fraction - lines.lastLineFraction >= kLineStep;
    const bool done = lines.announced && stage.fraction >= 1 && lines.lastLineFraction < 1;
    if (first || step || done)
        printLine(lines, now);
}

void ProgressPrinter::finish() {
    if (!m_terminal || !m_lineOpen)
        return;
    draw(m_clock());
    m_out << '\n' << std::flush;
    m_lineOpen = false;
    m_drawnWidth = 0;
}

std::string ProgressPrinter::status(TimePoint now) const {
    const ProgressTracker::Stage& stage = *m_tracker.currentStage();
    std::ostringstream s;
    const int percent = static_cast<int>(stage.fraction * 100);
    std::string shown = m_tracker.current();
    const std::string elapsed = clockText(m_tracker.elapsed(now));
    if (m_terminal) {
        if (shown.size() > kStageWidth)
            shown = shown.substr(0, kStageWidth - 3) + "...";
        const auto filled = static_cast<size_t>(stage.fraction * kBarWidth);
        s << shown << " [" << std::string(filled, '#') << std::string(kBarWidth - filled, '.')
          << "] "
          << std::string(percent < 10    ? 2
                         : percent < 100 ? 1
                                         : 0,
                         ' ')
          << percent << "%  " << elapsed << " elapsed";
    } else {
        s << "layerbench-cli: " << shown << ' ' << percent << "% (" << elapsed << " elapsed";
    }
    if (const auto left = m_tracker.remaining(now))
        s << (m_terminal ? "  ETA " : ", ETA ") << clockText(*left);
    if (!m_terminal)
        s << ')';
    return s.str();
}

void ProgressPrinter::draw(TimePoint now) {
    if (m_tracker.current().empty())
        return;
    const std::string text = status(now);
    // '\r' and spaces rather than an erase-line escape: works on any terminal.
    m_out << '\r' << text;
    if (text.size() < m_drawnWidth)
        m_out << std::string(m_drawnWidth - text.size(), ' ');
    m_out << std::flush;
    m_drawnWidth = text.size();
    m_lineOpen = true;
    m_lastDraw = now;
}

void ProgressPrinter::printLine(Lines& lines, TimePoint now) {
    m_out << status(now) << '\n';
    lines.announced = true;
    lines.lastLine = now;
    lines.lastLineFraction = m_tracker.currentStage()->fraction;
}

} // namespace lb::cli
