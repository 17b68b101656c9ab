// Runs the ONNX backend conformance data (libonnx-testdata) through the reference backend.
// A test is "claimed" when the backend accepts every node of its model; every claimed test must
// match the expected outputs (except the few whose data contradicts their model: kBadTestData).
// Exit status is non-zero when a claimed test fails.
//
//   lb_conformance [--data DIR] [--report FILE.md] [--filter SUBSTRING]

#include "backends/reference/reference_backend.h"
#include "core/error.h"
#include "onnx/importer.h"
#include "onnx/tensor_io.h"
#include "profile/local_run.h"
#include "runtime/session.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

namespace fs = std::filesystem;
using namespace lb;

namespace {

// The libonnx-testdata families whose models are plain graphs of standard ops.
const char* const kFamilies[] = {"node", "pytorch-converted", "pytorch-operator", "simple"};

constexpr double kRtol = 1e-4;
constexpr double kAtol = 1e-5;

struct Result {
    std::string family, test, ops, status, reason;
    double maxError = 0.0;
    std::string backends; // the backends that ran its nodes
};

struct Tolerance {
    double rtol = kRtol, atol = kAtol;
};

// Per-test tolerances, each with the reason it needs more than the default.
Tolerance toleranceFor(const std::string& test) {
    // Expected outputs were computed in float64 by numpy; summing many float32 products in a
    // different order (im2col GEMM) drifts by a few ulps relative to large intermediate sums.
    if (test.find("conv") != std::string::npos || test.find("Conv") != std::string::npos ||
        test.find("gemm") != std::string::npos || test.find("matmul") != std::string::npos)
        return {1e-4, 1e-4};
    // The window functions' expected values use 3.1415 for pi (ONNX 1.12's test generator), and
    // the *_expanded graphs evaluate cos() of a float32 ramp while numpy used float64: up to
    // ~2e-4 relative. ONNX's own backend test uses rtol 1e-3 for every test.
    if (test.find("window") != std::string::npos)
        return {1e-3, 1e-5};
    // GridSample's and RoiAlign's expected values are literals printed to 4 decimals.
    if (test.find("gridsample") != std::string::npos || test.find("roialign") != std::string::npos)
        return {kRtol, 1e-4};
    return {};
}

// Tests whose expected outputs do not follow from their own model, so no correct backend matches
// them. They still run; a mismatch is reported as "bad test data" (counted with the tests not
// claimed) with this reason, a match as a pass.
const std::map<std::string, std::string> kBadTestData = {
    {"test_adam_multiple", "the Adam node lacks the epsilon=0.01 its expected outputs were "
                           "computed with (onnx/onnx#7749)"},
};

// Max absolute error, or a description of a dtype/shape mismatch.
std::string compare(const Tensor& got, const Tensor& want, const Tolerance& tol, double& maxError) {
    if (got.dtype() != want.dtype())
        return "dtype " + dtypeName(got.dtype()) + ", expected " + dtypeName(want.dtype());
    if (got.shape() != want.shape())
        return "shape " + shapeToString(got.shape()) + ", expected " + shapeToString(want.shape());
    if (got.dtype() == DataType::String)
        return got.strings() == want.strings() ? "" : "string values differ";
    std::string problem;
    for (int64_t i = 0; i < got.numel(); ++i) {
        const double g = got.valueAsDouble(i), w = want.valueAsDouble(i);
        if (std::isnan(w) && std::isnan(g))
            continue;
        if (std::isinf(w) && g == w)
            continue;
        const double err = std::abs(g - w);
        if (!(err <= maxError))
            maxError = std::isnan(err) ? INFINITY : err;
        const bool exact = !isFloatingPoint(want.dtype());
        if ((exact && g != w) || !(err <= tol.atol + tol.rtol * std::abs(w)))
            if (problem.empty())
                problem = "element " + std::to_string(i) + ": " + std::to_string(g) +
                          " vs expected " + std::to_string(w);
    }
    return problem;
}

// Sequences and optionals: element by element.
std::string compareValues(const Tensor& got, const Tensor& want, const Tolerance& tol,
                          double& maxError) {
    if (want.kind() == ValueKind::Tensor && got.kind() == ValueKind::Tensor)
        return compare(got, want, tol, maxError);
    if (got.kind() != want.kind())
        return "a value of another kind (tensor, sequence or optional) than expected";
    if (got.items().size() != want.items().size())
        return std::to_string(got.items().size()) + " elements, expected " +
               std::to_string(want.items().size());
    for (size_t i = 0; i < want.items().size(); ++i) {
        const std::string problem = compareValues(got.items()[i], want.items()[i], tol, maxError);
        if (!problem.empty())
            return "element " + std::to_string(i) + ": " + problem;
    }
    return "";
}

std::vector<fs::path> sortedFiles(const fs::path& dir, const std::string& prefix) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename().string().rfind(prefix, 0) == 0)
            files.push_back(e.path());
    // input_10.pb sorts after input_9.pb
    std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) {
        const auto num = [](const fs::path& p) {
            const std::string s = p.stem().string();
            return std::stoi(s.substr(s.find_last_of('_') + 1));
        };
        return num(a) < num(b);
    });
    return files;
}

