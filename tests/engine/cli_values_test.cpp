// layerbench-cli run with sequence and optional inputs and outputs, on ONNX's conformance models
// and their test data (SequenceProto / OptionalProto .pb files): every kind of value a model
// declares is read from the file given for it, every kind of output is written (a tensor as .npy,
// a sequence or optional as .pb) and read back equal to the expected output; a file of the wrong
// kind, or a size read from one, ends in a one-line error naming the input, never in an
// allocation. Also: "scalar" is a shape on the command line, as in the GUI.
#include "cli_in_process.h"
#include "core/error.h"
#include "core/shape.h"
#include "onnx/tensor_io.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace lb;

namespace {

const std::string kNode = std::string(LB_ONNX_TESTDATA_DIR) + "/node/";

std::string data(const std::string& test, const std::string& file) {
    return kNode + test + "/test_data_set_0/" + file;
}

struct TempDir {
    fs::path path;
    TempDir() {
        static int counter = 0;
        path = fs::temp_directory_path() /
               ("lb_cli_values_" + std::to_string(::getpid()) + "_" + std::to_string(++counter));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() { fs::remove_all(path); }
    std::string operator/(const std::string& name) const { return (path / name).string(); }
};

test::CliRun runModel(const std::string& test, const std::vector<std::string>& inputs,
                      const std::string& outDir) {
    std::vector<std::string> args{"run",      kNode + test + "/model.onnx",
                                  "--warmup", "0",
                                  "--iterations", "1",
                                  "--outputs", outDir};
    for (const std::string& i : inputs) {
        args.push_back("--input");
        args.push_back(i);
    }
    return test::runCliInProcess(args);
}

void requireSameTensor(const Tensor& got, const Tensor& want) {
    REQUIRE(got.kind() == ValueKind::Tensor);
    REQUIRE(got.dtype() == want.dtype());
    REQUIRE(got.shape() == want.shape());
    for (int64_t i = 0; i < got.numel(); ++i) {
        INFO("element " << i);
        CHECK(got.valueAsDouble(i) == want.valueAsDouble(i));
    }
}

// Same kind, same items, same values (exact: these tests move values, they compute none).
void requireSameValue(const Tensor& got, const Tensor& want) {
    REQUIRE(got.kind() == want.kind());
    if (want.kind() == ValueKind::Tensor)
        return requireSameTensor(got, want);
    REQUIRE(got.items().size() == want.items().size());
    for (size_t i = 0; i < want.items().size(); ++i) {
        INFO("item " << i);
        requireSameValue(got.items()[i], want.items()[i]);
    }
}

bool oneLine(const std::string& err) {
    const auto first = err.find('\n');
    return first != std::string::npos && first + 1 == err.size();
}

} // namespace

TEST_CASE("run reads a sequence input from a SequenceProto and writes a sequence output as one",
          "[cli][values]") {
    TempDir dir;
    const test::CliRun r = runModel(
        "test_sequence_insert_at_back",
        {"sequence=" + data("test_sequence_insert_at_back", "input_0.pb"),
         "tensor=" + data("test_sequence_insert_at_back", "input_1.pb")},
        dir / "out");
    INFO(r.err);
    REQUIRE(r.code == 0);
    const Tensor want = onnx::readValueProtoFile(data("test_sequence_insert_at_back", "output_0.pb"),
                                                 ValueKind::Sequence);
    REQUIRE(want.items().size() == 4);
    REQUIRE(fs::exists(dir / "out/output_sequence.pb"));
    CHECK(!fs::exists(dir / "out/output_sequence.npy"));
    requireSameValue(onnx::readValueProtoFile(dir / "out/output_sequence.pb", ValueKind::Sequence),
                     want);
}

TEST_CASE("run reads and writes optionals: a tensor, a sequence, none, and a .npy tensor",
          "[cli][values]") {
    SECTION("an optional tensor in, the same out (Identity)") {
        TempDir dir;
        const test::CliRun r = runModel(
            "test_identity_opt", {"opt_in=" + data("test_identity_opt", "input_0.pb")},
            dir / "out");
        INFO(r.err);
        REQUIRE(r.code == 0);
        const Tensor want = onnx::readValueProtoFile(data("test_identity_opt", "output_0.pb"),
                                                     ValueKind::Optional);
        REQUIRE(want.items().size() == 1);
        REQUIRE(want.items()[0].isSequence()); // test_identity_opt's optional holds a sequence
        requireSameValue(onnx::readValueProtoFile(dir / "out/opt_out.pb", ValueKind::Optional),
                         want);
    }
    SECTION("an empty optional in: has_element is false") {
        TempDir dir;
        const test::CliRun r = runModel(
            "test_optional_has_element_empty",
            {"optional_input=" + data("test_optional_has_element_empty", "input_0.pb")},
            dir / "out");
        INFO(r.err);
        REQUIRE(r.code == 0);
        const Tensor want =
            onnx::readTensorProtoFile(data("test_optional_has_element_empty", "output_0.pb"))
                .tensor;
        requireSameTensor(readNpy(dir / "out/output.npy"), want);
        CHECK(want.data<uint8_t>()[0] == 0);
    }
    SECTION("an optional tensor from an OptionalProto, and the same tensor from a .npy") {
        const std::string test = "test_optional_get_element";
        const Tensor given = onnx::readValueProtoFile(data(test, "input_0.pb"), ValueKind::Optional);
        REQUIRE(given.items().size() == 1);
        const Tensor want = onnx::readTensorProtoFile(data(test, "output_0.pb")).tensor;
        for (const bool npy : {false, true}) {
            INFO((npy ? ".npy" : ".pb"));
            TempDir dir;
            std::string file = data(test, "input_0.pb");
            if (npy) {
                file = dir / "input.npy";
                writeNpy(file, given.items()[0]);
            }
            const test::CliRun r = runModel(test, {"optional_input=" + file}, dir / "out");
            INFO(r.err);
            REQUIRE(r.code == 0);
            requireSameTensor(readNpy(dir / "out/output.npy"), want);
        }
    }
}

TEST_CASE("an if whose branches give sequences writes its sequence output as a SequenceProto",
          "[cli][values]") {
    TempDir dir;
    const test::CliRun r =
        runModel("test_if_seq", {"cond=" + data("test_if_seq", "input_0.pb")}, dir / "out");
    INFO(r.err);
    REQUIRE(r.code == 0);
    requireSameValue(onnx::readValueProtoFile(dir / "out/res.pb", ValueKind::Sequence),
                     onnx::readValueProtoFile(data("test_if_seq", "output_0.pb"),
                                              ValueKind::Sequence));
}

TEST_CASE("a value file of the wrong kind is a one-line error naming the input, never an "
          "allocation",
          "[cli][values]") {
    const std::string seqTest = "test_sequence_insert_at_back";
    SECTION("the TensorProto given for a sequence input") {
        TempDir dir;
        const test::CliRun r = runModel(seqTest,
                                        {"sequence=" + data(seqTest, "input_1.pb"),
                                         "tensor=" + data(seqTest, "input_1.pb")},
                                        dir / "out");
        CHECK(r.code != 0);
        CHECK(oneLine(r.err));
        CHECK_THAT(r.err, Catch::Contains("input 'sequence' takes a sequence of tensors of int64") &&
                              Catch::Contains("not a serialized SequenceProto"));
    }
    SECTION("the SequenceProto given for a tensor input") {
        TempDir dir;
        const test::CliRun r = runModel(seqTest,
                                        {"sequence=" + data(seqTest, "input_0.pb"),
                                         "tensor=" + data(seqTest, "input_0.pb")},
                                        dir / "out");
        CHECK(r.code != 0);
        CHECK(oneLine(r.err));
        CHECK_THAT(r.err, Catch::Contains("input 'tensor' takes a tensor of int64") &&
                              !Catch::Contains("bad_alloc"));
    }
    SECTION("a .npy for a sequence input") {
        TempDir dir;
        const std::string npy = dir / "t.npy";
        writeNpy(npy, onnx::readTensorProtoFile(data(seqTest, "input_1.pb")).tensor);
        const test::CliRun r = runModel(
            seqTest, {"sequence=" + npy, "tensor=" + data(seqTest, "input_1.pb")}, dir / "out");
        CHECK(r.code != 0);
        CHECK(oneLine(r.err));
        CHECK_THAT(r.err, Catch::Contains("input 'sequence'") &&
                              Catch::Contains("a .npy file holds one tensor, not a sequence"));
    }
    SECTION("a sequence input left out has no random form") {
        TempDir dir;
        const test::CliRun r =
            runModel(seqTest, {"tensor=" + data(seqTest, "input_1.pb")}, dir / "out");
        CHECK(r.code != 0);
        CHECK(oneLine(r.err));
        CHECK_THAT(r.err, Catch::Contains("input 'sequence' takes a sequence of tensors of int64") &&
                              Catch::Contains("--input sequence=FILE"));
    }
    SECTION("an optional tensor given where an optional sequence is declared") {
        TempDir dir;
        const test::CliRun r = runModel(
            "test_identity_opt", {"opt_in=" + data("test_optional_get_element", "input_0.pb")},
            dir / "out");
        CHECK(r.code != 0);
        CHECK(oneLine(r.err));
        CHECK_THAT(r.err, Catch::Contains("input 'opt_in' takes an optional sequence") &&
                              Catch::Contains("holds an optional tensor"));
    }
}

TEST_CASE("every sequence and optional file of the conformance data read as a TensorProto is an "
          "lb::Error, not bad_alloc",
          "[cli][values]") {
    // These are the files whose bytes, parsed as a TensorProto, gave dims that were allocated
    // before the data behind them was counted (run: std::bad_alloc).
    for (const std::string test :
         {"test_identity_opt", "test_loop13_seq", "test_loop16_seq_none",
          "test_sequence_insert_at_back", "test_sequence_insert_at_front",
          "test_sequence_map_extract_shapes", "test_sequence_map_extract_shapes_expanded",
          "test_identity_sequence", "test_optional_get_element_sequence"})
        for (const std::string file : {"input_0.pb", "output_0.pb"}) {
            const std::string path = data(test, file);
            if (!fs::exists(path))
                continue;
            INFO(path);
            try {
                (void)onnx::readTensorProtoFile(path);
                // Some bytes do parse as a small, consistent tensor: then it is a tensor.
            } catch (const Error&) {
                SUCCEED();
            } catch (const std::bad_alloc&) {
                FAIL("bad_alloc");
            }
        }
    // A TensorProto whose dims ask for 8 TB and that holds no data (written byte by byte, as
    // the wire format has it: dims is field 1, data_type 2, raw_data 9): refused by the count.
    auto varint = [](uint64_t v) {
        std::string out;
        for (; v >= 0x80; v >>= 7)
            out += static_cast<char>((v & 0x7f) | 0x80);
        return out + static_cast<char>(v);
    };
    const std::string header = "\x08" + varint(1000000) + "\x08" + varint(2000000) + "\x10\x01";
    TempDir dir;
    auto write = [&](const std::string& bytes) {
        std::ofstream out(dir / "big.pb", std::ios::binary);
        out << bytes;
    };
    write(header);
    CHECK_THROWS_WITH(onnx::readTensorProtoFile(dir / "big.pb"),
                      Catch::Contains("float_data holds 0 values but shape 1000000x2000000"));
    write(header + "\x4a\x10" + std::string(16, '\0'));
    CHECK_THROWS_WITH(onnx::readTensorProtoFile(dir / "big.pb"),
                      Catch::Contains("raw_data has 16 bytes but shape 1000000x2000000"));
}

TEST_CASE("sequences and optionals round-trip through their .pb files", "[cli][values]") {
    TempDir dir;
    Tensor a(DataType::Float32, {2, 3});
    for (int i = 0; i < 6; ++i)
        a.data<float>()[i] = 0.5f * static_cast<float>(i);
    Tensor b(DataType::Float32, {1});
    b.data<float>()[0] = -7.0f;
    const Tensor seq = Tensor::sequence(DataType::Float32, {a, b});
    const Tensor empty = Tensor::sequence(DataType::Float32, {});
    const Tensor optTensor = Tensor::optional(DataType::Float32, &a);
    const Tensor optSeq = Tensor::optional(DataType::Float32, &seq);
    const Tensor none = Tensor::optional(DataType::Undefined, nullptr);
    for (const auto& [value, kind] :
         std::vector<std::pair<Tensor, ValueKind>>{{seq, ValueKind::Sequence},
                                                   {empty, ValueKind::Sequence},
                                                   {optTensor, ValueKind::Optional},
                                                   {optSeq, ValueKind::Optional},
                                                   {none, ValueKind::Optional}}) {
        onnx::writeValueProtoFile(dir / "v.pb", value, "v");
        requireSameValue(onnx::readValueFile(dir / "v.pb", kind), value);
    }
}

TEST_CASE("'scalar' is a rank-0 shape for --shape, as the GUI and every printed shape write it",
          "[cli][values]") {
    CHECK(parseShape("scalar").empty());
    CHECK(parseShape(shapeToString(Shape{})).empty());
    CHECK_THROWS_WITH(parseShape("scalars"), Catch::Contains("or 'scalar'"));
    // test_loop11 declares its trip count and condition rank 0: --shape says so on the CLI too
    // (the values are the test's, whose y the body slices by the iteration count).
    TempDir dir;
    const std::string loop = "test_loop11";
    const test::CliRun r = test::runCliInProcess(
        {"run", kNode + loop + "/model.onnx", "--shape", "trip_count=scalar", "--shape",
         "cond=scalar", "--input", "trip_count=" + data(loop, "input_0.pb"), "--input",
         "cond=" + data(loop, "input_1.pb"), "--input", "y=" + data(loop, "input_2.pb"),
         "--warmup", "0", "--iterations", "1", "--outputs", dir / "out"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    requireSameTensor(readNpy(dir / "out/res_y.npy"),
                      onnx::readTensorProtoFile(data(loop, "output_0.pb")).tensor);
    // Before, the same argument was a usage error (exit 2) naming the shape.
    CHECK(test::runCliInProcess({"run", kNode + loop + "/model.onnx", "--shape", "trip_count=scalr"})
              .code == 2);
}
