// Control flow built in code: If with branches of different shapes (a Conv in one, so oneDNN runs
// inside it), Loop with loop-carried state, a scan output, outer-scope values and an early exit,
// Scan with axes and directions. Each is checked against hand-computed values and against ONNX
// Runtime (onnxruntime-node through bench/ort_run.js; missing = fail), through the engine's own
// path (passes, partitioning, auto and reference backends); then profiles and the CLI report
// show the subgraphs' nodes as rows under their control-flow node.
#include "onnx/exporter.h"
#include "ort_run_util.h"
#include "onnx/tensor_io.h"
#include "profile/local_run.h"
#include "profile/profiler.h"
#include "report/profile_report.h"
#include "runtime/inputs.h"
#include "test_models.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

using namespace lb;
namespace fs = std::filesystem;

namespace {

using test::quote;

ir::Attribute graphAttr(const std::string& name, ir::Graph g) {
    ir::Attribute a;
    a.name = name;
    a.type = ir::AttributeType::Graph;
    a.g = std::make_shared<ir::Graph>(std::move(g));
    return a;
}

// A node with subgraphs, which read `outer` from the enclosing graph.
void addControlFlow(ir::Graph& g, const std::string& op, const std::vector<std::string>& inputs,
                    const std::vector<std::string>& outputs, std::vector<ir::Attribute> attrs,
                    const std::vector<std::string>& outer, const std::string& name = {}) {
    ir::Node n;
    n.name = name.empty() ? op + "_node" : name;
    n.opType = op;
    for (const auto& in : inputs)
        n.inputs.push_back(in.empty() ? ir::kNoValue : g.valueId(in));
    for (const auto& out : outputs)
        n.outputs.push_back(g.valueId(out));
    for (const auto& name : outer)
        n.implicitInputs.push_back(g.valueId(name));
    n.attributes = std::move(attrs);
    g.addNode(std::move(n));
}

// A graph output; a model's need a shape (the ONNX checker's rule), where "?" is a symbol.
void output(ir::Graph& g, const std::string& name, DataType type = DataType::Float32,
            std::optional<SymbolicShape> shape = std::nullopt) {
    const ir::ValueId v = g.valueId(name);
    g.value(v).dtype = type;
    g.value(v).shape = std::move(shape);
    g.outputs().push_back(v);
}

Tensor floats(const Shape& shape, std::vector<float> values) {
    Tensor t(DataType::Float32, shape);
    REQUIRE(static_cast<size_t>(t.numel()) == values.size());
    std::copy(values.begin(), values.end(), t.data<float>());
    return t;
}

template <typename T> Tensor scalar(DataType type, T v) {
    Tensor t(type, {});
    t.data<T>()[0] = v;
    return t;
}

ir::ValueId addConstant(ir::Graph& g, const std::string& name, const Tensor& t) {
    const ir::ValueId id = g.valueId(name);
    g.setInitializer(id, t);
    return id;
}

// y = If(c): then Conv(x, w) (1x3x4x4, w all 0.5, pads 1), else Relu(x) (1x2x4x4).
ir::Graph ifModel() {
    ir::Graph g = test::emptyModel("if_model");
    test::addInput(g, "x", {1, 2, 4, 4});
    test::addInput(g, "c", {}, DataType::Bool);
    ir::Graph thenBranch;
    thenBranch.name = "then";
    test::addWeight(thenBranch, "w", {3, 2, 3, 3});
    test::addNode(thenBranch, "Conv", {"x", "w"}, {"conv_out"},
                  {test::intsAttr("pads", {1, 1, 1, 1}), test::intsAttr("kernel_shape", {3, 3})});
    output(thenBranch, "conv_out");
    ir::Graph elseBranch;
    elseBranch.name = "else";
    test::addNode(elseBranch, "Relu", {"x"}, {"relu_out"});
    output(elseBranch, "relu_out");
    addControlFlow(g, "If", {"c"}, {"y"},
                   {graphAttr("then_branch", thenBranch), graphAttr("else_branch", elseBranch)},
                   {"x"});
    output(g, "y", DataType::Float32,
           SymbolicShape{Dim::known(1), Dim::symbol("C"), Dim::known(4), Dim::known(4)});
    return g;
}

// inc = Mul(b, 2) in the model; Loop(M, cond, a0) with body: a = a_in + inc, s = a * float(i),
// cond_out = i < limit (limit an initializer of the model). Outputs a_final and the stacked s.
ir::Graph loopModel() {
    ir::Graph g = test::emptyModel("loop_model");
    test::addInput(g, "M", {}, DataType::Int64);
    test::addInput(g, "cond", {}, DataType::Bool);
    test::addInput(g, "a0", {2});
    test::addInput(g, "b", {2});
    test::addInput(g, "limit", {}, DataType::Int64);
    addConstant(g, "two", floats({}, {2.0f}));
    test::addNode(g, "Mul", {"b", "two"}, {"inc"});
    ir::Graph body;
    body.name = "body";
    test::addInput(body, "i", {}, DataType::Int64);
    test::addInput(body, "cond_in", {}, DataType::Bool);
    test::addInput(body, "a_in", {2});
    test::addNode(body, "Add", {"a_in", "inc"}, {"a_out"});
    test::addNode(body, "Cast", {"i"}, {"i_f"}, {test::intAttr("to", 1)});
    test::addNode(body, "Mul", {"a_out", "i_f"}, {"s"});
    test::addNode(body, "Less", {"i", "limit"}, {"cond_out"});
    output(body, "cond_out", DataType::Bool);
    output(body, "a_out");
    output(body, "s");
    addControlFlow(g, "Loop", {"M", "cond", "a0"}, {"a_final", "s_all"}, {graphAttr("body", body)},
                   {"inc", "limit"});
    output(g, "a_final", DataType::Float32, SymbolicShape{Dim::known(2)});
    output(g, "s_all", DataType::Float32, SymbolicShape{Dim::symbol("N"), Dim::known(2)});
    return g;
}

// Scan over x (2x3) along axis 1, backwards: sum += column; out = sum * column, stacked along
// output axis 1 (2x3).
ir::Graph scanModel() {
    ir::Graph g = test::emptyModel("scan_model");
    test::addInput(g, "init", {2});
    test::addInput(g, "x", {2, 3});
    ir::Graph body;
    body.name = "scan_body";
    test::addInput(body, "sum_in", {2});
    test::addInput(body, "col", {2});
    test::addNode(body, "Add", {"sum_in", "col"}, {"sum_out"});
    test::addNode(body, "Mul", {"sum_out", "col"}, {"prod"});
    output(body, "sum_out");
    output(body, "prod");
    addControlFlow(g, "Scan", {"init", "x"}, {"sum", "prods"},
                   {graphAttr("body", body), test::intAttr("num_scan_inputs", 1),
                    test::intsAttr("scan_input_axes", {1}),
                    test::intsAttr("scan_input_directions", {1}),
                    test::intsAttr("scan_output_axes", {1})},
                   {});
    output(g, "sum", DataType::Float32, SymbolicShape{Dim::known(2)});
    output(g, "prods", DataType::Float32, SymbolicShape{Dim::known(2), Dim::known(3)});
    return g;
}

// k = Mul(c1, c2) of two initializers (constant folding turns it into one) is read only inside
// subgraphs: Loop(n, "", acc0) whose body holds If(c) (c from the model): then acc_in + k, else
// acc_in - k; and If(c) with branches "k + k" and "Identity(k)".
ir::Graph nestedModel() {
    ir::Graph g = test::emptyModel("nested_model");
    test::addInput(g, "n", {}, DataType::Int64);
    test::addInput(g, "c", {}, DataType::Bool);
    test::addInput(g, "acc0", {2});
    addConstant(g, "c1", floats({2}, {1.0f, 2.0f}));
    addConstant(g, "c2", floats({2}, {3.0f, 4.0f}));
    test::addNode(g, "Mul", {"c1", "c2"}, {"k"});
    ir::Graph plus;
    plus.name = "plus";
    test::addNode(plus, "Add", {"acc_in", "k"}, {"t_plus"});
    output(plus, "t_plus");
    ir::Graph minus;
    minus.name = "minus";
    test::addNode(minus, "Sub", {"acc_in", "k"}, {"t_minus"});
    output(minus, "t_minus");
    ir::Graph body;
    body.name = "body";
    test::addInput(body, "i", {}, DataType::Int64);
    test::addInput(body, "cond_in", {}, DataType::Bool);
    test::addInput(body, "acc_in", {2});
    test::addNode(body, "Identity", {"cond_in"}, {"cond_out"});
    addControlFlow(body, "If", {"c"}, {"acc_out"},
                   {graphAttr("then_branch", plus), graphAttr("else_branch", minus)},
                   {"acc_in", "k"});
    output(body, "cond_out", DataType::Bool);
    output(body, "acc_out");
    addControlFlow(g, "Loop", {"n", "", "acc0"}, {"acc"}, {graphAttr("body", body)}, {"c", "k"});
    output(g, "acc", DataType::Float32, SymbolicShape{Dim::known(2)});
    ir::Graph twice;
    twice.name = "twice";
    test::addNode(twice, "Add", {"k", "k"}, {"kk"});
    output(twice, "kk");
    ir::Graph same;
    same.name = "same";
    test::addNode(same, "Identity", {"k"}, {"k_same"}); // ORT refuses an outer value as output
    output(same, "k_same");
    addControlFlow(g, "If", {"c"}, {"picked"},
                   {graphAttr("then_branch", twice), graphAttr("else_branch", same)}, {"k"},
                   "pick");
    output(g, "picked", DataType::Float32, SymbolicShape{Dim::known(2)});
    return g;
}

fs::path scratch(const std::string& name) {
    const fs::path dir = fs::path(test::makeTempDir("control_flow")) / name;
    fs::create_directories(dir);
    return dir;
}

// ONNX Runtime's outputs of the saved model on these inputs, by output name.
std::map<std::string, Tensor> runOrt(const ir::Graph& g, const std::map<std::string, Tensor>& in,
                                     const fs::path& dir) {
    const fs::path model = dir / "model.onnx";
    onnx::saveModel(g, model.string());
    return test::runOrt(model.string(), in, dir);
}

void checkClose(const Tensor& got, const Tensor& want, double tol, const std::string& what) {
    INFO(what << ": got " << shapeToString(got.shape()) << ", want "
              << shapeToString(want.shape()));
    REQUIRE(got.shape() == want.shape());
    REQUIRE(got.dtype() == want.dtype());
    for (int64_t i = 0; i < want.numel(); ++i) {
        INFO("element " << i);
        CHECK(std::abs(got.valueAsDouble(i) - want.valueAsDouble(i)) <= tol);
    }
}

// Our outputs (auto and reference backends, passes on) against ORT's and the hand-made ones.
void checkModel(const ir::Graph& g, const std::map<std::string, Tensor>& inputs,
                const std::map<std::string, Tensor>& expected, const std::string& tag) {
    const fs::path dir = scratch(tag);
    const std::map<std::string, Tensor> ort = runOrt(g, inputs, dir);
    for (const char* backend : {"auto", "reference"}) {
        profile::LocalRunOptions options;
        options.backend = backend;
        profile::PreparedModel prepared = profile::prepare(g, options);
        const std::vector<Tensor> outputs = prepared.session->run(inputs);
        const std::vector<std::string> names = prepared.session->outputNames();
        REQUIRE(outputs.size() == expected.size());
        for (size_t k = 0; k < outputs.size(); ++k) {
            const std::string what = tag + " " + backend + " " + names[k];
            REQUIRE(ort.count(runtime::safeFileName(names[k])) == 1);
            checkClose(outputs[k], ort.at(runtime::safeFileName(names[k])), 1e-5, what + " vs ORT");
            checkClose(outputs[k], expected.at(names[k]), 1e-5, what + " vs hand");
        }
    }
    fs::remove_all(dir.parent_path());
}

} // namespace

