// The backend registry: every backend listed, described and creatable by name, and the fallback
// chain of each target.
#include "backends/registry.h"

#include <algorithm>
#include <catch2/catch.hpp>

using namespace lb;

TEST_CASE("the registry lists every backend, described, in order of preference", "[backends]") {
    const std::vector<backends::BackendInfo>& all = backends::registry();
    REQUIRE(all.size() == 2);
    CHECK(backends::availableBackends() == std::vector<std::string>{"onednn", "reference"});
    int groundTruths = 0;
    for (const backends::BackendInfo& b : all) {
        INFO(b.name);
        CHECK_FALSE(b.title.empty());
        CHECK_FALSE(b.description.empty());
        CHECK_FALSE(b.needs.empty());
        CHECK(b.create()->name() == b.name);
        CHECK(backends::createBackend(b.name)->name() == b.name);
        CHECK(backends::findBackend(b.name) == &b);
        const std::vector<std::string> ops = b.supportedOps();
        CHECK(std::is_sorted(ops.begin(), ops.end()));
        CHECK(std::count(ops.begin(), ops.end(), "Conv") == 1);
        groundTruths += b.groundTruth;
    }
    CHECK(groundTruths == 1);
    CHECK(backends::groundTruth().name == "reference");
    CHECK(backends::findBackend("onednn")->int8);
    CHECK_FALSE(backends::findBackend("reference")->int8);
    CHECK(backends::findBackend("tpu") == nullptr);

    CHECK(backends::targetNames() == std::vector<std::string>{"auto", "onednn", "reference"});
    CHECK(backends::targetList() == "auto, onednn, reference");
    CHECK(backends::runsInt8("auto"));
    CHECK(backends::runsInt8("onednn"));
    CHECK_FALSE(backends::runsInt8("reference"));
    CHECK(backends::int8Targets() == "auto or onednn");
}

TEST_CASE("a target's fallback chain ends with the ground truth", "[backends]") {
    const auto names = [](const std::string& target) {
        std::vector<std::string> out;
        for (const auto& b : backends::fallbackChain(target))
            out.push_back(b->name());
        return out;
    };
    CHECK(names("auto") == std::vector<std::string>{"onednn", "reference"});
    CHECK(names("onednn") == std::vector<std::string>{"onednn", "reference"});
    CHECK(names("reference") == std::vector<std::string>{"reference"});
    CHECK_THROWS_WITH(backends::fallbackChain("tpu"),
                      "unknown target 'tpu'; expected one of auto, onednn, reference");
    CHECK_THROWS_WITH(backends::createBackend("tpu"),
                      "unknown backend 'tpu'; available: onednn, reference");
}
