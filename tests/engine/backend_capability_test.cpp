// Backend::capability() against kernel creation, on every node of the ONNX conformance models the
// conformance runner walks (libonnx-testdata): a node a backend claims is one its createKernel()
// builds. That is what lets the session report a kernel's error as an error rather than fall
// back. And the backend registry: every backend listed, described and creatable by name.
#include "backends/registry.h"
#include "core/error.h"
#include "onnx/importer.h"
#include "onnx/tensor_io.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

namespace fs = std::filesystem;
using namespace lb;

namespace {

// The families lb_conformance runs (tests/engine/conformance/conformance_main.cpp).
const char* const kFamilies[] = {"node", "pytorch-converted", "pytorch-operator", "simple"};

std::vector<fs::path> modelDirs() {
    std::vector<fs::path> dirs;
    for (const char* family : kFamilies) {
        const fs::path root = fs::path(LB_ONNX_TESTDATA_DIR) / family;
        if (!fs::is_directory(root))
            continue;
        for (const auto& e : fs::directory_iterator(root))
            if (e.is_directory() && fs::exists(e.path() / "model.onnx"))
                dirs.push_back(e.path());
    }
    std::sort(dirs.begin(), dirs.end());
    return dirs;
}

// input_0.pb, input_1.pb, ... of the first data set, in number order.
std::vector<fs::path> firstInputs(const fs::path& model) {
    std::vector<fs::path> files;
    const fs::path set = model / "test_data_set_0";
    if (!fs::is_directory(set))
        return files;
    for (const auto& e : fs::directory_iterator(set))
        if (e.path().filename().string().rfind("input_", 0) == 0)
            files.push_back(e.path());
    const auto number = [](const fs::path& p) {
        const std::string s = p.stem().string();
        return std::stoi(s.substr(s.find_last_of('_') + 1));
    };
    std::sort(files.begin(), files.end(),
              [&](const fs::path& a, const fs::path& b) { return number(a) < number(b); });
    return files;
}

// The graph with every real input bound to its test value as an initializer: weights, bias,
// scales and shapes become the constants the backends pre-pack or need, so the claims that look
// at constants are exercised too.
std::optional<ir::Graph> withInputsBound(ir::Graph g, const fs::path& model) {
    const std::vector<fs::path> files = firstInputs(model);
    std::vector<ir::ValueId> real;
    for (ir::ValueId v : g.inputs())
        if (!g.isInitializer(v))
            real.push_back(v);
    if (files.size() != real.size() || real.empty())
        return std::nullopt;
    for (size_t k = 0; k < real.size(); ++k) {
        if (g.value(real[k]).dtype == DataType::Undefined ||
            g.value(real[k]).kind != ValueKind::Tensor)
            return std::nullopt; // a sequence, optional or map input: its file is no TensorProto
        g.setInitializer(real[k], onnx::readTensorProtoFile(files[k].string()).tensor);
    }
    g.inputs().clear();
    return g;
}

struct Tally {
    int claimed = 0, declined = 0;
    std::map<std::string, int> codes;
};

// Every node of `g`: a claim must build its kernel; a decline must carry a code and a text.
void checkNodes(const runtime::Backend& backend, const ir::Graph& g, const std::string& label,
                Tally& tally) {
    for (ir::NodeId id : g.nodeIds()) {
        const ir::Node& node = g.node(id);
        INFO(label << ": node " << node.name << " (" << node.opType << ") on " << backend.name());
        const runtime::Claim claim = backend.capability(g, node);
        if (!claim) {
            ++tally.declined;
            ++tally.codes[claim.code()];
            CHECK(claim.code().rfind("unsupported-", 0) == 0);
            CHECK_FALSE(claim.text().empty());
            continue;
        }
        ++tally.claimed;
        runtime::KernelInfo info{g, node, 1};
        info.outputStaysInBackend.assign(node.outputs.size(), false);
        CHECK_NOTHROW(backend.createKernel(info));
    }
}

} // namespace

