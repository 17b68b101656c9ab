// An encodings file checked against the model it is about to be applied to (quant::checkEncodings,
// issue #10 item 4): each entry against its tensor, what an import keeps, the activations left in
// float; and cls's own quantize output against rec, through the engine and the CLI.
#include "cli_in_process.h"
#include "onnx/importer.h"
#include "quant/encodings_json.h"
#include "quant/name_check.h"
#include "test_models.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

using namespace lb;
using quant::EncodingIssue;
using Kind = quant::EncodingIssue::Kind;
namespace fs = std::filesystem;

namespace {

const std::string kCls = std::string(LB_MODELS_DIR) + "/ch_ppocr_mobile_v2.0_cls_infer.onnx";
const std::string kRec = std::string(LB_MODELS_DIR) + "/ch_PP-OCRv4_rec_infer.onnx";

// x [1,3,8,8] -> Conv(w [4,3,3,3], b [4]) -> c -> Relu -> r; Shape(r) -> s (int64).
// Output channel k of w holds values in [-(k+1)/10, (k+1)/10].
ir::Graph convReluShape() {
    ir::Graph g = test::emptyModel("conv_relu_shape");
    test::addInput(g, "x", {1, 3, 8, 8});
    Tensor w(DataType::Float32, {4, 3, 3, 3});
    for (int64_t i = 0; i < w.numel(); ++i) {
        const int64_t k = i / 27, j = i % 27;
        w.data<float>()[i] = static_cast<float>((k + 1) * 0.1 * (j / 13.0 - 1.0));
    }
    g.setInitializer(g.valueId("w"), w);
    Tensor b(DataType::Float32, {4});
    std::fill(b.data<float>(), b.data<float>() + 4, 0.05f);
    g.setInitializer(g.valueId("b"), b);
    test::addNode(g, "Conv", {"x", "w", "b"}, {"c"}, {}, {{1, 4, 6, 6}});
    test::addNode(g, "Relu", {"c"}, {"r"}, {}, {{1, 4, 6, 6}});
    test::addNode(g, "Shape", {"r"}, {"s"});
    g.value(g.valueId("s")).dtype = DataType::Int64;
    g.value(g.valueId("s")).shape = symbolicShape({4});
    g.outputs() = {g.valueId("r"), g.valueId("s")};
    return g;
}

const EncodingIssue* findIssue(const std::vector<EncodingIssue>& issues, Kind kind,
                               const std::string& tensor) {
    for (const EncodingIssue& i : issues)
        if (i.kind == kind && i.tensor == tensor)
            return &i;
    return nullptr;
}

quant::Encoding perChannel(const std::vector<double>& absMax) {
    quant::Encoding e;
    e.symmetric = true;
    e.axis = 0;
    for (double m : absMax)
        e.channels.push_back(quant::perTensorEncoding(-m, m, 8, true).channels.front());
    return e;
}

// 32-bit bias encoding, scale 1e-6: [-2147, 2147], the values (0.05) well inside.
quant::Encoding bias32() {
    quant::Encoding e;
    e.bitwidth = 32;
    e.symmetric = true;
    e.channels.push_back(quant::paramsFromScaleOffset(1e-6, -(int64_t{1} << 31), 32));
    return e;
}

} // namespace

