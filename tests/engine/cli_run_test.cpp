// layerbench-cli run's text report on ONNX conformance models: the fallback rows listed after the
// table with their stable code and every decline's text, nothing when every node ran as asked, and
// --json left exactly the report's schema.
#include "cli_in_process.h"
#include "report/profile_report.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

namespace {

const std::string kData = LB_ONNX_TESTDATA_DIR;
// Reshape -> Transpose -> Reshape: oneDNN has a Transpose kernel but no Reshape.
const std::string kPixelShuffle = kData + "/pytorch-converted/test_PixelShuffle/model.onnx";
// One Gemm, which oneDNN runs.
const std::string kLinear = kData + "/pytorch-converted/test_Linear/model.onnx";

lb::test::CliRun run(const std::string& model, const std::string& backend,
                     std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"run", model,          "--backend", backend,  "--warmup",
                                     "0",   "--iterations", "1",         "--seed", "7"};
    args.insert(args.end(), extra.begin(), extra.end());
    lb::test::CliRun r = lb::test::runCliInProcess(args);
    INFO(r.err);
    REQUIRE(r.code == 0);
    return r;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

} // namespace

TEST_CASE("cli run lists the fallback rows after the table, one line each", "[cli]") {
    const lb::test::CliRun text = run(kPixelShuffle, "onednn");
    const std::vector<std::string> out = lines(text.out);
    const auto table = std::find_if(
        out.begin(), out.end(), [](const std::string& l) { return l.rfind("top layers", 0) == 0; });
    REQUIRE(table != out.end());
    const auto header = std::find(table, out.end(), "fallbacks (2)");
    INFO(text.out);
    REQUIRE(header != out.end());
    // The rows of the report the same run writes as JSON, in run order.
    const auto report = lb::report::profileReportFromJson(
        nlohmann::json::parse(run(kPixelShuffle, "onednn", {"--json", "-"}).out));
    std::vector<std::string> expected;
    for (const auto& n : report.nodes)
        if (!n.fallback.code.empty())
            expected.push_back(n.name + " (" + n.op + "): " + n.fallback.code + " \u2014 " +
                               n.fallback.text);
    CHECK(std::vector<std::string>(header + 1, out.end()) == expected);
    REQUIRE(expected.size() == 2);
    CHECK(expected[0] == "Reshape_1 (Reshape): unsupported-op \u2014 onednn: op Reshape is not in "
                         "the oneDNN backend's kernel table");
    CHECK(expected[1].rfind("Reshape_4 (Reshape): unsupported-op \u2014 onednn: ", 0) == 0);
}

TEST_CASE("cli run prints no fallback section when every node ran as asked", "[cli]") {
    for (const auto& [model, backend] :
         {std::pair{kLinear, "onednn"}, std::pair{kPixelShuffle, "reference"}}) {
        const lb::test::CliRun r = run(model, backend);
        INFO(model << " on " << backend << ":\n" << r.out);
        CHECK_THAT(r.out, Catch::Contains("top layers"));
        CHECK_THAT(r.out, !Catch::Contains("fallback") && !Catch::Contains("unsupported-"));
    }
}

TEST_CASE("cli run --json - writes exactly the report, fallbacks included", "[cli]") {
    const lb::test::CliRun r = run(kPixelShuffle, "onednn", {"--json", "-"});
    const nlohmann::json json = nlohmann::json::parse(r.out); // nothing but the JSON on stdout
    // Reading it back and writing it again gives the same keys and values: no key outside the
    // report's schema.
    CHECK(lb::report::toJson(lb::report::profileReportFromJson(json)) == json);
    int fallbacks = 0;
    for (const auto& node : json.at("nodes"))
        fallbacks += node.contains("fallback") ? 1 : 0;
    CHECK(fallbacks == 2);
}
