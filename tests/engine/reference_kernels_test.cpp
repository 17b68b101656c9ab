#include "backends/reference/kernel_util.h"
#include "reference_node_util.h"
#include "backends/registry.h"

#include <catch2/catch.hpp>
#include <cmath>

using namespace lb;
using namespace lb::test;

namespace {

std::vector<Tensor> runOp(const std::string& op, const std::vector<Tensor>& inputs,
                          std::vector<ir::Attribute> attrs = {}, int64_t opset = 17) {
    return ReferenceNode(op, inputs, std::move(attrs), opset).run(inputs, 2);
}

void requireValues(const Tensor& t, const Shape& shape, const std::vector<float>& expected) {
    REQUIRE(t.shape() == shape);
    REQUIRE(t.numel() == static_cast<int64_t>(expected.size()));
    for (size_t i = 0; i < expected.size(); ++i) {
        INFO("element " << i);
        CHECK(t.data<float>()[i] == Approx(expected[i]).margin(1e-6));
    }
}

} // namespace

TEST_CASE("broadcastShapes follows numpy's multidirectional rules") {
    using backends::reference::broadcastShapes;
    using backends::reference::broadcastStrides;
    CHECK(broadcastShapes({2, 1, 3}, {4, 1}) == Shape{2, 4, 3});
    CHECK(broadcastShapes({}, {5}) == Shape{5});
    CHECK(broadcastShapes({3, 0}, {1}) == Shape{3, 0});
    CHECK_THROWS_WITH(broadcastShapes({2, 3}, {4}), Catch::Contains("2x3") && Catch::Contains("4"));
    CHECK(broadcastStrides({4, 1}, {2, 4, 3}) == std::vector<int64_t>{0, 1, 0});
    CHECK(broadcastStrides({2, 1, 3}, {2, 4, 3}) == std::vector<int64_t>{3, 0, 1});
}

TEST_CASE("Add broadcasts a column against a row") {
    auto out = runOp("Add", {floats({2, 1}, {1, 2}), floats({3}, {10, 20, 30})});
    requireValues(out[0], {2, 3}, {11, 21, 31, 12, 22, 32});
}

TEST_CASE("Conv with groups, dilation, padding and bias") {
    const Tensor x = floats({1, 2, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 1, 1, 1, 1, 1, 1, 1, 1});
    const Tensor w = floats({2, 1, 2, 2}, {1, 0, 0, 1, 1, 1, 1, 1});
    const Tensor b = floats({2}, {0.5f, -1.0f});
    auto out =
        runOp("Conv", {x, w, b},
              {intAttr("group", 2), intsAttr("dilations", {2, 2}), intsAttr("pads", {1, 1, 1, 1})});
    // Channel 0 adds the taps at (-1,-1) and (+1,+1); channel 1 counts in-bounds taps.
    requireValues(out[0], {1, 2, 3, 3},
                  {5.5f, 6.5f, 0.5f, 8.5f, 10.5f, 2.5f, 0.5f, 4.5f, 5.5f, //
                   0, 1, 0, 1, 3, 1, 0, 1, 0});
}

TEST_CASE("Conv with stride 2 sums 2x2 blocks") {
    std::vector<float> v(16);
    for (int i = 0; i < 16; ++i)
        v[i] = static_cast<float>(i);
    auto out = runOp("Conv", {floats({1, 1, 4, 4}, v), floats({1, 1, 2, 2}, {1, 1, 1, 1})},
                     {intsAttr("strides", {2, 2})});
    requireValues(out[0], {1, 1, 2, 2}, {10, 18, 42, 50});
}

TEST_CASE("Resize linear half_pixel, nearest and align_corners") {
    const Tensor x = floats({1, 1, 2, 2}, {1, 2, 3, 4});
    auto linear =
        runOp("Resize", {x, Tensor(), floats({4}, {1, 1, 2, 2})}, {stringAttr("mode", "linear")});
    requireValues(linear[0], {1, 1, 4, 4},
                  {1, 1.25f, 1.75f, 2, 1.5f, 1.75f, 2.25f, 2.5f, 2.5f, 2.75f, 3.25f, 3.5f, 3, 3.25f,
                   3.75f, 4});
    auto nearest = runOp("Resize", {x, Tensor(), floats({4}, {1, 1, 2, 3})});
    requireValues(nearest[0], {1, 1, 4, 6},
                  {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4});
    auto corners =
        runOp("Resize", {floats({1, 1, 1, 3}, {0, 3, 6}), Tensor(), Tensor(), int64s({1, 1, 1, 5})},
              {stringAttr("mode", "linear"),
               stringAttr("coordinate_transformation_mode", "align_corners")});
    requireValues(corners[0], {1, 1, 1, 5}, {0, 1.5f, 3, 4.5f, 6});
}

