// A QNN-style backend_config.json (run/backend_config.h): the seed's example read verbatim, its
// sections mapped onto the named targets, unknown keys reported and written back, errors naming
// the file and the key.
#include "core/error.h"
#include "run/backend_config.h"
#include "test_models.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace lb;

namespace {

// The example of the seed document (shared/seed), copied verbatim with its "// backend_config.json"
// comment line.
const std::string kSeed = std::string(LB_BACKEND_CONFIG_DIR) + "/seed_backend_config.json";

std::string readText(const std::string& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), {}};
}

run::BackendConfigRead fromText(const std::string& text) {
    return run::backendConfigFromText(text, "cfg.json");
}

} // namespace

TEST_CASE("backend config: the seed's example loads and maps onto npu-int8, gpu-fp16, cpu-fp32",
          "[run][backend-config]") {
    REQUIRE(readText(kSeed).rfind("// backend_config.json\n{", 0) == 0);
    const run::BackendConfigRead read = run::readBackendConfig(kSeed);
    const run::BackendConfig& c = read.config;
    REQUIRE(c.sections.size() == 3);
    CHECK(c.sections[0].kind == "htp");
    CHECK(c.sections[0].deviceId == 0);
    CHECK(c.sections[0].performanceMode == "high_performance");
    CHECK(c.sections[0].precisionMode == "int8");
    CHECK(c.sections[1].kind == "gpu");
    CHECK(c.sections[1].performanceMode == "sustained_high_performance");
    CHECK(c.sections[1].precisionMode == "fp16");
    CHECK(c.sections[2].kind == "cpu");
    CHECK(c.sections[2].numThreads == 4);
    CHECK(c.sections[2].performanceMode == "balanced");
    CHECK(c.unknown.empty());

    // Every key LayerBench does not map is kept with its value, and reported with the file.
    CHECK(c.sections[0].unknown ==
          std::vector<run::UnknownKey>{{"vtcm_mb", "8"}, {"enable_dma", "true"}});
    CHECK(c.sections[1].unknown ==
          std::vector<run::UnknownKey>{{"enable_transform_optimization", "true"}});
    CHECK(c.sections[2].unknown == std::vector<run::UnknownKey>{{"enable_fast_math", "true"}});
    REQUIRE(read.warnings.size() == 4);
    CHECK(read.warnings[0] == kSeed + ": htp_config.vtcm_mb: not a setting LayerBench maps onto "
                                      "a target; kept, written back on save");
    CHECK_THAT(read.warnings[1], Catch::StartsWith(kSeed + ": htp_config.enable_dma: "));
    CHECK_THAT(read.warnings[2],
               Catch::StartsWith(kSeed + ": gpu_config.enable_transform_optimization: "));
    CHECK_THAT(read.warnings[3], Catch::StartsWith(kSeed + ": cpu_config.enable_fast_math: "));

    const std::vector<run::ConfiguredTarget> targets = run::configuredTargets(c, kSeed);
    CHECK(targets == std::vector<run::ConfiguredTarget>{{"htp_config", "npu-int8", std::nullopt},
                                                        {"gpu_config", "gpu-fp16", std::nullopt},
                                                        {"cpu_config", "cpu-fp32", 4}});
}

TEST_CASE("backend config: a save writes the unknown keys back, and reads back the same",
          "[run][backend-config]") {
    const run::BackendConfig seed = run::readBackendConfig(kSeed).config;
    const std::string path = test::makeTempDir("backend_config") + "/saved.json";
    run::writeBackendConfig(seed, path);
    const run::BackendConfigRead again = run::readBackendConfig(path);
    CHECK(again.config == seed);
    CHECK(again.warnings.size() == 4);
    // The values QNN's tools read are in the file as they were.
    const nlohmann::json saved = nlohmann::json::parse(readText(path));
    CHECK(saved.at("htp_config").at("vtcm_mb") == 8);
    CHECK(saved.at("htp_config").at("enable_dma") == true);
    CHECK(saved.at("htp_config").at("precision_mode") == "int8");
    CHECK(saved.at("gpu_config").at("enable_transform_optimization") == true);
    CHECK(saved.at("cpu_config").at("num_threads") == 4);
    CHECK(saved.at("cpu_config").at("enable_fast_math") == true);
    // Sections in the file's order (htp, gpu, cpu), not sorted.
    const std::string text = readText(path);
    CHECK(text.find("htp_config") < text.find("gpu_config"));
    CHECK(text.find("gpu_config") < text.find("cpu_config"));

    // Top-level keys other than the sections are kept too.
    const run::BackendConfigRead extra =
        fromText(R"({"cpu_config": {"num_threads": 2}, "dsp_config": {"x": [1, 2]}})");
    REQUIRE(extra.warnings.size() == 1);
    CHECK_THAT(extra.warnings[0], Catch::StartsWith("cfg.json: dsp_config: not a backend section"));
    CHECK(nlohmann::json::parse(run::backendConfigText(extra.config)).at("dsp_config").at("x") ==
          nlohmann::json::array({1, 2}));
}

