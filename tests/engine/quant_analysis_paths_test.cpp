// The quantization analysis on the optimized graphs (the default: the passes run first) gives the
// numbers of the analysis on the graphs as imported, up to float summation order, on PaddleOCR's
// classifier: the same ranking of tensors by cumulative and isolated SQNR, the same worst tensors,
// and per-tensor and output SQNR within a few tenths of a dB. A pass that changed what a tensor
// or an output computes (or an observed tensor lost to a fusion) breaks these.
#include "onnx/importer.h"
#include "quant/calibration.h"
#include "quant/calibration_data.h"
#include "quant/encoding.h"
#include "quant/quant_analysis.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <string>
#include <vector>

using namespace lb;

namespace {

const std::string kCls = std::string(LB_MODELS_DIR) + "/ch_ppocr_mobile_v2.0_cls_infer.onnx";

// Spearman's rank correlation of two equally long lists (no ties expected in SQNR values).
double rankCorrelation(const std::vector<double>& a, const std::vector<double>& b) {
    auto ranks = [](const std::vector<double>& v) {
        std::vector<size_t> order(v.size());
        for (size_t i = 0; i < v.size(); ++i)
            order[i] = i;
        std::stable_sort(order.begin(), order.end(),
                         [&](size_t x, size_t y) { return v[x] < v[y]; });
        std::vector<double> r(v.size());
        for (size_t k = 0; k < order.size(); ++k)
            r[order[k]] = static_cast<double>(k);
        return r;
    };
    const std::vector<double> ra = ranks(a), rb = ranks(b);
    double d2 = 0;
    for (size_t i = 0; i < ra.size(); ++i)
        d2 += (ra[i] - rb[i]) * (ra[i] - rb[i]);
    const double n = static_cast<double>(a.size());
    return 1.0 - 6.0 * d2 / (n * (n * n - 1.0));
}

std::vector<std::string> worst(const std::map<std::string, double>& sqnr, size_t count) {
    std::vector<std::pair<double, std::string>> v;
    for (const auto& [name, db] : sqnr)
        v.emplace_back(db, name);
    std::sort(v.begin(), v.end());
    std::vector<std::string> names;
    for (size_t k = 0; k < v.size() && k < count; ++k)
        names.push_back(v[k].second);
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace

TEST_CASE("quant analysis: optimized graphs give the as-imported numbers on cls", "[models]") {
    onnx::ImportOptions import;
    import.inputShapes["x"] = {1, 3, 48, 192};
    const ir::Graph g = onnx::importModel(kCls, import).graph;
    const std::vector<quant::Sample> samples = quant::randomSamples(g, 6, 21);
    quant::CalibrationConfig config;
    quant::EncodingSet set =
        quant::computeEncodings(g, quant::observeActivations(g, samples, config), config);
    // A tensor calibration leaves alone, as an imported file may name it: a Conv output that
    // BatchNorm folding removes from the optimized graph. Both paths must still measure it.
    const std::string inner = "conv2d_53.tmp_0";
    REQUIRE(g.findValue(inner));
    REQUIRE_FALSE(set.activations.count(inner));
    set.activations[inner] = quant::perTensorEncoding(-4.0, 4.0, 8, false);

    // Isolated runs for every third tensor keep the slow path's share of the test short.
    quant::AnalysisOptions fast;
    for (size_t k = 0; k < set.activations.size() + set.params.size(); k += 3) {
        auto it = k < set.activations.size()
                      ? std::next(set.activations.begin(), k)
                      : std::next(set.params.begin(), k - set.activations.size());
        fast.isolatedOnly.push_back(it->first);
    }
    fast.isolatedOnly.push_back(inner);
    quant::AnalysisOptions slow = fast;
    slow.optimize = false;
    const report::QuantReport a = quant::analyzeQuantization(g, set, samples, fast);
    const report::QuantReport b = quant::analyzeQuantization(g, set, samples, slow);
    REQUIRE(a.tensors.size() == b.tensors.size());
    REQUIRE(a.tensors.size() > 100);
    CHECK(a.isolatedRuns == b.isolatedRuns);

    for (const bool isolated : {false, true}) {
        INFO((isolated ? "isolated" : "cumulative"));
        std::map<std::string, double> sa, sb;
        std::vector<double> va, vb, diffs;
        for (size_t k = 0; k < a.tensors.size(); ++k) {
            REQUIRE(a.tensors[k].tensor == b.tensors[k].tensor);
            const auto& x = isolated ? a.tensors[k].isolated : a.tensors[k].cumulative;
            const auto& y = isolated ? b.tensors[k].isolated : b.tensors[k].cumulative;
            // Both paths measure the same tensors.
            REQUIRE(x.has_value() == y.has_value());
            if (!x || !std::isfinite(x->sqnrDb) || !std::isfinite(y->sqnrDb))
                continue;
            sa[a.tensors[k].tensor] = x->sqnrDb;
            sb[a.tensors[k].tensor] = y->sqnrDb;
            va.push_back(x->sqnrDb);
            vb.push_back(y->sqnrDb);
            diffs.push_back(std::abs(x->sqnrDb - y->sqnrDb));
        }
        REQUIRE(va.size() > (isolated ? 40u : 100u));
        REQUIRE(sa.count(inner));
        CHECK(rankCorrelation(va, vb) > 0.99);
        std::sort(diffs.begin(), diffs.end());
        INFO("median difference " << diffs[diffs.size() / 2] << " dB, largest " << diffs.back());
        CHECK(diffs[diffs.size() / 2] < 0.05);
        CHECK(diffs[diffs.size() * 9 / 10] < 0.3);
        const std::vector<std::string> wa = worst(sa, 10), wb = worst(sb, 10);
        std::vector<std::string> common;
        std::set_intersection(wa.begin(), wa.end(), wb.begin(), wb.end(),
                              std::back_inserter(common));
        CHECK(common.size() >= 9);
    }
    INFO("output SQNR " << a.outputError.sqnrDb << " vs " << b.outputError.sqnrDb);
    CHECK(std::abs(a.outputError.sqnrDb - b.outputError.sqnrDb) < 1.0);
}

TEST_CASE("quant analysis: isolated runs on the suffix give the whole-graph runs' numbers on cls",
          "[models]") {
    // The default isolated path runs only the part of the graph after each tensor, fed the fp32
    // run's values; the slow path runs the whole graph with that tensor quantized. Every tensor,
    // per-channel weights (the weights' and biases' suffix starts at their Conv).
    onnx::ImportOptions import;
    import.inputShapes["x"] = {1, 3, 48, 192};
    const ir::Graph g = onnx::importModel(kCls, import).graph;
    const std::vector<quant::Sample> samples = quant::randomSamples(g, 3, 5);
    quant::CalibrationConfig config;
    config.perChannel = true;
    const quant::EncodingSet set =
        quant::computeEncodings(g, quant::observeActivations(g, samples, config), config);
    quant::AnalysisOptions fast;
    quant::AnalysisOptions slow = fast;
    slow.wholeGraphIsolated = true;
    const report::QuantReport a = quant::analyzeQuantization(g, set, samples, fast);
    const report::QuantReport b = quant::analyzeQuantization(g, set, samples, slow);
    REQUIRE(a.tensors.size() == b.tensors.size());
    REQUIRE(a.tensors.size() >= 150);
    CHECK(a.isolatedRuns == static_cast<int>(a.tensors.size()));
    CHECK(a.isolatedRuns == b.isolatedRuns);
    int compared = 0, inputTensors = 0, params = 0;
    std::vector<double> va, vb, diffs;
    for (size_t k = 0; k < a.tensors.size(); ++k) {
        const auto& x = a.tensors[k];
        const auto& y = b.tensors[k];
        REQUIRE(x.tensor == y.tensor);
        INFO(x.tensor << " (" << x.kind << ", " << x.op << ")");
        REQUIRE(x.isolated.has_value());
        REQUIRE(y.isolated.has_value());
        CHECK(x.isolated->count == y.isolated->count);
        inputTensors += x.op == "input";
        params += x.kind != "activation";
        if (!std::isfinite(y.isolated->sqnrDb) || y.isolated->sqnrDb > 90) {
            // At the float noise floor (32-bit biases: ~1e-6 relative error, exactly
            // representable ones none): which fusions ran across the cut decides the digits.
            CHECK((!std::isfinite(x.isolated->sqnrDb) || x.isolated->sqnrDb > 90));
            continue;
        }
        // Float summation order only: the whole-graph run folds and fuses across the cut, and
        // an element at a rounding boundary of its encoding can land one step apart (cls has
        // two outputs: 6 numbers over 3 samples make each SQNR).
        const double d = std::abs(x.isolated->sqnrDb - y.isolated->sqnrDb);
        CHECK(d < 0.25);
        diffs.push_back(d);
        va.push_back(x.isolated->sqnrDb);
        vb.push_back(y.isolated->sqnrDb);
        ++compared;
    }
    std::sort(diffs.begin(), diffs.end());
    REQUIRE(!diffs.empty());
    INFO("median difference " << diffs[diffs.size() / 2] << " dB, largest " << diffs.back()
                              << " over " << compared << " tensors");
    CHECK(diffs[diffs.size() / 2] < 0.01);
    CHECK(compared > 80);
    CHECK(inputTensors == 1);
    CHECK(params > 50);
    CHECK(rankCorrelation(va, vb) > 0.999);
}