TEST_CASE("If: branches of different shapes, against ONNX Runtime and by hand", "[control]") {
    const Tensor x = floats({1, 2, 4, 4}, std::vector<float>(32, 1.0f));
    // Conv of ones with 3x3x2 weights of 0.5, zero-padded: 9 inside, 6 on edges, 4 in corners.
    std::vector<float> conv;
    for (int c = 0; c < 3; ++c)
        for (int y = 0; y < 4; ++y)
            for (int x0 = 0; x0 < 4; ++x0) {
                const int rows = (y == 0 || y == 3) ? 2 : 3, cols = (x0 == 0 || x0 == 3) ? 2 : 3;
                conv.push_back(static_cast<float>(rows * cols * 2) * 0.5f);
            }
    checkModel(ifModel(), {{"x", x}, {"c", scalar<bool>(DataType::Bool, true)}},
               {{"y", floats({1, 3, 4, 4}, conv)}}, "if_then");
    Tensor mixed = floats({1, 2, 4, 4}, std::vector<float>(32, -1.0f));
    mixed.data<float>()[5] = 2.5f;
    std::vector<float> relu(32, 0.0f);
    relu[5] = 2.5f;
    checkModel(ifModel(), {{"x", mixed}, {"c", scalar<bool>(DataType::Bool, false)}},
               {{"y", floats({1, 2, 4, 4}, relu)}}, "if_else");
}

