// oneDNN Resize (nearest with whole factors, linear in the half-pixel modes), ConvTranspose, and
// binary ops whose second input is a per-channel or scalar operand of a blocked tensor, each
// against the reference backend.
#include "onednn_test_util.h"

using namespace lbtest;

namespace {

// The 1x1 Conv in front differs from the reference's by float rounding; a wrong source index
// would differ by O(1).
constexpr double kTol = 1e-5;

Tensor floats(const Shape& shape, std::vector<float> v) {
    Tensor t(DataType::Float32, shape);
    std::copy(v.begin(), v.end(), t.data<float>());
    return t;
}

// x -> Conv 1x1 (so the Resize sees a blocked tensor) -> Resize -> y.
std::shared_ptr<ir::Graph> resizeGraph(const Shape& x, const Shape& out, std::vector<float> scales,
                                       std::vector<ir::Attribute> attrs) {
    GraphBuilder b;
    const int64_t c = x[1];
    const ir::ValueId conv =
        b.node("Conv", {b.input("x", x), b.constant("w", randomTensor({c, c, 1, 1}, 4))}, "c", x);
    const ir::ValueId roi = b.constant("roi", Tensor(DataType::Float32, {0}));
    const ir::ValueId sc = b.constant("scales", floats({4}, std::move(scales)));
    b.output(b.node("Resize", {conv, roi, sc}, "y", out, std::move(attrs)));
    return b.graph();
}

// x -> Conv 1x1 -> Resize(sizes or scales) -> y, linear unless attrs say otherwise; sizes and
// scales name the spatial axes only when `axes` is given (opset 18), else every axis.
std::shared_ptr<ir::Graph> linearGraph(const Shape& x, const Shape& out, bool bySizes,
                                       std::vector<float> scales, std::vector<ir::Attribute> attrs,
                                       int64_t opset = 17) {
    GraphBuilder b(opset);
    const int64_t c = x[1];
    // 2-D: a Conv in front so the Resize sees a blocked tensor (oneDNN's Conv is 2-D only).
    const ir::ValueId conv =
        x.size() == 4
            ? b.node("Conv", {b.input("x", x), b.constant("w", randomTensor({c, c, 1, 1}, 4))}, "c",
                     x)
            : b.input("x", x);
    attrs.push_back(attrString("mode", "linear"));
    std::vector<ir::ValueId> in{conv, b.constant("roi", Tensor(DataType::Float32, {0}))};
    if (bySizes) {
        in.push_back(b.constant("scales", Tensor(DataType::Float32, {0})));
        Tensor sizes(DataType::Int64, {static_cast<int64_t>(out.size())});
        std::copy(out.begin(), out.end(), sizes.data<int64_t>());
        in.push_back(b.constant("sizes", sizes));
        b.graph()->value(in.back()).dtype = DataType::Int64;
    } else {
        in.push_back(b.constant("scales", floats({static_cast<int64_t>(scales.size())}, scales)));
    }
    b.output(b.node("Resize", in, "y", out, std::move(attrs)));
    return b.graph();
}

runtime::Claim resizeClaim(const std::shared_ptr<ir::Graph>& g) {
    const ir::Node& resize = g->node(g->nodeCapacity() - 1);
    REQUIRE(resize.opType == "Resize");
    return backends::onednn::OneDnnBackend().capability(*g, resize);
}

} // namespace

