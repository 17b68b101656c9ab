#include "test_models.h"

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

namespace {

struct Run {
    int code;
    std::string out;
};

// Runs the real layerbench-cli; stderr is folded into out.
Run runCli(const std::string& args) {
    const std::string cmd = std::string("'") + LB_CLI_PATH + "' " + args + " 2>&1";
    FILE* pipe = popen(cmd.c_str(), "r");
    REQUIRE(pipe);
    std::string out;
    std::array<char, 4096> buf{};
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0)
        out.append(buf.data(), n);
    const int status = pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

const std::string kDet = std::string(LB_MODELS_DIR) + "/ch_PP-OCRv4_det_infer.onnx";

} // namespace

TEST_CASE("cli info --json", "[cli][models]") {
    const Run r = runCli("info '" + kDet + "' --shape x=1x3x640x640 --json");
    REQUIRE(r.code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["outputs"][0]["shape"] == "1x1x640x640");
    CHECK(j["nodes"].size() == j["node_count"].get<size_t>());
    CHECK(j["macs"].get<int64_t>() > 1000000000);
}

TEST_CASE("cli text info and version", "[cli][models]") {
    const Run r = runCli("info '" + kDet + "'");
    CHECK(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("ops:") && Catch::Contains("Conv"));
    const Run v = runCli("--version");
    CHECK(v.code == 0);
    CHECK(v.out == std::string("layerbench-cli ") + LB_VERSION + "\n");
}

TEST_CASE("cli exit codes", "[cli]") {
    const std::string dir = lb::test::makeTempDir("cli");
    lb::test::writeFile(dir + "/t.onnx", "plain text");
    const Run bad = runCli("info '" + dir + "/t.onnx'");
    CHECK(bad.code == 1);
    CHECK_THAT(bad.out,
               Catch::StartsWith("layerbench-cli: error: " + dir + "/t.onnx: not an ONNX model"));
    const Run missing = runCli("info '" + dir + "/none.onnx'");
    CHECK(missing.code == 1);
    CHECK_THAT(missing.out, Catch::Contains("no such file"));
    CHECK(runCli("info").code == 2);
    CHECK(runCli("info a.onnx --bogus").code == 2);
    CHECK(runCli("frobnicate").code == 2);
    CHECK(runCli("info a.onnx --shape x=1xq").code == 2);
    const Run help = runCli("--help");
    CHECK(help.code == 0);
    CHECK_THAT(help.out, Catch::Contains("info"));
    std::filesystem::remove_all(dir);
}
