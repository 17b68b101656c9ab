#include "report/recommend.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

namespace lb::report {

namespace {

std::string fixed(double v, int decimals) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(decimals) << v;
    return s.str();
}

std::string msText(double v) {
    return fixed(v, v < 10 ? 2 : 1);
}

std::string numberText(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

std::string dbText(double v) {
    if (std::isinf(v))
        return v > 0 ? "inf" : "-inf";
    return fixed(v, 1);
}

int fallbacksOf(const ProfileReport& r) {
    return static_cast<int>(std::count_if(r.nodes.begin(), r.nodes.end(), [](const NodeProfile& n) {
        return !n.fallback.code.empty();
    }));
}

std::string plural(int n, const std::string& word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// SQNR for ordering: not measured sorts below any measured value.
double sqnrKey(const Verdict& v) {
    return std::isnan(v.sqnrDb) ? -std::numeric_limits<double>::infinity() : v.sqnrDb;
}

// Why `ahead` ranks before `behind` in a latency tie, in words; "" when they are equal.
std::string tieReason(const Verdict& ahead, const Verdict& behind) {
    if (sqnrKey(ahead) != sqnrKey(behind))
        return "higher SQNR";
    if (ahead.fallbacks != behind.fallbacks)
        return "fewer fallbacks";
    return "";
}

} // namespace

std::string Recommendation::constraintsText() const {
    std::vector<std::string> parts;
    if (constraints.budgetMs)
        parts.push_back("p50 <= " + numberText(*constraints.budgetMs) + " ms");
    if (constraints.minSqnrDb)
        parts.push_back("SQNR >= " + numberText(*constraints.minSqnrDb) + " dB");
    if (constraints.noFallbacks)
        parts.push_back("no fallbacks");
    if (constraints.maxThreads)
        parts.push_back("at most " + plural(*constraints.maxThreads, "thread"));
    if (parts.empty())
        return "none";
    std::string text;
    for (const std::string& p : parts)
        text += (text.empty() ? "" : ", ") + p;
    return text;
}

const Verdict* Recommendation::best() const {
    return !verdicts.empty() && verdicts.front().fits ? &verdicts.front() : nullptr;
}

Recommendation recommend(const Comparison& comparison, const Constraints& c) {
    if (comparison.reports.empty())
        fail("recommend: the comparison has no reports");
    Recommendation rec;
    rec.constraints = c;
    std::vector<Verdict> fits, rejected;

    // The speed baseline: the reference target when it was measured, else the slowest.
    const ProfileReport* baseline = nullptr;
    for (const ProfileReport& r : comparison.reports) {
        if (r.latencyMs.count == 0 || !(r.latencyMs.p50 > 0))
            fail("recommend: report of ", lb::quoted(r.target.empty() ? r.backend : r.target),
                 " has no latency measurements");
        if (!comparison.reference.empty() && r.target == comparison.reference)
            baseline = &r;
    }
    if (!baseline)
        baseline = &*std::max_element(
            comparison.reports.begin(), comparison.reports.end(),
            [](const auto& a, const auto& b) { return a.latencyMs.p50 < b.latencyMs.p50; });

    for (const ProfileReport& r : comparison.reports) {
        Verdict v;
        v.target = r.target.empty() ? r.backend : r.target;
        v.p50Ms = r.latencyMs.p50;
        v.sqnrDb =
            r.accuracy.measured() ? r.accuracy.sqnrDb : std::numeric_limits<double>::quiet_NaN();
        v.fallbacks = fallbacksOf(r);
        v.threads = r.threads;
        const bool broken = r.accuracy.measured() && std::isnan(r.accuracy.sqnrDb);

        std::vector<std::string>& no = v.rejections;
        if (c.budgetMs && v.p50Ms > *c.budgetMs)
            no.push_back("p50 " + msText(v.p50Ms) + " ms > budget " + numberText(*c.budgetMs) +
                         " ms");
        if (broken)
            no.push_back("NaN outputs against " + r.accuracy.reference);
        else if (c.minSqnrDb && !r.accuracy.measured())
            no.push_back("SQNR not measured (no reference run)");
        else if (c.minSqnrDb && v.sqnrDb < *c.minSqnrDb)
            no.push_back("SQNR " + dbText(v.sqnrDb) + " dB < " + numberText(*c.minSqnrDb));
        if (c.noFallbacks && v.fallbacks > 0)
            no.push_back(plural(v.fallbacks, "fallback"));
        if (c.maxThreads && v.threads > *c.maxThreads)
            no.push_back("measured with " + plural(v.threads, "thread") + " > " +
                         std::to_string(*c.maxThreads) + " allowed");
        v.fits = no.empty();

        if (!v.fits) {
            v.line = v.target + ": rejected";
            for (const std::string& why : no)
                v.line += ", " + why;
            rejected.push_back(std::move(v));
            continue;
        }
        std::string line = v.target + ": " + msText(v.p50Ms) + " ms p50";
        if (c.budgetMs)
            line += " <= " + numberText(*c.budgetMs);
        if (&r == baseline) {
            line += comparison.reference == v.target ? ", the reference" : ", the slowest";
        } else {
            const double ratio = baseline->latencyMs.p50 / v.p50Ms;
            const std::string other =
                baseline->target.empty() ? baseline->backend : baseline->target;
            if (fixed(ratio, 1) == "1.0")
                line += ", as fast as " + other;
            else if (ratio > 1)
                line += ", " + fixed(ratio, 1) + "x faster than " + other;
            else
                line += ", " + fixed(1 / ratio, 1) + "x slower than " + other;
        }
        if (r.accuracy.measured())
            line += ", SQNR " + dbText(v.sqnrDb) + " dB" +
                    (c.minSqnrDb ? " >= " + numberText(*c.minSqnrDb) : "");
        if (v.fallbacks > 0)
            line += ", " + plural(v.fallbacks, "fallback");
        if (c.maxThreads)
            line += ", " + plural(v.threads, "thread");
        v.line = std::move(line);
        fits.push_back(std::move(v));
    }

    // By p50; then each run of latencies within tieFraction of its fastest is one tie, ordered by
    // SQNR and fallbacks.
    std::stable_sort(fits.begin(), fits.end(),
                     [](const Verdict& a, const Verdict& b) { return a.p50Ms < b.p50Ms; });
    for (size_t first = 0; first < fits.size();) {
        size_t end = first + 1;
        while (end < fits.size() && fits[end].p50Ms <= fits[first].p50Ms * (1 + c.tieFraction))
            ++end;
        std::stable_sort(fits.begin() + static_cast<long>(first),
                         fits.begin() + static_cast<long>(end),
                         [](const Verdict& a, const Verdict& b) {
                             if (sqnrKey(a) != sqnrKey(b))
                                 return sqnrKey(a) > sqnrKey(b);
                             return a.fallbacks < b.fallbacks;
                         });
        const std::string within = " on latency (within " + numberText(c.tieFraction * 100) + "%)";
        for (size_t k = first + 1; k < end; ++k) {
            const std::string why = tieReason(fits[first], fits[k]);
            fits[k].line +=
                "; tied with " + fits[first].target + within +
                (why.empty() ? ", slower p50" : ", " + fits[first].target + " has " + why);
        }
        if (end - first > 1) {
            const std::string why = tieReason(fits[first], fits[first + 1]);
            fits[first].line += "; tied with " + fits[first + 1].target + within +
                                (why.empty() ? ", faster p50" : ", " + why);
        }
        first = end;
    }
    for (size_t k = 0; k < fits.size(); ++k) {
        fits[k].rank = static_cast<int>(k) + 1;
        fits[k].line += ": fits";
    }
    rec.verdicts = std::move(fits);
    rec.verdicts.insert(rec.verdicts.end(), rejected.begin(), rejected.end());
    return rec;
}

nlohmann::json toJson(const Recommendation& rec) {
    using nlohmann::json;
    // SQNR as the profile report writes it: inf, -inf and nan as strings.
    auto db = [](double v) -> json {
        if (std::isnan(v))
            return "nan";
        if (std::isinf(v))
            return v > 0 ? "inf" : "-inf";
        return v;
    };
    const Constraints& c = rec.constraints;
    json constraints = json::object();
    if (c.budgetMs)
        constraints["budget_ms"] = *c.budgetMs;
    if (c.minSqnrDb)
        constraints["min_sqnr_db"] = *c.minSqnrDb;
    constraints["no_fallbacks"] = c.noFallbacks;
    if (c.maxThreads)
        constraints["max_threads"] = *c.maxThreads;
    constraints["tie_fraction"] = c.tieFraction;
    json targets = json::array();
    for (const Verdict& v : rec.verdicts)
        targets.push_back({{"target", v.target},
                           {"fits", v.fits},
                           {"rank", v.rank},
                           {"p50_ms", v.p50Ms},
                           {"sqnr_db", db(v.sqnrDb)},
                           {"fallbacks", v.fallbacks},
                           {"threads", v.threads},
                           {"rejections", v.rejections},
                           {"line", v.line}});
    const Verdict* best = rec.best();
    return {{"constraints", constraints},
            {"recommended", best ? json(best->target) : json(nullptr)},
            {"targets", targets}};
}

} // namespace lb::report