TEST_CASE("oneDNN Resize linear in the half-pixel modes matches the reference", "[onednn]") {
    struct Case {
        const char* label;
        Shape x, out;
        bool bySizes;
        std::vector<float> scales;
        const char* coords;
    };
    const std::vector<Case> cases = {
        {"DeepLabV3's head: 21 channels 16x16 -> 256x256 by sizes",
         {1, 21, 16, 16},
         {1, 21, 256, 256},
         true,
         {},
         "half_pixel"},
        {"ASPP pooling branch broadcast: 1x1 -> 16x16",
         {1, 40, 1, 1},
         {1, 40, 16, 16},
         true,
         {},
         "half_pixel"},
        {"odd sizes up, 5 channels", {2, 5, 5, 7}, {2, 5, 13, 11}, true, {}, "half_pixel"},
        {"odd sizes down, 20 channels", {1, 20, 9, 10}, {1, 20, 4, 3}, true, {}, "half_pixel"},
        {"up on one axis, down on the other", {1, 3, 6, 9}, {1, 3, 11, 4}, true, {}, "half_pixel"},
        {"scales 2 x 0.5", {1, 12, 7, 8}, {1, 12, 14, 4}, false, {1, 1, 2, 0.5f}, "half_pixel"},
        {"pytorch_half_pixel x3",
         {1, 17, 4, 5},
         {1, 17, 12, 15},
         false,
         {1, 1, 3, 3},
         "pytorch_half_pixel"},
        {"3-D (one spatial axis)", {1, 11, 7}, {1, 11, 18}, true, {}, "half_pixel"},
    };
    for (const Case& c : cases) {
        SECTION(c.label) {
            auto g = linearGraph(c.x, c.out, c.bySizes, c.scales,
                                 {attrString("coordinate_transformation_mode", c.coords)});
            compareWithReference(g, {{"x", randomTensor(c.x, 21)}}, kTol);
        }
    }
    SECTION("opset 18 axes name the spatial axes") {
        GraphBuilder b(18);
        const Shape xs{1, 6, 5, 4}, ys{1, 6, 9, 10};
        const ir::ValueId conv = b.node(
            "Conv", {b.input("x", xs), b.constant("w", randomTensor({6, 6, 1, 1}, 4))}, "c", xs);
        Tensor sizes(DataType::Int64, {2});
        sizes.data<int64_t>()[0] = 9;
        sizes.data<int64_t>()[1] = 10;
        const ir::ValueId sz = b.constant("sizes", sizes);
        b.graph()->value(sz).dtype = DataType::Int64;
        b.output(b.node("Resize", {conv, ir::kNoValue, ir::kNoValue, sz}, "y", ys,
                        {attrString("mode", "linear"), attrInts("axes", {2, 3})}));
        compareWithReference(b.graph(), {{"x", randomTensor(xs, 22)}}, kTol);
    }
}

TEST_CASE("oneDNN declines linear Resize where it would compute something else", "[onednn]") {
    struct Case {
        const char* label;
        std::shared_ptr<ir::Graph> graph;
        const char* code;
        const char* text;
    };
    const auto coords = [](const char* c) {
        return std::vector<ir::Attribute>{attrString("coordinate_transformation_mode", c)};
    };
    const std::vector<Case> cases = {
        {"align_corners",
         linearGraph({1, 8, 4, 4}, {1, 8, 8, 8}, true, {}, coords("align_corners")),
         "unsupported-attribute", "align_corners"},
        {"asymmetric", linearGraph({1, 8, 4, 4}, {1, 8, 8, 8}, true, {}, coords("asymmetric")),
         "unsupported-attribute", "asymmetric"},
        {"half_pixel_symmetric (opset 19, beyond the importer)",
         linearGraph({1, 8, 4, 4}, {1, 8, 8, 8}, true, {}, coords("half_pixel_symmetric")),
         "unsupported-attribute", "half_pixel_symmetric"},
        {"tf_crop_and_resize",
         linearGraph({1, 8, 4, 4}, {1, 8, 8, 8}, true, {}, coords("tf_crop_and_resize")),
         "unsupported-attribute", "tf_crop_and_resize"},
        {"a scale that is not output / input (5 * 1.5 = 7.5, output 7)",
         linearGraph({1, 8, 5, 5}, {1, 8, 7, 7}, false, {1, 1, 1.5f, 1.5f}, {}),
         "unsupported-shape", "output / input"},
        {"pytorch_half_pixel to a length of 1",
         linearGraph({1, 8, 5, 4}, {1, 8, 1, 8}, true, {}, coords("pytorch_half_pixel")),
         "unsupported-shape", "length of 1"},
        {"antialias",
         linearGraph({1, 8, 8, 8}, {1, 8, 4, 4}, true, {}, {attrInt("antialias", 1)}, 18),
         "unsupported-attribute", "antialias"},
        {"keep_aspect_ratio_policy",
         linearGraph({1, 8, 4, 6}, {1, 8, 8, 12}, true, {},
                     {attrString("keep_aspect_ratio_policy", "not_larger")}, 18),
         "unsupported-attribute", "keep_aspect_ratio_policy"},
        {"resizing channels", linearGraph({1, 8, 4, 4}, {1, 16, 4, 4}, true, {}, {}),
         "unsupported-shape", "channel"},
    };
    for (const Case& c : cases) {
        SECTION(c.label) {
            const runtime::Claim claim = resizeClaim(c.graph);
            CHECK_FALSE(claim);
            CHECK(claim.code() == c.code);
            CHECK_THAT(claim.text(), Catch::Contains(c.text));
        }
    }
    SECTION("sizes computed at run time") {
        GraphBuilder b;
        const Shape xs{1, 8, 4, 4};
        const ir::ValueId conv = b.node(
            "Conv", {b.input("x", xs), b.constant("w", randomTensor({8, 8, 1, 1}, 4))}, "c", xs);
        const ir::ValueId sz = b.input("sizes", {4});
        b.graph()->value(sz).dtype = DataType::Int64;
        b.output(b.node("Resize", {conv, ir::kNoValue, ir::kNoValue, sz}, "y", std::nullopt,
                        {attrString("mode", "linear")}));
        const runtime::Claim claim = resizeClaim(b.graph());
        CHECK(claim.code() == "unsupported-input");
        CHECK_THAT(claim.text(), Catch::Contains("constant"));
    }
}