TEST_CASE("backend config: \"target\" picks another named target for a section",
          "[run][backend-config]") {
    const run::BackendConfigRead r =
        fromText(R"({"cpu_config": {"target": "mobile-cpu", "num_threads": 2}, "gpu_config": {}})");
    CHECK(r.warnings.empty());
    CHECK(run::configuredTargets(r.config, "cfg.json") ==
          std::vector<run::ConfiguredTarget>{{"cpu_config", "mobile-cpu", 2},
                                             {"gpu_config", "gpu-fp16", std::nullopt}});
}

TEST_CASE("backend config: bad files fail naming the file and the key", "[run][backend-config]") {
    CHECK_THROWS_WITH(fromText(R"({"cpu_config": {"num_threads": "4"}})"),
                      "cfg.json: cpu_config.num_threads: expected a whole number >= 1, got \"4\"");
    CHECK_THROWS_WITH(fromText(R"({"cpu_config": {"num_threads": 0}})"),
                      Catch::Contains("cpu_config.num_threads"));
    CHECK_THROWS_WITH(fromText(R"({"htp_config": {"precision_mode": "int4"}})"),
                      Catch::Contains("cfg.json: htp_config.precision_mode: expected"));
    CHECK_THROWS_WITH(fromText(R"({"htp_config": {"device_id": -1}})"),
                      Catch::Contains("htp_config.device_id"));
    CHECK_THROWS_WITH(fromText(R"({"gpu_config": {"target": "tpu"}})"),
                      Catch::Contains("gpu_config.target: unknown target 'tpu'"));
    CHECK_THROWS_WITH(fromText(R"({"gpu_config": 3})"),
                      Catch::Contains("cfg.json: gpu_config: expected an object"));
    CHECK_THROWS_WITH(fromText(R"({"cpu_config": {"num_threads": 4,}})"),
                      Catch::StartsWith("cfg.json: not JSON: "));
    CHECK_THROWS_WITH(fromText("[1]"), Catch::StartsWith("cfg.json: expected an object"));
    CHECK_THROWS_WITH(run::readBackendConfig("/nonexistent/backend_config.json"),
                      Catch::Contains("/nonexistent/backend_config.json"));

    // Settings that read but do not fit a target.
    const auto targets = [](const std::string& text) {
        return run::configuredTargets(fromText(text).config, "cfg.json");
    };
    CHECK_THROWS_WITH(targets(R"({"htp_config": {"precision_mode": "fp16"}})"),
                      Catch::Contains("cfg.json: htp_config.precision_mode: 'fp16' does not fit "
                                      "npu-int8, which runs int8"));
    CHECK(targets(R"({"htp_config": {"precision_mode": "fp16", "target": "gpu-fp16"}})")
              .front()
              .target == "gpu-fp16");
    CHECK_THROWS_WITH(targets(R"({"htp_config": {"target": "cpu-fp32"}, "cpu_config": {}})"),
                      "cfg.json: htp_config and cpu_config both run cpu-fp32");
    CHECK_THROWS_WITH(targets(R"({"notes": "none"})"), Catch::Contains("no backend section"));
}

TEST_CASE("backend config: made for a benchmark's targets, it maps back onto them",
          "[run][backend-config]") {
    const std::vector<std::string> names = {"cpu-fp32", "gpu-fp16", "npu-int8"};
    const run::BackendConfig c = run::backendConfigFor(names, {{"cpu-fp32", 2}});
    REQUIRE(c.sections.size() == 3);
    CHECK(c.sections[0].kind == "cpu");
    CHECK(c.sections[1].kind == "gpu");
    CHECK(c.sections[2].kind == "htp");
    const auto back = run::configuredTargets(
        run::backendConfigFromText(run::backendConfigText(c), "saved.json").config, "saved.json");
    CHECK(back == std::vector<run::ConfiguredTarget>{{"cpu_config", "cpu-fp32", 2},
                                                     {"gpu_config", "gpu-fp16", std::nullopt},
                                                     {"htp_config", "npu-int8", std::nullopt}});
    CHECK(run::backendConfigFor({"mobile-cpu"}, {}).sections.at(0).target == "mobile-cpu");
    CHECK_THROWS_WITH(run::backendConfigFor({"cpu-fp32", "reference"}, {}),
                      Catch::Contains("one target per section"));
    CHECK_THROWS_WITH(run::backendConfigFor({"onednn"}, {}),
                      Catch::Contains("'onednn' is not a named target"));
}