// ONNX 1.12 wrote bfloat16 test data as uint16 bit patterns (numpy has no bfloat16): such a
// tensor is read as the bfloat16 the model declares.
Tensor asDeclared(Tensor t, DataType declared) {
    if (declared != DataType::BFloat16 || t.dtype() != DataType::UInt16)
        return t;
    Tensor out(DataType::BFloat16, t.shape());
    if (t.byteSize())
        std::memcpy(out.rawData(), t.rawData(), t.byteSize());
    return out;
}

// The first input of test_data_set_0 whose shape differs from a known shape the model declares.
std::string contradictedInput(const fs::path& dir, const ir::Graph& graph,
                              const std::vector<std::string>& inputNames) {
    const fs::path set = dir / "test_data_set_0";
    if (!fs::is_directory(set))
        return "";
    const auto inputs = sortedFiles(set, "input_");
    for (size_t i = 0; i < inputs.size() && i < inputNames.size(); ++i) {
        const ir::Value& v = graph.value(*graph.findValue(inputNames[i]));
        if (!v.shape || v.kind != ValueKind::Tensor) // a sequence's shape is its elements'
            continue;
        const Shape got = onnx::readTensorProtoFile(inputs[i].string()).tensor.shape();
        bool same = got.size() == v.shape->size();
        for (size_t d = 0; same && d < got.size(); ++d)
            same = !(*v.shape)[d].isKnown() || (*v.shape)[d].value == got[d];
        if (!same)
            return "input '" + inputNames[i] + "' has shape " + shapeToString(got) +
                   ", the model declares " + shapeToString(*v.shape);
    }
    return "";
}

using BackendList = std::vector<std::shared_ptr<const runtime::Backend>>;

// "" when some backend runs the node (a control-flow node: when every node of its subgraphs
// runs), else the last backend's decline.
std::string declineOf(const ir::Graph& graph, const ir::Node& node, const BackendList& backends) {
    if (runtime::isControlFlow(node)) {
        for (const ir::Attribute& a : node.attributes)
            if (a.type == ir::AttributeType::Graph && a.g)
                for (ir::NodeId id : a.g->nodeIds())
                    if (std::string reason = declineOf(*a.g, a.g->node(id), backends);
                        !reason.empty())
                        return reason;
        return "";
    }
    std::string reason;
    for (const auto& backend : backends) {
        const runtime::Claim claim = backend->capability(graph, node);
        reason = claim ? std::string() : claim.code() + ": " + claim.text();
        if (reason.empty())
            break;
    }
    return reason;
}

