#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace lb {

// Follows one operation's progress reports (ProgressFn: fraction + stage name) and says which
// stage to show and how long it has left. Shared by the CLI's progress printer and the GUI's
// status bar, so both name the same stage and give the same estimate.
//
// Stages nest: the engine builds a session (stage "kernels") inside the analysis's "sensitivity
// runs" with the same callback. A stage that is interrupted by another and then resumes is the
// outer one; the interrupting stage is remembered as nested and, from then on, never takes over.
// The time left comes from the current run of the shown stage alone: the stages of one operation
// take very different times per percent (building kernels vs running samples).
class ProgressTracker {
public:
    using TimePoint = std::chrono::steady_clock::time_point;
    using Seconds = std::chrono::duration<double>;

    // An estimate from less than this much of a stage jumps around too much to show.
    static constexpr Seconds kEstimateAfter{0.5};

    // One run of a stage: restarts when its fraction goes back.
    struct Stage {
        TimePoint start;
        double startFraction = 0;
        double fraction = 0;
    };

    enum class Change {
        Same,     // a report of the shown stage
        Switched, // the shown stage changed (a new stage, or the outer one resumed)
        Nested,   // a step of a nested stage: the shown stage stays
    };

    explicit ProgressTracker(TimePoint begin = std::chrono::steady_clock::now())
        : m_begin(begin) {}

    Change update(double fraction, std::string_view stage, TimePoint now);
    // Starts over (a new operation).
    void reset(TimePoint begin);

    // The stage to show; empty before the first report.
    const std::string& current() const { return m_current; }
    // The shown stage's run; nullptr before the first report.
    const Stage* currentStage() const;
    const Stage* stage(std::string_view name) const;
    Seconds elapsed(TimePoint now) const { return now - m_begin; }
    // The shown stage's time left, once it has run kEstimateAfter and moved.
    std::optional<Seconds> remaining(TimePoint now) const;

private:
    TimePoint m_begin;
    std::map<std::string, Stage, std::less<>> m_stages;
    std::set<std::string, std::less<>> m_nested;
    std::string m_current;  // the stage to show
    std::string m_previous; // the stage m_current interrupted
};

// "m:ss", or "h:mm:ss" from an hour on.
std::string clockText(ProgressTracker::Seconds duration);

} // namespace lb
