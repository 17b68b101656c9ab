// lb::quant encodings files: AIMET/QNN 0.6.1 and 1.0.0 forms, the tutorial's example, the
// zero_point sign mix-up, malformed files and graph name checks.

#include "core/error.h"
#include "ir/graph.h"
#include "quant/encodings_json.h"
#include "quant/name_check.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

using namespace lb;
using namespace lb::quant;

namespace {

const std::string kDataDir = LB_QUANT_DATA_DIR;

std::string readText(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

bool hasIssue(const std::vector<EncodingIssue>& issues, EncodingIssue::Kind kind,
              const std::string& tensor) {
    for (const EncodingIssue& issue : issues) {
        if (issue.kind == kind && issue.tensor == tensor) {
            return true;
        }
    }
    return false;
}

// One-line error naming the file and containing every fragment.
void expectParseError(const std::string& text, const std::vector<std::string>& fragments) {
    try {
        parseEncodingsJson(text, "overrides.json");
        FAIL("no error; expected " << fragments.front());
    } catch (const Error& error) {
        const std::string msg = error.what();
        INFO(msg);
        CHECK(msg.rfind("overrides.json: ", 0) == 0);
        CHECK(msg.find('\n') == std::string::npos);
        for (const std::string& fragment : fragments) {
            CHECK(msg.find(fragment) != std::string::npos);
        }
    }
}

EncodingSet sampleSet() {
    EncodingSet set;
    set.activations["conv1/Relu:0"] = perTensorEncoding(0.0, 6.0, 8, false);
    set.activations["x"] = perTensorEncoding(-1.7, 2.3, 16, false);
    set.activations["logits"] = floatEncoding(16);
    Encoding w = perTensorEncoding(-0.5, 0.4, 8, true);
    w.channels.push_back(paramsFromMinMax(-0.05, 0.07, 8, true));
    w.channels.push_back(paramsFromMinMax(-2.0, 1.0, 8, true));
    set.params["conv1.weight"] = w;
    set.params["fc.weight"] = perTensorEncoding(-0.3, 0.25, 4, true, SymmetricMode::Strict);
    set.activationBitwidth = 8;
    set.paramBitwidth = 4;
    return set;
}

} // namespace

TEST_CASE("the tutorial's quantization_config.json loads") {
    const EncodingSet set = readEncodingsFile(kDataDir + "/tutorial_quantization_config.json");
    CHECK(set.activationBitwidth == 8);
    CHECK(set.paramBitwidth == 8);
    CHECK(set.biasBitwidth == 32);
    REQUIRE(set.activations.count("conv1/Relu:0") == 1);
    const Encoding& act = set.activations.at("conv1/Relu:0");
    CHECK(act.bitwidth == 8);
    CHECK_FALSE(act.symmetric);
    REQUIRE(act.channels.size() == 1);
    CHECK(act.channels[0].offset == 0);
    CHECK(act.channels[0].scale * 255 == Approx(act.channels[0].max).margin(0.001));
    CHECK_FALSE(hasIssue(set.issues, EncodingIssue::Kind::InconsistentMinMax, "conv1/Relu:0"));
    CHECK_FALSE(hasIssue(set.issues, EncodingIssue::Kind::OppositeOffsetSign, "conv1/Relu:0"));

    // conv1.weight's offset 127 is a zero_point: flagged, then flipped to QNN's -127
    CHECK(hasIssue(set.issues, EncodingIssue::Kind::OppositeOffsetSign, "conv1.weight"));
    EncodingSet fixed = set;
    CHECK(fixOffsetSigns(fixed) == 1);
    const ChannelParams& w = fixed.params.at("conv1.weight").channels[0];
    CHECK(w.offset == -127);
    // consistent both ways: round(min / scale) of the stated range gives the same offset
    CHECK(std::lround(-2.5 / 0.019608) == w.offset);
    CHECK(w.min == Approx(-2.5).margin(0.019608));
    CHECK(w.max == Approx(2.5).margin(0.019608));
    CHECK_NOTHROW(validateEncoding(fixed.params.at("conv1.weight"), "conv1.weight"));
    CHECK(checkOffsetSigns(fixed).empty());
    CHECK(checkMinMaxConsistency(fixed).empty());
}

TEST_CASE("a leading // caption line is stripped with a warning") {
    const std::string text =
        "// quantization_config.json\n" + readText(kDataDir + "/tutorial_quantization_config.json");
    const EncodingSet set = parseEncodingsJson(text, "quantization_config.json");
    CHECK(set.activations.size() == 1);
    CHECK(hasIssue(set.issues, EncodingIssue::Kind::Warning, ""));
}

TEST_CASE("AIMET 0.6.1 fixture: per-channel lists, float16 entries, string is_symmetric") {
    const EncodingSet set = readEncodingsFile(kDataDir + "/aimet_061.json");
    CHECK(set.version == "0.6.1");
    const Encoding& act = set.activations.at("20");
    CHECK(act.channels[0].offset == -114);
    CHECK(act.channels[0].min == Approx(-2.109158515930176));
    CHECK(set.activations.at("head_out").dtype == EncodingDtype::Float);
    CHECK(set.activations.at("head_out").bitwidth == 16);
    const Encoding& w = set.params.at("conv2.weight");
    CHECK(w.symmetric);
    REQUIRE(w.channels.size() == 2);
    CHECK(w.isPerChannel());
    CHECK(w.channels[1].scale == 0.001);
    CHECK(set.issues.empty());
}

TEST_CASE("AIMET 1.0.0 fixture loads, min/max follow from scale/offset") {
    const EncodingSet set = readEncodingsFile(kDataDir + "/aimet_100.json");
    CHECK(set.version == "1.0.0");
    CHECK(set.activations.size() == 3);
    CHECK(set.activations.at("logits").dtype == EncodingDtype::Float);
    const Encoding& a = set.activations.at("/fc1/Gemm_output_0");
    CHECK(a.bitwidth == 16);
    CHECK(a.channels[0].offset == -35799);
    CHECK(a.channels[0].min == Approx(-35799 * 6.05e-05));
    const Encoding& w = set.params.at("conv1.weight");
    CHECK(w.symmetric);
    REQUIRE(w.channels.size() == 3);
    CHECK(w.channels[2].scale == 0.010999999940395355);
    CHECK(w.channels[0].max == Approx(127 * 0.012000000104308128));
    CHECK(set.issues.empty());
}

TEST_CASE("both forms round-trip: write -> read -> equal, and the text is stable") {
    const EncodingSet original = sampleSet();
    for (const EncodingsFormat format : {EncodingsFormat::V061, EncodingsFormat::V100}) {
        const std::string text = writeEncodingsJson(original, format);
        const EncodingSet back = parseEncodingsJson(text, "roundtrip.json");
        CHECK(back.issues.empty());
        EncodingSet expected = original;
        expected.version = format == EncodingsFormat::V061 ? "0.6.1" : "1.0.0";
        if (format == EncodingsFormat::V100) {
            // 1.0.0 has no min/max and no top-level bitwidths; the rest must survive
            expected.activationBitwidth.reset();
            expected.paramBitwidth.reset();
            for (auto* section : {&expected.activations, &expected.params}) {
                for (auto& [name, e] : *section) {
                    for (ChannelParams& p : e.channels) {
                        p = paramsFromScaleOffset(p.scale, p.offset, e.bitwidth);
                    }
                }
            }
        }
        CHECK(back == expected);
        CHECK(writeEncodingsJson(back, format) == text);
    }
    // 1.0.0 text from the writer has the spec's keys
    const std::string v1 = writeEncodingsJson(original, EncodingsFormat::V100);
    for (const char* key : {"\"bw\"", "\"enc_type\": \"PER_CHANNEL\"", "\"is_sym\": true",
                            "\"dtype\": \"FLOAT\"", "\"version\": \"1.0.0\""}) {
        CHECK(v1.find(key) != std::string::npos);
    }
    const std::string v0 = writeEncodingsJson(original, EncodingsFormat::V061);
    CHECK(v0.find("\"is_symmetric\": \"True\"") != std::string::npos);
}

TEST_CASE("malformed files give one-line errors naming file, tensor and key") {
    try {
        readEncodingsFile(kDataDir + "/truncated.json");
        FAIL("truncated file accepted");
    } catch (const Error& error) {
        const std::string msg = error.what();
        CHECK(msg.find("truncated.json: malformed JSON at byte ") != std::string::npos);
        CHECK(msg.find('\n') == std::string::npos);
    }
    try {
        readEncodingsFile(kDataDir + "/per_block.json");
        FAIL("PER_BLOCK accepted");
    } catch (const Error& error) {
        const std::string msg = error.what();
        CHECK(msg.find("per_block.json") != std::string::npos);
        CHECK(msg.find("'linear.weight'") != std::string::npos);
        CHECK(msg.find("PER_BLOCK") != std::string::npos);
    }
    expectParseError(R"({"activation_encodings": {"a": [{"bitwidth": "8", "scale": 0.1,
                     "offset": 0}]}})",
                     {"'a'", "key 'bitwidth' must be a number, got string"});
    expectParseError(R"({"param_encodings": {"w": {"bitwidth": 8, "scale": 0.1}}})",
                     {"'w'", "missing key 'offset'"});
    expectParseError(R"({"param_encodings": {"w": {"bitwidth": 8}}})", {"'w'", "'scale'"});
    expectParseError(R"({"param_encodings": {"w": {"bitwidth": 8, "is_symmetric": "yes",
                     "scale": 0.1, "offset": -128}}})",
                     {"'w'", "is_symmetric"});
    expectParseError(R"({"version": "1.0.0", "param_encodings": [{"name": "w", "bw": 8,
                     "dtype": "INT", "enc_type": "PER_ROW", "is_sym": true, "scale": [0.1],
                     "offset": [-128]}]})",
                     {"'w'", "unknown enc_type \"PER_ROW\""});
    expectParseError(R"({"version": "1.0.0", "param_encodings": [{"name": "w", "bw": 8,
                     "dtype": "INT", "enc_type": "PER_TENSOR", "is_sym": "True", "scale": [0.1],
                     "offset": [-128]}]})",
                     {"'w'", "'is_sym'"});
    expectParseError(R"({"version": "1.0.0", "param_encodings": [{"name": "w", "bw": 8,
                     "dtype": "INT", "enc_type": "PER_TENSOR", "is_sym": true, "scale": 0.1,
                     "offset": [-128]}]})",
                     {"'w'", "'scale' must be a list"});
    expectParseError(R"({"version": "1.0.0", "activation_encodings": [{"bw": 8}]})",
                     {"activation_encodings[0]", "missing key 'name'"});
    expectParseError(R"({"param_encodings": {"w": {"bitwidth": 8, "scale": -0.1,
                     "offset": 0}}})",
                     {"'w'", "scale -0.1"});
    expectParseError(R"({"param_encodings": {"w": {"bitwidth": 8, "min": 1.0, "max": -1.0}}})",
                     {"'w'", "max"});
    expectParseError(R"({"param_encodings": {"w": {"bitwidth": 12, "scale": 0.1,
                     "offset": 0}}})",
                     {"'w'", "bitwidth 12"});
    expectParseError("[1, 2]", {"expected a JSON object"});
    expectParseError(R"({"activation_encodings": {"a": [)", {"malformed JSON at byte "});
}

