// An invalid node is an error naming the node when the session is created, on every target: not a
// fallback to the next backend with the kernel's error text passed off as the reason.
#include "core/error.h"
#include "onednn_test_util.h"
#include "profile/local_run.h"

using namespace lbtest;

namespace {

// x [1,3,8,8] -> Conv(W [4,3,3,3], `attrs`) -> y [1,4,6,6]
std::shared_ptr<ir::Graph> convGraph(std::vector<ir::Attribute> attrs) {
    GraphBuilder g;
    g.output(g.node("Conv",
                    {g.input("x", {1, 3, 8, 8}), g.constant("w", randomTensor({4, 3, 3, 3}, 1))},
                    "y", Shape{1, 4, 6, 6}, std::move(attrs)));
    return g.graph();
}

std::string sessionError(const std::shared_ptr<ir::Graph>& g, const std::string& target) {
    try {
        runtime::Session session(g, profile::backendsFor(target));
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace

TEST_CASE("a Conv whose kernel_shape disagrees with W is an error at session creation",
          "[onednn][errors]") {
    const auto g = convGraph({attrInts("kernel_shape", {5, 5})});
    for (const char* target : {"auto", "onednn", "reference"}) {
        INFO(target);
        const std::string error = sessionError(g, target);
        CHECK_THAT(error, Catch::StartsWith("node 'y_node' (Conv): ") &&
                              Catch::Contains("kernel_shape") && Catch::Contains("4x3x3x3"));
        CHECK_THAT(error, !Catch::Contains("cannot run on any backend"));
    }
}

TEST_CASE("a Conv with a negative stride is an error at session creation, not a decline",
          "[onednn][errors]") {
    const auto g = convGraph({attrInts("strides", {-1, 1})});
    for (const char* target : {"auto", "onednn", "reference"}) {
        INFO(target);
        CHECK(sessionError(g, target) == "node 'y_node' (Conv): strides should be >= 1");
    }
}

TEST_CASE("a valid configuration oneDNN lacks still falls back, with its code",
          "[onednn][errors]") {
    // Weights computed in the graph: oneDNN pre-packs W, so it declines; the reference runs it.
    GraphBuilder g;
    g.output(g.node("Conv", {g.input("x", {1, 3, 8, 8}), g.input("w", {4, 3, 3, 3})}, "y",
                    Shape{1, 4, 6, 6}));
    runtime::Session session(g.graph(), profile::backendsFor("auto"));
    REQUIRE(session.steps().size() == 1);
    CHECK(session.steps()[0].backend == "reference");
    CHECK(session.steps()[0].fallbackCode == "unsupported-input");
    CHECK_THAT(session.steps()[0].fallbackReason,
               Catch::StartsWith("onednn: weights W are not a constant initializer"));
}
