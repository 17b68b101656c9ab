// layerbench-cli's progress printer on a fake clock: a terminal gets one redrawn line with a time
// estimate, a log a handful of lines however many updates the engine sends.

#include "progress_printer.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <sstream>

using lb::cli::ProgressPrinter;
using namespace std::chrono_literals;

namespace {

struct FakeClock {
    std::chrono::steady_clock::time_point now{};
    ProgressPrinter::Clock fn() {
        return [this] { return now; };
    }
};

// What the analysis sends: one step of the outer stage, then a session built inside it.
void sensitivityRun(ProgressPrinter& p, FakeClock& clock, double fraction) {
    p.update(fraction, "sensitivity runs");
    for (int k = 1; k <= 9; ++k) {
        clock.now += 1ms;
        p.update(0.1 * k, "kernels");
    }
    p.update(1.0, "kernels");
    clock.now += 10ms;
}

} // namespace

TEST_CASE("progress off a terminal: a few plain lines for 10,000 updates", "[cli]") {
    std::ostringstream out;
    FakeClock clock;
    {
        ProgressPrinter p(out, false, clock.fn());
        for (int k = 0; k <= 10000; ++k) { // 10 ms each: a 100 s stage
            clock.now += 10ms;
            p.update(k / 10000.0, "calibrating");
        }
        for (int k = 0; k < 1000; ++k)
            sensitivityRun(p, clock, 0.5 + 0.5 * k / 1000);
        p.update(1.0, "sensitivity runs");
    }
    const std::string text = out.str();
    INFO(text);
    const auto lineCount = std::count(text.begin(), text.end(), '\n');
    CHECK(lineCount >= 3);
    CHECK(lineCount <= 20);
    CHECK(text.find('\r') == std::string::npos);
    CHECK(text.find("layerbench-cli: calibrating 100%") != std::string::npos);
    CHECK(text.find("layerbench-cli: sensitivity runs") != std::string::npos);
    CHECK(text.find("ETA") != std::string::npos);
    CHECK(text.find("kernels") == std::string::npos); // nested in the sensitivity runs
}

TEST_CASE("progress off a terminal: a quick stage prints nothing", "[cli]") {
    std::ostringstream out;
    FakeClock clock;
    ProgressPrinter p(out, false, clock.fn());
    for (int k = 0; k <= 100; ++k) {
        clock.now += 1ms;
        p.update(k / 100.0, "kernels");
    }
    p.finish();
    CHECK(out.str().empty());
}

TEST_CASE("progress on a terminal: one redrawn line with the time left", "[cli]") {
    std::ostringstream out;
    FakeClock clock;
    ProgressPrinter p(out, true, clock.fn());
    for (int k = 0; k <= 10000; ++k) { // 1 ms each: 10 s
        clock.now += 1ms;
        p.update(k / 10000.0 * 0.99, "calibrating");
        if (k == 4000) {
            const std::string mid = out.str();
            const std::string last = mid.substr(mid.rfind('\r'));
            INFO(last);
            // 40% after 4 s: 6 s left
            CHECK_THAT(last, Catch::Contains("calibrating [######") && Catch::Contains("39%") &&
                                 Catch::Contains("0:04 elapsed") && Catch::Contains("ETA 0:06"));
        }
    }
    p.finish();
    const std::string text = out.str();
    const auto redraws = std::count(text.begin(), text.end(), '\r');
    CHECK(redraws >= 50);
    CHECK(redraws <= 110); // at most ten a second, plus the last
    CHECK(std::count(text.begin(), text.end(), '\n') == 1);
    CHECK(text.back() == '\n');
    p.finish(); // a second finish adds nothing
    CHECK(out.str() == text);
}