TEST_CASE("names are checked against a graph") {
    ir::Graph g;
    const ir::ValueId x = g.addValue("input");
    g.inputs().push_back(x);
    const ir::ValueId w = g.addValue("conv1.weight");
    Tensor weight(DataType::Float32, {4, 3, 3, 3});
    for (int64_t i = 0; i < weight.numel(); ++i) // within the encodings' [-1, 1] below
        weight.data<float>()[i] = i % 2 ? 0.9f : -0.9f;
    g.setInitializer(w, weight);
    const ir::ValueId convOut = g.addValue("conv_out");
    const ir::ValueId relu = g.addValue("conv1/Relu:0");
    const ir::ValueId shape = g.addValue("shape_const");
    auto node = [&g](const char* name, const char* op, std::vector<ir::ValueId> inputs,
                     ir::ValueId output) {
        ir::Node n;
        n.name = name;
        n.opType = op;
        n.inputs = std::move(inputs);
        n.outputs = {output};
        g.addNode(std::move(n));
    };
    node("conv1", "Conv", {x, w}, convOut);
    node("relu1", "Relu", {convOut}, relu);
    node("c", "Constant", {}, shape);

    EncodingSet set;
    const Encoding act = perTensorEncoding(0.0, 6.0, 8, false);
    set.activations["conv1/Relu:0"] = act;
    set.activations["input"] = act;
    set.activations["shape_const"] = act; // a param filed as activation
    set.activations["no_such_tensor"] = act;
    set.params["conv_out"] = act; // an activation filed as param
    Encoding perChannel = perTensorEncoding(-1.0, 1.0, 8, true);
    perChannel.channels.resize(3, perChannel.channels[0]); // the weight has 4 output channels
    set.params["conv1.weight"] = perChannel;

    const std::vector<EncodingIssue> issues = checkNames(set, g);
    CHECK(hasIssue(issues, EncodingIssue::Kind::UnknownTensor, "no_such_tensor"));
    CHECK(hasIssue(issues, EncodingIssue::Kind::ParamFiledAsActivation, "shape_const"));
    CHECK(hasIssue(issues, EncodingIssue::Kind::ActivationFiledAsParam, "conv_out"));
    CHECK(hasIssue(issues, EncodingIssue::Kind::ChannelCountMismatch, "conv1.weight"));
    CHECK(issues.size() == 4);
    for (const EncodingIssue& issue : issues) {
        CHECK(issue.message.find("'" + issue.tensor + "'") != std::string::npos);
    }
    perChannel.channels.resize(4, perChannel.channels[0]);
    set.params["conv1.weight"] = perChannel;
    CHECK(checkNames(set, g).size() == 3);
}