TEST_CASE("If: the Conv inside a branch runs on oneDNN with backend auto", "[control]") {
    profile::LocalRunOptions options;
    options.backend = "auto";
    profile::PreparedModel prepared = profile::prepare(ifModel(), options);
    const auto& steps = prepared.session->steps();
    REQUIRE(steps.size() == 1);
    CHECK(steps[0].backend == runtime::kControlFlowBackend);
    const auto subgraphs = prepared.session->subgraphs(0);
    REQUIRE(subgraphs.size() == 2);
    CHECK(subgraphs[0].attribute == "then_branch");
    REQUIRE(subgraphs[0].session->steps().size() == 1);
    CHECK(subgraphs[0].session->steps()[0].backend == "onednn");
}

TEST_CASE("Loop: carried state, scan output, outer-scope values, trip count and condition",
          "[control]") {
    const Tensor a0 = floats({2}, {1.0f, -2.0f});
    const Tensor b = floats({2}, {0.5f, 1.5f}); // inc = 2b = {1, 3}
    // M = 4, limit 10: four iterations; a_k = a0 + (k+1) inc, s_k = a_k * k.
    checkModel(loopModel(),
               {{"M", scalar<int64_t>(DataType::Int64, 4)},
                {"cond", scalar<bool>(DataType::Bool, true)},
                {"a0", a0},
                {"b", b},
                {"limit", scalar<int64_t>(DataType::Int64, 10)}},
               {{"a_final", floats({2}, {5.0f, 10.0f})},
                {"s_all", floats({4, 2}, {0, 0, 3, 4, 8, 14, 15, 30})}},
               "loop_trips");
    // M = 10, limit 2: the condition ends it after i = 2 (2 < 2 is false): three iterations.
    checkModel(
        loopModel(),
        {{"M", scalar<int64_t>(DataType::Int64, 10)},
         {"cond", scalar<bool>(DataType::Bool, true)},
         {"a0", a0},
         {"b", b},
         {"limit", scalar<int64_t>(DataType::Int64, 2)}},
        {{"a_final", floats({2}, {4.0f, 7.0f})}, {"s_all", floats({3, 2}, {0, 0, 3, 4, 8, 14})}},
        "loop_cond");
}

