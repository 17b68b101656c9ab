// layerbench-cli run with float16 and bfloat16 models, fed and read back through .npy files, on
// ONNX's Cast conformance models: float16 is numpy's '<f2' both ways; bfloat16 (which numpy lacks)
// is fed as float32 values or uint16 bit patterns and written back as uint16 bit patterns;
// strings are numpy's '<U' both ways.
#include "cli_in_process.h"
#include "onnx/tensor_io.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace lb;

namespace {

const std::string kNode = std::string(LB_ONNX_TESTDATA_DIR) + "/node/";

struct CastTest {
    std::string model;
    Tensor input, expected;
};

CastTest castTest(const std::string& name) {
    const std::string dir = kNode + name;
    return {dir + "/model.onnx",
            onnx::readTensorProtoFile(dir + "/test_data_set_0/input_0.pb").tensor,
            onnx::readTensorProtoFile(dir + "/test_data_set_0/output_0.pb").tensor};
}

// Runs `model` on input.npy holding `input`; returns the CLI's result and output.npy's tensor.
std::pair<test::CliRun, Tensor> runWith(const std::string& model, const Tensor& input) {
    const fs::path dir =
        fs::temp_directory_path() / ("lb_cli_dtypes_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string in = (dir / "input.npy").string();
    writeNpy(in, input);
    test::CliRun r = test::runCliInProcess({"run", model, "--backend", "reference", "--warmup", "0",
                                            "--iterations", "1", "--input", "input=" + in,
                                            "--outputs", (dir / "out").string()});
    Tensor out;
    if (fs::exists(dir / "out" / "output.npy"))
        out = readNpy((dir / "out" / "output.npy").string());
    fs::remove_all(dir);
    return {r, out};
}

void requireSameValues(const Tensor& got, const Tensor& want) {
    REQUIRE(got.shape() == want.shape());
    for (int64_t i = 0; i < got.numel(); ++i) {
        const double g = got.valueAsDouble(i), w = want.valueAsDouble(i);
        INFO("element " << i << ": " << g << " vs " << w);
        CHECK((g == w || (std::isnan(g) && std::isnan(w))));
    }
}

} // namespace

TEST_CASE("cli run reads a float16 .npy input and writes a float16 .npy output", "[cli]") {
    const CastTest in16 = castTest("test_cast_FLOAT16_to_FLOAT");
    REQUIRE(in16.input.dtype() == DataType::Float16);
    const auto [r, out] = runWith(in16.model, in16.input);
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(out.dtype() == DataType::Float32);
    requireSameValues(out, in16.expected);

    const CastTest out16 = castTest("test_cast_FLOAT_to_FLOAT16");
    const auto [r2, half] = runWith(out16.model, out16.input);
    INFO(r2.err);
    REQUIRE(r2.code == 0);
    CHECK(half.dtype() == DataType::Float16); // '<f2'
    requireSameValues(half, out16.expected);
}

TEST_CASE("cli run feeds bfloat16 from uint16 bit patterns or float32 and writes uint16 bits",
          "[cli]") {
    // ONNX 1.12 stores bfloat16 test data as uint16 bit patterns, which is one accepted form.
    const CastTest bf = castTest("test_cast_BFLOAT16_to_FLOAT");
    REQUIRE(bf.input.dtype() == DataType::UInt16);
    const auto [r, out] = runWith(bf.model, bf.input);
    INFO(r.err);
    REQUIRE(r.code == 0);
    requireSameValues(out, bf.expected);
    // The same values as float32 (each exactly a bfloat16) give the same result.
    const auto [r2, out2] = runWith(bf.model, bf.expected);
    INFO(r2.err);
    REQUIRE(r2.code == 0);
    requireSameValues(out2, bf.expected);

    // A bfloat16 output comes back as its uint16 bit patterns, as ONNX's test data holds them.
    const CastTest toBf = castTest("test_cast_FLOAT_to_BFLOAT16");
    REQUIRE(toBf.expected.dtype() == DataType::UInt16);
    const auto [r3, out3] = runWith(toBf.model, toBf.input);
    INFO(r3.err);
    REQUIRE(r3.code == 0);
    CHECK(out3.dtype() == DataType::UInt16);
    requireSameValues(out3, toBf.expected);
}

TEST_CASE("cli run reads and writes string tensors as numpy's fixed-width unicode .npy", "[cli]") {
    // Float to string: the output is '<U' text as numpy prints float32 values.
    const CastTest toText = castTest("test_cast_FLOAT_to_STRING");
    const auto [r, text] = runWith(toText.model, toText.input);
    INFO(r.err);
    REQUIRE(r.code == 0);
    REQUIRE(text.dtype() == DataType::String);
    CHECK(text.shape() == toText.expected.shape());
    CHECK(text.strings() == toText.expected.strings());
    // And back: a '<U' input (non-ASCII padding included) parsed to float.
    const CastTest fromText = castTest("test_cast_STRING_to_FLOAT");
    const auto [r2, values] = runWith(fromText.model, fromText.input);
    INFO(r2.err);
    REQUIRE(r2.code == 0);
    requireSameValues(values, fromText.expected);
    const fs::path file = fs::temp_directory_path() / "lb_cli_dtypes_utf8.npy";
    Tensor words(DataType::String, {2});
    words.strings() = {"caf\u00e9", "\u65e5\u672c"};
    writeNpy(file.string(), words);
    CHECK(readNpy(file.string()).strings() == words.strings());
    fs::remove(file);
}

TEST_CASE("cli run refuses a bfloat16 input file of another type in one line", "[cli]") {
    const CastTest bf = castTest("test_cast_BFLOAT16_to_FLOAT");
    Tensor ints(DataType::Int32, bf.input.shape());
    const auto [r, out] = runWith(bf.model, ints);
    CHECK(r.code != 0);
    CHECK_THAT(r.err, Catch::Contains("int32") && Catch::Contains("'input'") &&
                          Catch::Contains("bfloat16"));
    CHECK(r.err.find('\n') == r.err.size() - 1);
}