// The QNN docs' example (conv1/Relu:0, 8-bit 0..6: scale 0.023529, offset 0) in both forms: it
// reads to the same encoding and each form writes it back to itself.
TEST_CASE("the QNN docs example in the 0.6.1 and the 1.0.0 form") {
    const std::string v061 = R"({"activation_encodings": {"conv1/Relu:0": [{"bitwidth": 8,
        "dtype": "int", "is_symmetric": "False", "max": 6.0, "min": 0.0,
        "offset": 0, "scale": 0.023529}]}, "param_encodings": {}})";
    const std::string v100 = R"({"version": "1.0.0", "activation_encodings": [{"name":
        "conv1/Relu:0", "bw": 8, "dtype": "INT", "enc_type": "PER_TENSOR", "is_sym": false,
        "scale": [0.023529], "offset": [0]}], "param_encodings": []})";
    const EncodingSet a = parseEncodingsJson(v061, "docs_061.json");
    const EncodingSet b = parseEncodingsJson(v100, "docs_100.json");
    CHECK(a.issues.empty());
    CHECK(b.issues.empty());
    CHECK(b.version == "1.0.0");
    for (const EncodingSet* set : {&a, &b}) {
        const Encoding& e = set->activations.at("conv1/Relu:0");
        CHECK(e.bitwidth == 8);
        CHECK_FALSE(e.symmetric);
        CHECK_FALSE(e.isPerChannel());
        REQUIRE(e.channels.size() == 1);
        CHECK(e.channels[0].scale == 0.023529);
        CHECK(e.channels[0].offset == 0);
        CHECK(e.channels[0].min == 0.0);
        CHECK(e.channels[0].max == Approx(6.0).margin(0.001));
    }
    // 1.0.0 has no min/max: it derives them, so the two readings agree on scale, offset, range.
    CHECK(a.activations.at("conv1/Relu:0").channels[0].max ==
          Approx(b.activations.at("conv1/Relu:0").channels[0].max).margin(1e-3));
    for (const auto& [set, format] :
         {std::pair{&a, EncodingsFormat::V061}, std::pair{&b, EncodingsFormat::V100}}) {
        const std::string text = writeEncodingsJson(*set, format);
        CHECK(text.find("0.023529") != std::string::npos);
        const EncodingSet back = parseEncodingsJson(text, "docs_back.json");
        CHECK(back.activations == set->activations);
        CHECK(writeEncodingsJson(back, format) == text);
    }
    // Across forms: 0.6.1 -> 1.0.0 -> 0.6.1 keeps scale and offset exactly.
    const EncodingSet across =
        parseEncodingsJson(writeEncodingsJson(a, EncodingsFormat::V100), "across.json");
    CHECK(across.activations.at("conv1/Relu:0").channels[0].scale == 0.023529);
    CHECK(across.activations.at("conv1/Relu:0").channels[0].offset == 0);
}

