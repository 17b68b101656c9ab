#include "core/progress_tracker.h"

#include <algorithm>
#include <cstdio>

namespace lb {

ProgressTracker::Change ProgressTracker::update(double fraction, std::string_view name,
                                                TimePoint now) {
    fraction = std::clamp(fraction, 0.0, 1.0);
    auto [it, added] = m_stages.try_emplace(std::string(name));
    Stage& stage = it->second;
    if (added || fraction < stage.fraction) // a new run of this stage
        stage = Stage{now, fraction, fraction};
    stage.fraction = fraction;

    if (name == m_current)
        return Change::Same;
    if (m_nested.count(name))
        return Change::Nested;
    if (!m_current.empty() && name == m_previous) {
        m_nested.insert(m_current); // it interrupted this stage, which now resumes
        m_current = std::string(name);
        m_previous.clear();
        return Change::Switched;
    }
    m_previous = m_current;
    m_current = std::string(name);
    return Change::Switched;
}

void ProgressTracker::reset(TimePoint begin) {
    *this = ProgressTracker(begin);
}

const ProgressTracker::Stage* ProgressTracker::stage(std::string_view name) const {
    const auto it = m_stages.find(name);
    return it == m_stages.end() ? nullptr : &it->second;
}

const ProgressTracker::Stage* ProgressTracker::currentStage() const {
    return m_current.empty() ? nullptr : stage(m_current);
}

std::optional<ProgressTracker::Seconds> ProgressTracker::remaining(TimePoint now) const {
    const Stage* s = currentStage();
    if (!s)
        return std::nullopt;
    const Seconds spent = now - s->start;
    const double done = s->fraction - s->startFraction;
    if (s->fraction >= 1 || done <= 0 || spent < kEstimateAfter)
        return std::nullopt;
    return spent * ((1 - s->fraction) / done);
}

std::string clockText(ProgressTracker::Seconds duration) {
    const long total = std::max(0L, static_cast<long>(duration.count() + 0.5));
    char text[32];
    if (total >= 3600)
        std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", total / 3600, total / 60 % 60,
                      total % 60);
    else
        std::snprintf(text, sizeof text, "%ld:%02ld", total / 60, total % 60);
    return text;
}

} // namespace lb