TEST_CASE("each entry is checked against its tensor: dtype, bitwidth, channels, weight range") {
    const ir::Graph g = convReluShape();
    quant::EncodingSet set;
    set.activations["x"] = quant::perTensorEncoding(-1, 1, 8, false);
    set.activations["r"] = quant::perTensorEncoding(0, 6, 32, false);
    set.activations["s"] = quant::perTensorEncoding(0, 8, 8, false);
    set.params["w"] = perChannel({0.1, 0.2, 0.3, 0.4});
    set.params["b"] = bias32();
    std::vector<EncodingIssue> issues = quant::checkNames(set, g);
    REQUIRE(issues.size() == 2);
    const EncodingIssue* bits = findIssue(issues, Kind::UnusualBitwidth, "r");
    REQUIRE(bits);
    CHECK(bits->found == 32);
    CHECK(bits->section == quant::EncodingSection::Activation);
    const EncodingIssue* notFloat = findIssue(issues, Kind::NotFloatTensor, "s");
    REQUIRE(notFloat);
    CHECK(notFloat->detail == "int64");
    CHECK(quant::leavesEntryOut(notFloat->kind));
    CHECK_FALSE(quant::leavesEntryOut(bits->kind));

    // The weight's own per-tensor range (symmetric, its largest magnitude) fits; one twice as
    // wide, or one that clips the largest channel to half, does not.
    for (double absMax : {0.4, 0.8, 0.2}) {
        set.params["w"] = quant::perTensorEncoding(-absMax, absMax, 8, true);
        issues = quant::checkNames(set, g);
        const EncodingIssue* range = findIssue(issues, Kind::ParamRangeMismatch, "w");
        INFO("encoding reach " << absMax);
        CHECK((range != nullptr) == (absMax != 0.4));
        if (range) {
            CHECK(range->section == quant::EncodingSection::Param);
            CHECK(range->values.first == Approx(-0.4));
            CHECK(range->values.second == Approx(0.4));
            CHECK(range->range.second == Approx(set.params["w"].channels[0].max));
            CHECK_FALSE(quant::leavesEntryOut(range->kind));
        }
    }
    // Per channel: the third channel's range belongs to another tensor.
    set.params["w"] = perChannel({0.1, 0.2, 0.9, 0.4});
    issues = quant::checkNames(set, g); // findIssue points into it
    const EncodingIssue* channel = findIssue(issues, Kind::ParamRangeMismatch, "w");
    REQUIRE(channel);
    CHECK(channel->found == 1);
    CHECK(channel->expected == 4);
    CHECK(channel->values.second == Approx(0.3));
    // Three channels for a four-channel weight: the count, with the shape.
    set.params["w"] = perChannel({0.1, 0.2, 0.3});
    issues = quant::checkNames(set, g);
    const EncodingIssue* count = findIssue(issues, Kind::ChannelCountMismatch, "w");
    REQUIRE(count);
    CHECK(count->found == 3);
    CHECK(count->expected == 4);
    CHECK(count->detail == "4x3x3x3");
    CHECK_FALSE(findIssue(issues, Kind::ParamRangeMismatch, "w"));
    // A 32-bit encoding on a weight is unusual; on the bias it is the norm.
    set.params["w"] = perChannel({0.1, 0.2, 0.3, 0.4});
    set.params["w"].bitwidth = 32;
    CHECK(findIssue(quant::checkNames(set, g), Kind::UnusualBitwidth, "w"));
    CHECK_FALSE(findIssue(quant::checkNames(set, g), Kind::UnusualBitwidth, "b"));
}

TEST_CASE("an import keeps only the entries that fit, the check counts them and lists the "
          "activations left in float") {
    const ir::Graph g = convReluShape();
    quant::EncodingSet written;
    written.version = "1.0.0";
    written.activations["x"] = quant::perTensorEncoding(-1, 1, 8, false);
    written.activations["r"] = quant::perTensorEncoding(0, 6, 8, false);
    written.activations["ghost/a"] = quant::perTensorEncoding(0, 1, 8, false);
    written.activations["ghost/b"] = quant::perTensorEncoding(0, 1, 8, false);
    written.activations["s"] = quant::perTensorEncoding(0, 8, 8, false); // int64: left out
    written.params["w"] = perChannel({0.1, 0.2, 0.3, 0.4});
    written.params["b"] = bias32();
    written.params["c"] = quant::perTensorEncoding(-1, 1, 8, true); // an activation: left out
    // Read back from a file with the comment line people copy from the tutorial: the reader's
    // warning comes first in the check.
    const std::string text =
        "// overrides.json\n" + quant::writeEncodingsJson(written, quant::EncodingsFormat::V100);
    const quant::EncodingSet set = quant::parseEncodingsJson(text, "overrides.json");

    const quant::EncodingsCheck check = quant::checkEncodings(set, g);
    CHECK(check.entries == 8);
    CHECK(check.unmatched == 2);
    CHECK(check.matching() == 6);
    CHECK(check.leftOut == 4);
    CHECK(check.usable() == 4);
    REQUIRE_FALSE(check.issues.empty());
    CHECK(check.issues.front().kind == Kind::Warning);
    CHECK(check.issues.front().detail == "// overrides.json");
    CHECK(findIssue(check.issues, Kind::UnknownTensor, "ghost/a"));
    CHECK(findIssue(check.issues, Kind::UnknownTensor, "ghost/b"));
    CHECK(findIssue(check.issues, Kind::NotFloatTensor, "s"));
    CHECK(findIssue(check.issues, Kind::ActivationFiledAsParam, "c"));
    CHECK(check.missingActivations.empty());

    const quant::EncodingSet kept = quant::usableEntries(set, check);
    CHECK(kept.activations.size() == 2);
    CHECK(kept.activations.count("x") == 1);
    CHECK(kept.activations.count("r") == 1);
    CHECK(kept.params.size() == 2);
    CHECK(kept.params.at("w") == set.params.at("w"));
    CHECK(kept.params.at("b") == set.params.at("b"));
    CHECK(kept.issues.size() == 1); // the file's warning; the left-out entries' went with them
    CHECK(quant::checkEncodings(kept, g).leftOut == 0);

    // Without r the model's only materialized activation besides x stays float; the Conv output
    // in front of the Relu is fused away (never quantized) and s is not float.
    quant::EncodingSet partial = kept;
    partial.activations.erase("r");
    const quant::EncodingsCheck withoutR = quant::checkEncodings(partial, g);
    CHECK(withoutR.missingActivations == std::vector<std::string>{"r"});
    CHECK(withoutR.issues.size() == 1);
    partial.activations.erase("x");
    CHECK(quant::checkEncodings(partial, g).missingActivations ==
          std::vector<std::string>{"x", "r"});
}