TEST_CASE("Scan: input axis 1 backwards, output axis 1, against ONNX Runtime and by hand",
          "[control]") {
    // Columns from the last: (3,6), (2,5), (1,4); sums (3,6), (5,11), (6,15); products sum*col.
    checkModel(
        scanModel(), {{"init", floats({2}, {0, 0})}, {"x", floats({2, 3}, {1, 2, 3, 4, 5, 6})}},
        {{"sum", floats({2}, {6, 15})}, {"prods", floats({2, 3}, {9, 10, 6, 36, 55, 60})}}, "scan");
}

TEST_CASE("nested: an If in a Loop body reads a folded constant of the model", "[control]") {
    const Tensor acc0 = floats({2}, {0.5f, -1.0f});
    // k = {3, 8}; three iterations.
    checkModel(nestedModel(),
               {{"n", scalar<int64_t>(DataType::Int64, 3)},
                {"c", scalar<bool>(DataType::Bool, true)},
                {"acc0", acc0}},
               {{"acc", floats({2}, {9.5f, 23.0f})}, {"picked", floats({2}, {6.0f, 16.0f})}},
               "nested_then");
    checkModel(nestedModel(),
               {{"n", scalar<int64_t>(DataType::Int64, 3)},
                {"c", scalar<bool>(DataType::Bool, false)},
                {"acc0", acc0}},
               {{"acc", floats({2}, {-8.5f, -25.0f})}, {"picked", floats({2}, {3.0f, 8.0f})}},
               "nested_else");
}

TEST_CASE("profile: a Loop's body nodes are rows under the Loop, timed per run", "[control]") {
    profile::LocalRunOptions options;
    options.backend = "reference";
    profile::PreparedModel prepared = profile::prepare(loopModel(), options);
    const std::map<std::string, Tensor> inputs = {{"M", scalar<int64_t>(DataType::Int64, 5)},
                                                  {"cond", scalar<bool>(DataType::Bool, true)},
                                                  {"a0", floats({2}, {1, 2})},
                                                  {"b", floats({2}, {1, 1})},
                                                  {"limit", scalar<int64_t>(DataType::Int64, 100)}};
    profile::ProfileOptions po;
    po.warmup = 1;
    po.iterations = 3;
    const report::ProfileReport r = profile::profileSession(*prepared.session, inputs, po);
    int32_t loopRow = -1;
    for (size_t i = 0; i < r.nodes.size(); ++i)
        if (r.nodes[i].op == "Loop")
            loopRow = static_cast<int32_t>(i);
    REQUIRE(loopRow >= 0);
    CHECK(r.nodes[static_cast<size_t>(loopRow)].backend == "control-flow");
    CHECK(r.nodes[static_cast<size_t>(loopRow)].parent == -1);
    std::vector<std::string> children;
    double childMs = 0, topShare = 0;
    for (const auto& n : r.nodes) {
        if (n.parent < 0) {
            topShare += n.share;
            continue;
        }
        CHECK(n.parent == loopRow);
        CHECK(n.subgraph == "body");
        CHECK(n.calls == 5.0); // five iterations per run
        CHECK(n.timeMs > 0);
        children.push_back(n.op);
        childMs += n.timeMs;
    }
    std::sort(children.begin(), children.end());
    CHECK(children == std::vector<std::string>{"Add", "Cast", "Less", "Mul"});
    CHECK(childMs < r.nodes[static_cast<size_t>(loopRow)].timeMs);
    CHECK(topShare == Approx(1.0));
    // The rows survive the JSON round trip, and JSON says whose they are.
    const nlohmann::json j = report::toJson(r);
    CHECK(j["version"] == 4);
    CHECK(j["nodes"].back()["parent"] == loopRow);
    CHECK(report::profileReportFromJson(j) == r);
}