TEST_CASE("malformed 1.0.0 lists and sections are one-line errors") {
    expectParseError(R"({"version": "1.0.0", "param_encodings": [{"name": "w", "bw": 8,
                     "dtype": "INT", "enc_type": "PER_CHANNEL", "is_sym": true,
                     "scale": [0.1, 0.2], "offset": [-128]}]})",
                     {"'w'"});
    expectParseError(R"({"version": "1.0.0", "param_encodings": [{"name": "w", "bw": 8,
                     "dtype": "INT", "enc_type": "PER_TENSOR", "is_sym": true,
                     "scale": [0.1, 0.2], "offset": [-128, -128]}]})",
                     {"'w'"});
    expectParseError(R"({"version": "1.0.0", "param_encodings": [{"name": "w", "bw": 8,
                     "dtype": "INT", "enc_type": "PER_TENSOR", "is_sym": true,
                     "scale": [], "offset": []}]})",
                     {"'w'"});
    expectParseError(R"({"version": "1.0.0", "activation_encodings": {"a": []}})",
                     {"activation_encodings"});
    expectParseError(R"({"activation_encodings": [1, 2]})", {"activation_encodings"});
    expectParseError(R"({"param_encodings": {"w": [{"bitwidth": 8, "scale": 0.1,
                     "offset": 0.5}]}})",
                     {"'w'", "offset"});
    expectParseError(R"({"version": "1.0.0", "activation_encodings": [{"name": "a", "bw": 8,
                     "dtype": "INT", "enc_type": "PER_TENSOR", "is_sym": false,
                     "scale": [0.1], "offset": [0]}, {"name": "a", "bw": 8,
                     "dtype": "INT", "enc_type": "PER_TENSOR", "is_sym": false,
                     "scale": [0.2], "offset": [0]}]})",
                     {"'a'"});
}