TEST_CASE("Softmax axis: one axis from opset 13, coerced to 2-D before") {
    const Tensor ones = floats({2, 3}, {1, 1, 1, 1, 1, 1});
    requireValues(runOp("Softmax", {ones}, {intAttr("axis", 0)}, 13)[0], {2, 3},
                  {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f});
    const float sixth = 1.0f / 6.0f;
    requireValues(runOp("Softmax", {ones}, {intAttr("axis", 0)}, 11)[0], {2, 3},
                  {sixth, sixth, sixth, sixth, sixth, sixth});
    const Tensor zeros3d = floats({2, 2, 2}, {0, 0, 0, 0, 0, 0, 0, 0});
    // Default axis: 1 (flatten the last two dims) before 13, -1 from 13.
    requireValues(runOp("Softmax", {zeros3d}, {}, 11)[0], {2, 2, 2},
                  {0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f});
    requireValues(runOp("Softmax", {zeros3d}, {}, 13)[0], {2, 2, 2},
                  {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f});
    requireValues(runOp("Softmax", {floats({2}, {0, std::log(3.0f)})})[0], {2}, {0.25f, 0.75f});
}

TEST_CASE("Reshape aliases its input and resolves 0 and -1") {
    const Tensor x = floats({2, 3, 4}, std::vector<float>(24, 1.0f));
    ReferenceNode node("Reshape", {x, int64s({0, -1})}, {});
    auto out = node.run({x, int64s({0, -1})});
    CHECK(out[0].shape() == Shape{2, 12});
    CHECK(out[0].rawData() == x.rawData());
    backends::reference::ReferenceBackend backend;
    runtime::KernelInfo info{node.graph, node.graph.node(node.id), 1};
    CHECK(backend.createKernel(info)->aliasedInput(0) == std::optional<size_t>(0));
}

TEST_CASE("capability declines with a code naming the op, the dtype or the attribute value") {
    backends::reference::ReferenceBackend backend;
    ReferenceNode unknown("Bernoulli", {floats({1}, {0})}, {});
    const runtime::Claim op = backend.capability(unknown.graph, unknown.graph.node(unknown.id));
    CHECK_FALSE(op);
    CHECK(op.code() == "unsupported-op");
    CHECK_THAT(op.text(), Catch::Contains("Bernoulli") && Catch::Contains("not implemented"));
    ReferenceNode dbl("Relu", {Tensor(DataType::Float64, {1})}, {});
    const runtime::Claim dtype = backend.capability(dbl.graph, dbl.graph.node(dbl.id));
    CHECK(dtype.code() == "unsupported-dtype");
    CHECK_THAT(dtype.text(), Catch::Contains("float64"));
    ReferenceNode antialias("Resize", {floats({1}, {0}), Tensor(), floats({1}, {0.5f})},
                         {intAttr("antialias", 1)}, 18);
    const runtime::Claim mode =
        backend.capability(antialias.graph, antialias.graph.node(antialias.id));
    CHECK(mode.code() == "unsupported-attribute");
    CHECK_THAT(mode.text(), Catch::Contains("antialias"));
    ReferenceNode relu("Relu", {floats({1}, {0})}, {});
    const runtime::Claim claimed = backend.capability(relu.graph, relu.graph.node(relu.id));
    CHECK(claimed);
    CHECK(claimed.code().empty());
}

TEST_CASE("the registry creates the reference backend by name") {
    CHECK(backends::createBackend("reference")->name() == "reference");
    CHECK_THROWS_WITH(backends::createBackend("tpu"), Catch::Contains("reference"));
}

TEST_CASE("Slice of a contiguous block is a view of its input, other slices copy") {
    // 3x2x2: element (i, j, k) = 100 i + 10 j + k.
    const Tensor x = floats({3, 2, 2}, {0, 1, 10, 11, 100, 101, 110, 111, 200, 201, 210, 211});
    SECTION("the middle block of the leading axis") {
        auto out = runOp("Slice", {x, int64s({1}), int64s({2}), int64s({0})});
        requireValues(out[0], {1, 2, 2}, {100, 101, 110, 111});
        CHECK(out[0].rawData() == x.data<float>() + 4);
    }
    SECTION("one row of one block: leading axes cut to one index") {
        auto out = runOp("Slice", {x, int64s({2, 1}), int64s({3, 2}), int64s({0, 1})});
        requireValues(out[0], {1, 1, 2}, {210, 211});
        CHECK(out[0].rawData() == x.data<float>() + 10);
    }
    SECTION("a cut on the last axis is not contiguous: copied") {
        auto out = runOp("Slice", {x, int64s({1}), int64s({2}), int64s({2})});
        requireValues(out[0], {3, 2, 1}, {1, 11, 101, 111, 201, 211});
        CHECK(out[0].rawData() != x.data<float>() + 1);
    }
    SECTION("step 2 on the leading axis copies") {
        auto out = runOp("Slice", {x, int64s({0}), int64s({3}), int64s({0}), int64s({2})});
        requireValues(out[0], {2, 2, 2}, {0, 1, 10, 11, 200, 201, 210, 211});
    }
}