Result runTest(const std::string& family, const fs::path& dir, const BackendList& backends) {
    Result r{family, dir.filename().string(), "", "", "", 0.0, ""};
    if (std::getenv("LB_CONFORMANCE_VERBOSE"))
        std::cerr << family << "/" << r.test << "\n";
    onnx::ImportResult imported;
    try {
        imported = onnx::importModel((dir / "model.onnx").string());
    } catch (const Error& e) {
        r.status = "not claimed";
        r.reason = std::string("import: ") + e.what();
        return r;
    }
    auto graph = std::make_shared<ir::Graph>(std::move(imported.graph));
    std::set<std::string> ops;
    for (ir::NodeId id : graph->nodeIds()) {
        const ir::Node& node = graph->node(id);
        ops.insert(node.opType);
        // Claimed when some backend in the list accepts the node; the reason kept is the last
        // backend's (the one it would fall back to).
        const std::string reason = declineOf(*graph, node, backends);
        if (r.reason.empty())
            r.reason = reason;
    }
    for (const std::string& op : ops)
        r.ops += (r.ops.empty() ? "" : "+") + op;
    if (r.ops.empty())
        r.ops = "(no nodes)";
    if (!r.reason.empty()) {
        r.status = "not claimed";
        return r;
    }
    std::vector<std::string> inputNames;
    std::vector<DataType> inputTypes;
    std::vector<ValueKind> inputKinds;
    for (ir::ValueId v : graph->inputs())
        if (!graph->isInitializer(v)) {
            inputNames.push_back(graph->value(v).name);
            inputTypes.push_back(graph->value(v).dtype);
            inputKinds.push_back(graph->value(v).kind);
        }
    const Tolerance tol = toleranceFor(r.test);
    // Test data that contradicts its own model (ONNX 1.12's bfloat16 CastLike tests feed 'like' as
    // [1] to a model declaring 3x4) is reported, not run: any runtime must refuse that input.
    if (const std::string bad = contradictedInput(dir, *graph, inputNames); !bad.empty()) {
        r.status = "not claimed";
        r.reason = "test data: " + bad;
        return r;
    }
    try {
        runtime::Session session(graph, backends);
        std::set<std::string> used;
        for (const auto& step : session.steps())
            used.insert(step.backend);
        for (const std::string& b : used)
            r.backends += (r.backends.empty() ? "" : "+") + b;
        for (const fs::path& set : sortedFiles(dir, "test_data_set_")) {
            std::map<std::string, Tensor> feeds;
            const auto inputs = sortedFiles(set, "input_");
            for (size_t i = 0; i < inputs.size() && i < inputNames.size(); ++i)
                feeds[inputNames[i]] = asDeclared(
                    onnx::readValueProtoFile(inputs[i].string(), inputKinds[i]), inputTypes[i]);
            const std::vector<Tensor> outputs = session.run(feeds);
            const auto expected = sortedFiles(set, "output_");
            if (expected.size() != outputs.size())
                fail("got ", outputs.size(), " outputs, expected ", expected.size());
            for (size_t i = 0; i < expected.size(); ++i) {
                const ValueKind kind = graph->value(graph->outputs()[i]).kind;
                const std::string problem = compareValues(
                    outputs[i],
                    asDeclared(onnx::readValueProtoFile(expected[i].string(), kind),
                               outputs[i].dtype()),
                    tol, r.maxError);
                if (!problem.empty())
                    fail(set.filename().string(), " output ", i, ": ", problem);
            }
        }
        r.status = "pass";
    } catch (const std::exception& e) { // bad_alloc from a wrong shape is a failure too
        r.status = "FAIL";
        r.reason = e.what();
        if (const auto bad = kBadTestData.find(r.test); bad != kBadTestData.end()) {
            r.status = "bad test data";
            r.reason = bad->second + "; " + r.reason;
        }
    }
    return r;
}

