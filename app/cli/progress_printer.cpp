#include "progress_printer.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace lb::cli {

namespace {

using Seconds = std::chrono::duration<double>;

// A terminal redraw costs a write per update; ten a second reads as smooth.
constexpr Seconds kRedrawInterval{0.1};
// Non-terminal: a stage gets its first line once it has run this long (the graph passes report
// a dozen stages in milliseconds), then at most one per kLineStep of progress and kLineInterval.
constexpr Seconds kAnnounceAfter{1.0};
constexpr Seconds kLineInterval{5.0};
constexpr double kLineStep = 0.1;
// An estimate from less than this much of a stage jumps around too much to show.
constexpr Seconds kEstimateAfter{0.5};
constexpr size_t kBarWidth = 16;
constexpr size_t kStageWidth = 24; // keeps the terminal line under 80 columns

std::string clockTime(Seconds s) {
    const long total = std::max(0L, static_cast<long>(s.count() + 0.5));
    char text[32];
    if (total >= 3600)
        std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", total / 3600, total / 60 % 60,
                      total % 60);
    else
        std::snprintf(text, sizeof text, "%ld:%02ld", total / 60, total % 60);
    return text;
}

} // namespace

ProgressPrinter::ProgressPrinter(std::ostream& out, bool terminal, Clock clock)
    : m_out(out), m_terminal(terminal), m_clock(std::move(clock)), m_begin(m_clock()) {}

ProgressPrinter::~ProgressPrinter() {
    finish();
}

ProgressFn ProgressPrinter::callback() {
    return [this](double fraction, std::string_view stage) { update(fraction, stage); };
}

void ProgressPrinter::update(double fraction, std::string_view name) {
    const TimePoint now = m_clock();
    fraction = std::clamp(fraction, 0.0, 1.0);
    auto [it, added] = m_stages.try_emplace(std::string(name));
    Stage& stage = it->second;
    if (added || fraction < stage.fraction) // a new run of this stage
        stage = Stage{now, fraction, fraction, false, now, fraction};
    stage.fraction = fraction;

    bool changed = false;
    if (name == m_current) {
    } else if (m_nested.count(name)) {
        // A step inside the current stage: the line keeps showing the outer one, and its
        // elapsed time keeps ticking.
        if (m_terminal && m_lineOpen && now - m_lastDraw >= kRedrawInterval)
            draw(now);
        return;
    } else if (!m_current.empty() && name == m_previous) {
        m_nested.insert(m_current); // it interrupted this stage, which now resumes
        m_current = std::string(name);
        m_previous.clear();
        changed = true;
    } else {
        m_previous = m_current;
        m_current = std::string(name);
        changed = true;
    }

    if (m_terminal) {
        if (changed || !m_lineOpen || now - m_lastDraw >= kRedrawInterval || fraction >= 1)
            draw(now);
        return;
    }
    const bool first = !stage.announced && now - stage.start >= kAnnounceAfter;
    const bool step = stage.announced && now - stage.lastLine >= kLineInterval &&
                      fraction - stage.lastLineFraction >= kLineStep;
    const bool done = stage.announced && fraction >= 1 && stage.lastLineFraction < 1;
    if (first || step || done)
        printLine(m_current, stage, now);
}

void ProgressPrinter::finish() {
    if (!m_terminal || !m_lineOpen)
        return;
    draw(m_clock());
    m_out << '\n' << std::flush;
    m_lineOpen = false;
    m_drawnWidth = 0;
}

std::string ProgressPrinter::status(const std::string& name, const Stage& stage,
                                    TimePoint now) const {
    std::ostringstream s;
    const int percent = static_cast<int>(stage.fraction * 100);
    std::string shown = name;
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
          << percent << "%  " << clockTime(now - m_begin) << " elapsed";
    } else {
        s << "layerbench-cli: " << shown << ' ' << percent << "% (" << clockTime(now - m_begin)
          << " elapsed";
    }
    // Time left from this run of the stage alone: the stages of one operation take very
    // different times per percent (building kernels vs running samples).
    const Seconds spent = now - stage.start;
    const double done = stage.fraction - stage.startFraction;
    if (stage.fraction < 1 && done > 0 && spent >= kEstimateAfter)
        s << (m_terminal ? "  ETA " : ", ETA ") << clockTime(spent * ((1 - stage.fraction) / done));
    if (!m_terminal)
        s << ')';
    return s.str();
}

void ProgressPrinter::draw(TimePoint now) {
    if (m_current.empty())
        return;
    const std::string text = status(m_current, m_stages.at(m_current), now);
    // '\r' and spaces rather than an erase-line escape: works on any terminal.
    m_out << '\r' << text;
    if (text.size() < m_drawnWidth)
        m_out << std::string(m_drawnWidth - text.size(), ' ');
    m_out << std::flush;
    m_drawnWidth = text.size();
    m_lineOpen = true;
    m_lastDraw = now;
}

void ProgressPrinter::printLine(const std::string& name, Stage& stage, TimePoint now) {
    m_out << status(name, stage, now) << '\n';
    stage.announced = true;
    stage.lastLine = now;
    stage.lastLineFraction = stage.fraction;
}

} // namespace lb::cli
