#include "app/startup_options.h"

#include <catch2/catch.hpp>

using lb::app::parseStartupOptions;

namespace {
QStringList args(std::initializer_list<const char*> list) {
    QStringList result{QStringLiteral("layerbench")};
    for (const char* arg : list)
        result << QString::fromUtf8(arg);
    return result;
}
} // namespace

TEST_CASE("startup options read the model, shapes, screenshot and language") {
    const auto options = parseStartupOptions(
        args({"det.onnx", "--shape", "x=1x3x640x640", "--screenshot", "s.png", "--lang", "es"}));
    REQUIRE(options.error.isEmpty());
    CHECK(options.model == QStringLiteral("det.onnx"));
    REQUIRE(options.inputShapes.count("x") == 1);
    CHECK(options.inputShapes.at("x") == lb::Shape{1, 3, 640, 640});
    CHECK(options.screenshot == QStringLiteral("s.png"));
    CHECK(options.language == QStringLiteral("es"));
}

TEST_CASE("startup options accept repeated shapes") {
    const auto options =
        parseStartupOptions(args({"m.onnx", "--shape", "a=1x2", "--shape", "b=3"}));
    REQUIRE(options.error.isEmpty());
    CHECK(options.inputShapes.at("a") == lb::Shape{1, 2});
    CHECK(options.inputShapes.at("b") == lb::Shape{3});
}

TEST_CASE("startup options reject what they cannot honour") {
    CHECK_FALSE(parseStartupOptions(args({"m.onnx", "--shape", "x=1xQ"})).error.isEmpty());
    CHECK_FALSE(parseStartupOptions(args({"m.onnx", "--lang", "fr"})).error.isEmpty());
    CHECK_FALSE(parseStartupOptions(args({"--screenshot", "s.png"})).error.isEmpty());
    CHECK_FALSE(parseStartupOptions(args({"a.onnx", "b.onnx"})).error.isEmpty());
    CHECK_FALSE(parseStartupOptions(args({"--no-such-option"})).error.isEmpty());
}

TEST_CASE("startup options answer the recovery question with --recover yes or no") {
    CHECK_FALSE(parseStartupOptions(args({"m.onnx"})).recover);
    const auto yes = parseStartupOptions(args({"--recover", "yes"}));
    REQUIRE(yes.error.isEmpty());
    CHECK(yes.recover == std::optional<bool>(true));
    CHECK(parseStartupOptions(args({"m.onnx", "--recover", "no"})).recover ==
          std::optional<bool>(false));
    CHECK_FALSE(parseStartupOptions(args({"--recover", "maybe"})).error.isEmpty());
}