TEST_CASE("every node a backend claims in the ONNX conformance models builds its kernel",
          "[conformance]") {
    const std::vector<fs::path> dirs = modelDirs();
    INFO("ONNX test data in " << LB_ONNX_TESTDATA_DIR);
    REQUIRE(dirs.size() > 1000);
    for (const backends::BackendInfo& info : backends::registry()) {
        const auto backend = info.create();
        Tally asImported, bound;
        for (const fs::path& dir : dirs) {
            std::optional<ir::Graph> graph;
            try {
                graph = onnx::importModel((dir / "model.onnx").string()).graph;
            } catch (const Error&) {
                continue; // the importer refuses it: lb_conformance counts it as not claimed
            }
            const std::string label =
                dir.parent_path().filename().string() + "/" + dir.filename().string();
            checkNodes(*backend, *graph, label, asImported);
            if (auto constant = withInputsBound(*graph, dir))
                checkNodes(*backend, *constant, label + " (inputs bound)", bound);
        }
        std::string codes;
        for (const auto& [code, count] : bound.codes)
            codes += " " + code + "=" + std::to_string(count);
        INFO(info.name << ": " << asImported.claimed << " claimed, " << asImported.declined
                       << " declined as imported; " << bound.claimed << " claimed, "
                       << bound.declined << " declined with inputs bound:" << codes);
        // Not vacuous: each backend claims hundreds of these nodes, more once weights are
        // constants (oneDNN pre-packs them); XNNPACK's table is the shortest (17 ops).
        CHECK(asImported.claimed > (info.name == "xnnpack" ? 300 : 500));
        CHECK(bound.claimed > asImported.claimed / 2);
        WARN(info.name << ": " << asImported.claimed << " + " << bound.claimed
                       << " claimed nodes built their kernels; declines with inputs bound:"
                       << codes);
    }
}

TEST_CASE("the registry lists every backend, described, in order of preference", "[backends]") {
    const std::vector<backends::BackendInfo>& all = backends::registry();
    REQUIRE(all.size() == 3);
    CHECK(backends::availableBackends() ==
          std::vector<std::string>{"onednn", "xnnpack", "reference"});
    int groundTruths = 0;
    for (const backends::BackendInfo& b : all) {
        INFO(b.name);
        CHECK_FALSE(b.title.empty());
        CHECK_FALSE(b.description.empty());
        CHECK_FALSE(b.needs.empty());
        CHECK(b.create()->name() == b.name);
        CHECK(backends::createBackend(b.name)->name() == b.name);
        CHECK(backends::findBackend(b.name) == &b);
        const std::vector<std::string> ops = b.supportedOps();
        CHECK(std::is_sorted(ops.begin(), ops.end()));
        CHECK(std::count(ops.begin(), ops.end(), "Conv") == 1);
        groundTruths += b.groundTruth;
    }
    CHECK(groundTruths == 1);
    CHECK(backends::groundTruth().name == "reference");
    CHECK(backends::findBackend("onednn")->int8);
    CHECK(backends::findBackend("reference")->int8); // the ground truth of int8 (issue #11)
    CHECK(backends::findBackend("xnnpack")->int8); // qc8 convolutions (tests: xnnpack_int8_test)
    CHECK(backends::findBackend("tpu") == nullptr);

    CHECK(backends::targetNames() ==
          std::vector<std::string>{"auto", "onednn", "xnnpack", "reference"});
    CHECK(backends::targetList() == "auto, onednn, xnnpack, reference");
    CHECK(backends::runsInt8("auto"));
    CHECK(backends::runsInt8("onednn"));
    CHECK(backends::runsInt8("xnnpack"));
    CHECK(backends::runsInt8("reference"));
    CHECK(backends::int8Targets() == "auto or onednn or xnnpack or reference");
}

TEST_CASE("a target's fallback chain ends with the ground truth", "[backends]") {
    const auto names = [](const std::string& target) {
        std::vector<std::string> out;
        for (const auto& b : backends::fallbackChain(target))
            out.push_back(b->name());
        return out;
    };
    CHECK(names("auto") == std::vector<std::string>{"onednn", "xnnpack", "reference"});
    CHECK(names("xnnpack") == std::vector<std::string>{"xnnpack", "reference"});
    CHECK(names("onednn") == std::vector<std::string>{"onednn", "reference"});
    CHECK(names("reference") == std::vector<std::string>{"reference"});
    CHECK_THROWS_WITH(backends::fallbackChain("tpu"),
                      "unknown target 'tpu'; expected one of auto, onednn, xnnpack, reference");
    CHECK_THROWS_WITH(backends::createBackend("tpu"),
                      "unknown backend 'tpu'; available: onednn, xnnpack, reference");
}