TEST_CASE("oneDNN Resize nearest with whole factors matches the reference", "[onednn]") {
    SECTION("asymmetric floor x2 (PP-OCR det's FPN)") {
        compareWithReference(
            resizeGraph({1, 16, 5, 7}, {1, 16, 10, 14}, {1, 1, 2, 2},
                        {attrString("mode", "nearest"),
                         attrString("coordinate_transformation_mode", "asymmetric"),
                         attrString("nearest_mode", "floor")}),
            {{"x", randomTensor({1, 16, 5, 7}, 1)}}, kTol);
    }
    SECTION("asymmetric floor x8, 20 channels (padded blocks)") {
        compareWithReference(
            resizeGraph({1, 20, 3, 4}, {1, 20, 24, 32}, {1, 1, 8, 8},
                        {attrString("coordinate_transformation_mode", "asymmetric"),
                         attrString("nearest_mode", "floor")}),
            {{"x", randomTensor({1, 20, 3, 4}, 2)}}, kTol);
    }
    SECTION("half_pixel round_prefer_floor (the defaults) x3 by 2") {
        compareWithReference(resizeGraph({2, 8, 4, 5}, {2, 8, 12, 10}, {1, 1, 3, 2}, {}),
                             {{"x", randomTensor({2, 8, 4, 5}, 3)}}, kTol);
    }
    SECTION("modes whose index differs from floor(x / f) are declined") {
        for (const char* coords : {"tf_half_pixel_for_nearest", "align_corners"}) {
            auto g = resizeGraph({1, 8, 4, 4}, {1, 8, 8, 8}, {1, 1, 2, 2},
                                 {attrString("coordinate_transformation_mode", coords)});
            const ir::Node& resize = g->node(1);
            REQUIRE(resize.opType == "Resize");
            const runtime::Claim claim = backends::onednn::OneDnnBackend().capability(*g, resize);
            CHECK(claim.code() == "unsupported-attribute");
            CHECK_THAT(claim.text(), Catch::Contains(coords));
        }
    }
    SECTION("fractional factors and linear asymmetric mode are declined") {
        auto frac = resizeGraph({1, 8, 4, 4}, {1, 8, 6, 6}, {1, 1, 1.5f, 1.5f}, {});
        const runtime::Claim fractional =
            backends::onednn::OneDnnBackend().capability(*frac, frac->node(1));
        CHECK(fractional.code() == "unsupported-shape");
        CHECK_THAT(fractional.text(), Catch::Contains("whole-number"));
        auto linear = resizeGraph({1, 8, 4, 4}, {1, 8, 8, 8}, {1, 1, 2, 2},
                                  {attrString("mode", "linear"),
                                   attrString("coordinate_transformation_mode", "asymmetric")});
        const runtime::Claim mode =
            backends::onednn::OneDnnBackend().capability(*linear, linear->node(1));
        CHECK(mode.code() == "unsupported-attribute");
        CHECK_THAT(mode.text(), Catch::Contains("linear"));
    }
}