TEST_CASE("cls's quantize output checked against rec: most entries match nothing and are left "
          "out, the CLI and the engine agree",
          "[models][cli]") {
    const fs::path dir = test::makeTempDir("quant_check_cls_rec");
    const std::string enc = (dir / "cls_enc.json").string();
    const test::CliRun quantize =
        test::runCliInProcess({"quantize", kCls, "--shape", "x=1x3x48x192", "--samples", "2",
                               "--isolated", "0", "--encodings", enc});
    INFO(quantize.err);
    REQUIRE(quantize.code == 0);
    const quant::EncodingSet set = quant::readEncodingsFile(enc);

    onnx::ImportOptions clsShapes, recShapes;
    clsShapes.inputShapes["x"] = {1, 3, 48, 192};
    recShapes.inputShapes["x"] = {1, 3, 48, 320};
    const ir::Graph cls = onnx::importModel(kCls, clsShapes).graph;
    const ir::Graph rec = onnx::importModel(kRec, recShapes).graph;

    // Against its own model the file is clean and whole.
    const quant::EncodingsCheck own = quant::checkEncodings(set, cls);
    CHECK(own.isClean());
    CHECK(own.usable() == own.entries);

    const quant::EncodingsCheck check = quant::checkEncodings(set, rec);
    CHECK(check.entries == set.activations.size() + set.params.size());
    CHECK(check.unmatched > check.entries / 2);
    // PaddleOCR names tensors by op and counter: a few of cls's names exist in rec too.
    CHECK(check.matching() > 0);
    size_t unknown = 0;
    for (const EncodingIssue& i : check.issues)
        if (i.kind == Kind::UnknownTensor) {
            ++unknown;
            CHECK_FALSE(rec.findValue(i.tensor));
        }
    CHECK(unknown == check.unmatched);
    // A weight of the same name in rec with other values: its range gives the file away.
    CHECK(findIssue(check.issues, Kind::ParamRangeMismatch, "conv2d_10.w_0"));
    CHECK(check.missingActivations.size() > 100);
    for (const std::string& name : check.missingActivations) {
        CHECK(rec.findValue(name));
        CHECK_FALSE(set.activations.count(name));
    }

    const quant::EncodingSet kept = quant::usableEntries(set, check);
    CHECK(kept.activations.size() + kept.params.size() == check.usable());
    for (const auto* section : {&kept.activations, &kept.params})
        for (const auto& [name, e] : *section) {
            INFO(name);
            CHECK(rec.findValue(name));
        }

    // The CLI reports the same check, as JSON, and fails.
    const test::CliRun cli = test::runCliInProcess(
        {"encodings", "check", kRec, enc, "--shape", "x=1x3x48x320", "--json"});
    CHECK(cli.code == 1);
    const nlohmann::json json = nlohmann::json::parse(cli.out);
    CHECK(json.at("entries") == check.entries);
    CHECK(json.at("matching") == check.matching());
    CHECK(json.at("unmatched") == check.unmatched);
    CHECK(json.at("left_out") == check.leftOut);
    CHECK(json.at("issues").size() == check.issues.size());
    CHECK(json.at("missing_activations").get<std::vector<std::string>>() ==
          check.missingActivations);
    size_t leftOutIssues = 0;
    for (const auto& issue : json.at("issues"))
        leftOutIssues += issue.at("left_out").get<bool>();
    CHECK(leftOutIssues == check.leftOut);
    const test::CliRun text =
        test::runCliInProcess({"encodings", "check", kRec, enc, "--shape", "x=1x3x48x320"});
    CHECK(text.out.find(std::to_string(check.matching()) + " of " + std::to_string(check.entries) +
                        " entries match the model; " + std::to_string(check.unmatched) +
                        " match nothing") != std::string::npos);
    fs::remove_all(dir);
}