std::string escapeCell(std::string s) {
    std::replace(s.begin(), s.end(), '|', '/');
    std::replace(s.begin(), s.end(), '\n', ' ');
    return s.size() > 200 ? s.substr(0, 200) + "..." : s;
}

} // namespace

int main(int argc, char** argv) {
    std::string dataDir = LB_ONNX_TESTDATA_DIR, reportPath, filter, backendChoice = "reference";
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (i + 1 < argc &&
            (arg == "--data" || arg == "--report" || arg == "--filter" || arg == "--backend")) {
            std::string& target = arg == "--data"     ? dataDir
                                  : arg == "--report" ? reportPath
                                  : arg == "--filter" ? filter
                                                      : backendChoice;
            target = argv[++i];
        } else {
            std::cerr << "usage: lb_conformance [--backend reference|onednn|auto] [--data DIR] "
                         "[--report FILE.md] [--filter TEXT]\n";
            return 2;
        }
    }
    if (!fs::is_directory(fs::path(dataDir) / "node")) {
        std::cerr << "conformance: no ONNX test data at " << dataDir << "/node\n";
        return 1;
    }
    BackendList backends;
    try {
        backends = profile::backendsFor(backendChoice);
    } catch (const Error& e) {
        std::cerr << "conformance: " << e.what() << "\n";
        return 2;
    }
    std::vector<Result> results;
    for (const char* family : kFamilies) {
        const fs::path root = fs::path(dataDir) / family;
        if (!fs::is_directory(root))
            continue;
        std::vector<fs::path> dirs;
        for (const auto& e : fs::directory_iterator(root))
            if (e.is_directory() && fs::exists(e.path() / "model.onnx"))
                dirs.push_back(e.path());
        std::sort(dirs.begin(), dirs.end());
        for (const fs::path& dir : dirs)
            if (filter.empty() || dir.filename().string().find(filter) != std::string::npos)
                results.push_back(runTest(family, dir, backends));
    }

    std::map<std::string, std::array<int, 3>> perOp; // pass, fail, not claimed
    int passed = 0, failed = 0, unclaimed = 0;
    std::ostringstream table;
    table << "| op | test | status | backends | max error | reason |\n| --- | --- | --- | --- | "
             "--- | --- |\n";
    for (const Result& r : results) {
        const int slot = r.status == "pass" ? 0 : r.status == "FAIL" ? 1 : 2;
        ++perOp[r.ops][slot];
        (slot == 0 ? passed : slot == 1 ? failed : unclaimed)++;
        const bool ran = slot != 2 || r.status == "bad test data";
        table << "| " << r.ops << " | " << r.family << "/" << r.test << " | " << r.status << " | "
              << r.backends << " | " << (ran ? std::to_string(r.maxError) : std::string(""))
              << " | " << escapeCell(r.reason) << " |\n";
    }
    std::ostringstream summary;
    summary << "| op | passed | failed | not claimed |\n| --- | --- | --- | --- |\n";
    for (const auto& [op, counts] : perOp)
        summary << "| " << op << " | " << counts[0] << " | " << counts[1] << " | " << counts[2]
                << " |\n";
    std::cout << table.str() << "\n" << summary.str() << "\n";
    if (failed) {
        std::cout << "failed claimed tests:\n";
        for (const Result& r : results)
            if (r.status == "FAIL")
                std::cout << "  " << r.family << "/" << r.test << ": " << r.reason << "\n";
    }
    const std::string line = "conformance: " + std::to_string(passed) + " passed, " +
                             std::to_string(failed) + " failed, " + std::to_string(unclaimed) +
                             " not claimed";
    std::cout << line << "\n";
    if (!reportPath.empty()) {
        std::ofstream out(reportPath);
        out << "# Conformance (backends: " << backendChoice << ")\n\n"
            << line << "\n\n## Per op\n\n"
            << summary.str() << "\n## Tests\n\n"
            << table.str();
        if (!out)
            std::cerr << "conformance: cannot write " << reportPath << "\n";
    }
    return failed ? 1 : 0;
}