TEST_CASE("oneDNN ConvTranspose matches the reference", "[onednn]") {
    struct Case {
        const char* label;
        Shape x, w;
        bool bias;
        std::vector<ir::Attribute> attrs;
        int64_t group = 1;
    };
    const std::vector<Case> cases = {
        {"2x2 stride 2 with bias (PP-OCR det head)",
         {1, 24, 9, 7},
         {24, 24, 2, 2},
         true,
         {attrInts("strides", {2, 2})}},
        {"2x2 stride 2 to one channel",
         {1, 24, 6, 6},
         {24, 1, 2, 2},
         true,
         {attrInts("strides", {2, 2})}},
        {"3x2 stride 3x2, batch 2, no bias (matmul + patch copy)",
         {2, 5, 4, 3},
         {5, 7, 3, 2},
         false,
         {attrInts("strides", {3, 2}), attrInts("kernel_shape", {3, 2})}},
        {"3x3 stride 2 pads 1 output_padding 1",
         {1, 8, 5, 6},
         {8, 4, 3, 3},
         false,
         {attrInts("strides", {2, 2}), attrInts("pads", {1, 1, 1, 1}),
          attrInts("output_padding", {1, 1})}},
        {"grouped, dilated, asymmetric pads",
         {2, 6, 5, 5},
         {6, 2, 3, 3},
         true,
         {attrInt("group", 3), attrInts("dilations", {2, 1}), attrInts("pads", {1, 0, 2, 1})},
         3},
    };
    for (const Case& c : cases) {
        SECTION(c.label) {
            GraphBuilder b;
            std::vector<ir::ValueId> in{b.input("x", c.x), b.constant("w", randomTensor(c.w, 5))};
            if (c.bias) // C_out = W's second dim times group
                in.push_back(b.constant("b", randomTensor({c.w[1] * c.group}, 6)));
            b.output(b.node("ConvTranspose", in, "y", std::nullopt, c.attrs));
            compareWithReference(b.graph(), {{"x", randomTensor(c.x, 7)}});
        }
    }
    SECTION("2x2 stride 2 output read by a oneDNN Relu (stays in the backend's layout)") {
        const Shape xs{1, 16, 5, 6}, ys{1, 24, 10, 12};
        GraphBuilder b;
        const ir::ValueId y =
            b.node("ConvTranspose",
                   {b.input("x", xs), b.constant("w", randomTensor({16, 24, 2, 2}, 5)),
                    b.constant("b", randomTensor({24}, 6))},
                   "t", ys, {attrInts("strides", {2, 2})});
        b.output(b.node("Relu", {y}, "y", ys));
        compareWithReference(b.graph(), {{"x", randomTensor(xs, 7)}});
    }
    for (int64_t outChannels : {16, 32}) {
        DYNAMIC_SECTION("UNet's up path: 2x2 stride 2 to " << outChannels
                                                           << " channels (written blocked), "
                                                              "Concat with a skip, Conv") {
            const Shape xs{2, 24, 5, 7}, skip{2, 16, 10, 14}, ys{2, outChannels, 10, 14};
            GraphBuilder b;
            const ir::ValueId up =
                b.node("ConvTranspose",
                       {b.input("x", xs), b.constant("w", randomTensor({24, outChannels, 2, 2}, 5)),
                        b.constant("b", randomTensor({outChannels}, 6))},
                       "up", ys, {attrInts("strides", {2, 2})});
            const ir::ValueId s = b.node(
                "Conv",
                {b.input("s", {2, 8, 10, 14}), b.constant("ws", randomTensor({16, 8, 1, 1}, 8))},
                "skip", skip);
            const ir::ValueId cat = b.node(
                "Concat", {up, s}, "cat", Shape{2, outChannels + 16, 10, 14}, {attrInt("axis", 1)});
            b.output(b.node("Conv",
                            {cat, b.constant("wc", randomTensor({8, outChannels + 16, 3, 3}, 9))},
                            "y", std::nullopt, {attrInts("pads", {1, 1, 1, 1})}));
            compareWithReference(
                b.graph(), {{"x", randomTensor(xs, 7)}, {"s", randomTensor({2, 8, 10, 14}, 10)}});
        }
    }
}

TEST_CASE("oneDNN binary ops keep per-channel and scalar operands of blocked tensors fast",
          "[onednn]") {
    // Conv output (blocked) + 1xCx1x1 constant, * scalar, then + a lower-rank [C,1,1] constant.
    for (int64_t channels : {24, 16, 1}) {
        DYNAMIC_SECTION(channels << " channels") {
            GraphBuilder b;
            const Shape xs{1, 8, 12, 10}, ys{1, channels, 12, 10};
            const ir::ValueId conv = b.node(
                "Conv", {b.input("x", xs), b.constant("w", randomTensor({channels, 8, 3, 3}, 8))},
                "c", ys, {attrInts("pads", {1, 1, 1, 1})});
            const ir::ValueId add = b.node(
                "Add", {conv, b.constant("bias", randomTensor({1, channels, 1, 1}, 9))}, "a", ys);
            const ir::ValueId mul =
                b.node("Mul", {add, b.constant("s", floats({1}, {0.75f}))}, "m", ys);
            const ir::ValueId sub = b.node(
                "Sub", {mul, b.constant("shift", randomTensor({channels, 1, 1}, 10))}, "s2", ys);
            b.output(b.node("Sigmoid", {sub}, "y", ys));
            compareWithReference(b.graph(), {{"x", randomTensor(xs, 11)}});
        }
    }
}
