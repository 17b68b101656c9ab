#include "core/progress_tracker.h"

#include <catch2/catch.hpp>

using lb::ProgressTracker;
using Change = ProgressTracker::Change;
using namespace std::chrono_literals;

namespace {

const ProgressTracker::TimePoint t0{};

ProgressTracker::TimePoint at(double seconds) {
    return t0 + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                    std::chrono::duration<double>(seconds));
}

} // namespace

TEST_CASE("progress tracker: an interrupting stage that the outer one outlives stays nested",
          "[progress]") {
    ProgressTracker t(t0);
    CHECK(t.current().empty());
    CHECK(t.currentStage() == nullptr);
    CHECK(t.update(0.0, "sensitivity runs", at(0)) == Change::Switched);
    CHECK(t.update(0.5, "kernels", at(1)) == Change::Switched); // not known to be nested yet
    CHECK(t.current() == "kernels");
    CHECK(t.update(0.1, "sensitivity runs", at(2)) == Change::Switched); // the outer one resumes
    CHECK(t.current() == "sensitivity runs");
    // From now on "kernels" is a step inside it and never takes over.
    CHECK(t.update(0.2, "kernels", at(3)) == Change::Nested);
    CHECK(t.current() == "sensitivity runs");
    CHECK(t.update(0.2, "sensitivity runs", at(4)) == Change::Same);
    CHECK(t.update(0.0, "writing", at(5)) == Change::Switched);
    CHECK(t.current() == "writing");
}

TEST_CASE("progress tracker: time left from the shown stage's own run", "[progress]") {
    ProgressTracker t(t0);
    t.update(0.0, "calibration", at(0));
    t.update(0.9, "calibration", at(0.2));
    CHECK_FALSE(t.remaining(at(0.2))); // too early to say
    t.update(0.0, "analysis", at(1));
    CHECK_FALSE(t.remaining(at(1)));   // nothing done yet
    t.update(0.25, "analysis", at(11)); // 25% in 10 s: 30 s to go
    REQUIRE(t.remaining(at(11)));
    CHECK(t.remaining(at(11))->count() == Approx(30.0));
    CHECK(t.elapsed(at(11)).count() == Approx(11.0));
    t.update(1.0, "analysis", at(20));
    CHECK_FALSE(t.remaining(at(20))); // finished
    // The stage going back is a new run: its estimate starts over.
    t.update(0.1, "analysis", at(30));
    CHECK(t.currentStage()->start == at(30));
    CHECK_FALSE(t.remaining(at(30)));
    t.update(0.2, "analysis", at(32)); // 10% in 2 s from where this run started
    REQUIRE(t.remaining(at(32)));
    CHECK(t.remaining(at(32))->count() == Approx(16.0));
}

TEST_CASE("progress tracker: clock text", "[progress]") {
    CHECK(lb::clockText(0s) == "0:00");
    CHECK(lb::clockText(ProgressTracker::Seconds(59.6)) == "1:00");
    CHECK(lb::clockText(754s) == "12:34");
    CHECK(lb::clockText(3723s) == "1:02:03");
    CHECK(lb::clockText(ProgressTracker::Seconds(-3)) == "0:00");
}