TEST_CASE("cli: run on a Loop model shows the body's rows in text and JSON", "[control]") {
    const fs::path dir = scratch("cli");
    const fs::path model = dir / "loop.onnx";
    onnx::saveModel(loopModel(), model.string());
    const std::map<std::string, Tensor> inputs = {{"M", scalar<int64_t>(DataType::Int64, 3)},
                                                  {"cond", scalar<bool>(DataType::Bool, true)},
                                                  {"a0", floats({2}, {1, 2})},
                                                  {"b", floats({2}, {1, 1})},
                                                  {"limit", scalar<int64_t>(DataType::Int64, 100)}};
    std::string args;
    for (const auto& [name, t] : inputs) {
        const fs::path file = dir / (name + ".npy");
        onnx::writeNpy(file.string(), t);
        args += " --input " + quote(name + "=" + file.string());
    }
    const fs::path json = dir / "report.json";
    const std::string cmd = quote(LB_CLI_PATH) + " run " + quote(model.string()) + args +
                            " --iterations 2 --warmup 0 --json " + quote(json.string()) + " > " +
                            quote((dir / "out.txt").string()) + " 2>&1";
    const int rc = std::system(cmd.c_str());
    const std::string text = test::readFile((dir / "out.txt").string());
    INFO(cmd << "\n" << text);
    REQUIRE(rc == 0);
    CHECK(text.find("subgraphs") != std::string::npos);
    CHECK(text.find("body/") != std::string::npos);
    const nlohmann::json j = nlohmann::json::parse(test::readFile(json.string()));
    int children = 0;
    for (const auto& n : j["nodes"])
        if (n.contains("parent")) {
            ++children;
            CHECK(n["subgraph"] == "body");
            CHECK(n["calls"] == 3.0);
        }
    CHECK(children == 4);
    fs::remove_all(dir.parent_path());
}

TEST_CASE("errors: a subgraph reading an outer value its node does not list, a non-bool "
          "condition",
          "[control]") {
    ir::Graph g = test::emptyModel("bad");
    test::addInput(g, "x", {2});
    test::addInput(g, "c", {2}); // float, two values
    ir::Graph branch;
    branch.name = "branch";
    test::addNode(branch, "Relu", {"x"}, {"r"});
    output(branch, "r");
    addControlFlow(g, "If", {"c"}, {"y"},
                   {graphAttr("then_branch", branch), graphAttr("else_branch", branch)}, {});
    output(g, "y", DataType::Float32, SymbolicShape{Dim::known(2)});
    profile::LocalRunOptions options;
    options.backend = "reference";
    options.optimize = false;
    CHECK_THROWS_WITH(profile::prepare(g, options),
                      Catch::Contains("node 'If_node' (If)") &&
                          Catch::Contains("reads 'x', which is not one of the node's implicit "
                                          "inputs"));
    // Rebuild with x listed: the condition's type is what fails now, at run time.
    ir::Graph ok = test::emptyModel("bad_cond");
    test::addInput(ok, "x", {2});
    test::addInput(ok, "c", {2});
    addControlFlow(ok, "If", {"c"}, {"y"},
                   {graphAttr("then_branch", branch), graphAttr("else_branch", branch)}, {"x"});
    output(ok, "y", DataType::Float32, SymbolicShape{Dim::known(2)});
    profile::PreparedModel prepared = profile::prepare(ok, options);
    CHECK_THROWS_WITH(
        prepared.session->run({{"x", floats({2}, {1, 2})}, {"c", floats({2}, {1, 0})}}),
        Catch::Contains("node 'If_node' (If)") &&
            Catch::Contains("the condition must be one bool value"));
}
