// The engine's document model (engine/project): the node map from report rows to the graph, a
// model version's runs and encodings history, opening a model as a version, and the project
// file's JSON round trip.
#include "core/error.h"
#include "core/sha256.h"
#include "project/node_map.h"
#include "project/open_model.h"
#include "project/project.h"
#include "project/project_json.h"
#include "quant/encoding.h"
#include "run/local_target.h"
#include "test_models.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

using namespace lb;

namespace {

const std::string kCls = std::string(LB_MODELS_DIR) + "/ch_ppocr_mobile_v2.0_cls_infer.onnx";

// x -> Conv_0 (W initializer "w", also read by Conv_1) -> BatchNormalization_2 -> Relu_3 -> y;
// Constant_4 "c" -> Add_5 (y, c, c) -> z. test::addNode names a node <op>_<id>.
std::shared_ptr<const ir::Graph> smallGraph() {
    ir::Graph g = test::emptyModel();
    test::addInput(g, "x", {1, 3, 8, 8});
    test::addWeight(g, "w", {4, 3, 3, 3});
    test::addNode(g, "Conv", {"x", "w"}, {"conv_out"});
    test::addNode(g, "Conv", {"x", "w"}, {"conv_b_out"});
    test::addNode(g, "BatchNormalization", {"conv_out"}, {"bn_out"});
    test::addNode(g, "Relu", {"bn_out"}, {"y"});
    test::addNode(g, "Constant", {}, {"c"});
    test::addNode(g, "Add", {"y", "c", "c"}, {"z"});
    return std::make_shared<const ir::Graph>(std::move(g));
}

report::NodeProfile row(const std::string& name, std::vector<std::string> covers) {
    report::NodeProfile n;
    n.name = name;
    n.op = "Op";
    n.covers = std::move(covers);
    return n;
}

project::EncodingsVersion snapshot(project::EncodingsOrigin origin, quant::EncodingSet set,
                                   std::string source = {}, std::string file = {},
                                   quant::EncodingsFormat format = quant::EncodingsFormat::V100) {
    project::EncodingsVersion v;
    v.origin = origin;
    v.encodings = std::make_shared<const quant::EncodingSet>(std::move(set));
    v.source = std::move(source);
    v.file = std::move(file);
    v.format = format;
    return v;
}

std::shared_ptr<project::ModelVersion> bareVersion(const std::string& path,
                                                   const std::string& hash) {
    return std::make_shared<project::ModelVersion>(path, hash, std::map<std::string, Shape>{});
}

quant::EncodingSet encodings(double max) {
    quant::EncodingSet set;
    set.activations["y"] = quant::perTensorEncoding(0.0, max, 8, false);
    set.params["w"] = quant::perTensorEncoding(-1.0, 1.0, 8, true);
    return set;
}

} // namespace

TEST_CASE("the node map maps report rows onto the graph by the ONNX nodes they cover",
          "[project]") {
    const auto graph = smallGraph();
    const auto name = [&](ir::NodeId id) { return graph->node(id).name; };
    const ir::NodeId conv = 0, bn = 2, relu = 3;
    auto report = std::make_shared<report::ProfileReport>();
    report->nodes = {row("fused", {name(conv), name(bn), name(relu)}),
                     row("gone", {"not_in_this_graph"}),
                     row(name(relu), {}), // an older report without covers: its own name
                     row("twice", {name(bn), name(bn)})};
    const project::NodeMap map(graph, report);

    REQUIRE(map.rowCount() == 4);
    CHECK(map.nodesOfRow(0) == std::vector<ir::NodeId>{conv, bn, relu});
    CHECK(map.nodesOfRow(1).empty());
    CHECK(map.nodesOfRow(2) == std::vector<ir::NodeId>{relu});
    CHECK(map.nodesOfRow(3) == std::vector<ir::NodeId>{bn});
    CHECK(map.nodesOfRow(99).empty());
    CHECK(map.rowsOfNode(bn) == std::vector<size_t>{0, 3});
    CHECK(map.rowsOfNode(relu) == std::vector<size_t>{0, 2});
    CHECK(map.rowsOfNode(1).empty()); // Conv_1: folded away, say
    CHECK(map.unmatchedNames() == std::vector<std::string>{"not_in_this_graph"});

    CHECK(map.nodeId("Conv_1") == std::optional<ir::NodeId>(1));
    CHECK(map.nodeName(1) == "Conv_1");
    CHECK_FALSE(map.nodeId("nope"));
    CHECK(map.nodeName(1000).empty());

    // Tensors: an activation shows on its producer, a param on the nodes that read it.
    CHECK(map.nodesOfTensor("bn_out") == std::vector<ir::NodeId>{bn});
    CHECK(map.nodesOfTensor("w") == std::vector<ir::NodeId>{conv, 1});
    CHECK(map.nodesOfTensor("c") == std::vector<ir::NodeId>{5}); // read twice by "add"
    CHECK(map.nodesOfTensor("x") == std::vector<ir::NodeId>{conv, 1});
    CHECK(map.nodesOfTensor("missing").empty());

    const project::NodeMap none;
    CHECK(none.rowCount() == 0);
    CHECK(none.nodesOfTensor("w").empty());
    CHECK_FALSE(none.nodeId("Conv_1"));
}

TEST_CASE("a model version keeps its encodings history: snapshots and one version per run of "
          "edits",
          "[project]") {
    project::ModelVersion version("m.onnx", "abc", {});
    CHECK(version.currentEncodings() == nullptr);
    version.recordEdit(encodings(1.0)); // no snapshot to edit (a table emptied for a new model)
    CHECK(version.encodingsVersions().empty());

    version.addEncodings(snapshot(project::EncodingsOrigin::Imported, encodings(1.0),
                                  "/tmp/cls_encodings.json", "/tmp/cls_encodings.json",
                                  quant::EncodingsFormat::V061));
    CHECK(version.currentEncodings()->label() == "imported from /tmp/cls_encodings.json");

    version.recordEdit(encodings(1.0)); // no change: no version
    CHECK(version.encodingsVersions().size() == 1);
    version.recordEdit(encodings(2.0));
    version.recordEdit(encodings(3.0));
    REQUIRE(version.encodingsVersions().size() == 2);
    const project::EncodingsVersion* edited = version.currentEncodings();
    CHECK(edited->origin == project::EncodingsOrigin::Edited);
    CHECK(edited->label() == "edited");
    CHECK(*edited->encodings == encodings(3.0));
    // A save goes where the import came from, in its format.
    CHECK(edited->file == "/tmp/cls_encodings.json");
    CHECK(edited->format == quant::EncodingsFormat::V061);

    version.recordEdit(encodings(1.0)); // every edit undone
    CHECK(version.encodingsVersions().size() == 1);
    version.recordEdit(encodings(4.0));
    version.setEncodingsSaved("/tmp/out.json", quant::EncodingsFormat::V100);
    version.recordEdit(encodings(5.0)); // after a save, edits start a new version
    REQUIRE(version.encodingsVersions().size() == 3);
    CHECK(version.encodingsVersions()[1].file == "/tmp/out.json");
    CHECK(version.currentEncodings()->file == "/tmp/out.json");

    auto analysis = std::make_shared<const report::QuantReport>();
    version.setEncodingsReport(encodings(4.0), analysis); // not the current encodings
    CHECK_FALSE(version.currentEncodings()->report);
    version.setEncodingsReport(encodings(5.0), analysis);
    CHECK(version.currentEncodings()->report == analysis);
    version.recordEdit(encodings(6.0)); // the analysis was of the encodings before the edit
    CHECK_FALSE(version.currentEncodings()->report);

    version.addEncodings(snapshot(project::EncodingsOrigin::Calibrated, encodings(7.0)));
    CHECK(version.currentEncodings()->file.empty());
    CHECK(version.encodingsVersions().size() == 4);
}

TEST_CASE("a project's versions and the current one", "[project]") {
    project::Project p("cls");
    CHECK(p.empty());
    CHECK(p.current() == nullptr);
    auto first = p.addVersion(bareVersion("a.onnx", "1"));
    auto second = p.addVersion(bareVersion("b.onnx", "2"));
    CHECK(p.current() == second);
    p.setCurrent(0);
    CHECK(p.current() == first);
    CHECK_THROWS_WITH(p.setCurrent(2), Catch::Contains("no model version 2"));
    CHECK_THROWS_AS(p.addVersion(nullptr), Error);
}

TEST_CASE("opening the classifier makes a loaded version, a run maps every row onto its graph",
          "[project][models]") {
    const std::map<std::string, Shape> shapes{{"x", {1, 3, 48, 192}}};
    std::vector<std::pair<double, std::string>> stages;
    TaskContext task;
    task.progress = [&stages](double f, std::string_view s) { stages.emplace_back(f, s); };
    project::OpenedModel opened = project::openModel(kCls, shapes, task);
    project::ModelVersion& version = opened.version;
    CHECK(version.path() == kCls);
    CHECK(version.sha256() == sha256File(kCls));
    CHECK(version.inputShapes() == shapes);
    REQUIRE(version.isLoaded());
    REQUIRE(version.summary());
    CHECK(version.summary()->nodes.size() == version.graph()->nodeCount());
    REQUIRE(version.nodeMap());
    CHECK(version.nodeMap()->graph() == version.graph().get());
    // completeShapes ran: every node output has a shape.
    for (ir::NodeId id : version.graph()->nodeIds())
        for (ir::ValueId out : version.graph()->node(id).outputs)
            CHECK(version.graph()->value(out).shape.has_value());
    REQUIRE_FALSE(stages.empty());
    CHECK(stages.back().second == "summary");
    CHECK(stages.back().first == Approx(0.9));

    run::RunSpec spec;
    spec.model = kCls;
    spec.target = "reference";
    spec.inputShapes = shapes;
    spec.warmup = 0;
    spec.iterations = 1;
    spec.seed = 1;
    run::LocalTarget target;
    const project::Run& run =
        version.addRun(spec, std::make_shared<const report::ProfileReport>(target.run(spec)));
    REQUIRE(version.lastRun() == &run);
    REQUIRE(run.nodes);
    const project::NodeMap& map = *run.nodes;
    REQUIRE(map.rowCount() == run.report->nodes.size());
    CHECK(map.unmatchedNames().empty());
    std::set<ir::NodeId> covered;
    for (size_t row = 0; row < map.rowCount(); ++row) {
        INFO(run.report->nodes[row].name);
        REQUIRE_FALSE(map.nodesOfRow(row).empty());
        for (ir::NodeId id : map.nodesOfRow(row)) {
            const auto& rows = map.rowsOfNode(id);
            CHECK(std::find(rows.begin(), rows.end(), row) != rows.end());
            covered.insert(id);
        }
    }
    // The passes fuse (BatchNormalization into Conv, activations into it): more nodes than rows.
    CHECK(covered.size() > map.rowCount());
}

TEST_CASE("a project round-trips through its JSON form", "[project][json]") {
    project::Project p("cls study");
    auto original = p.addVersion(std::make_shared<project::ModelVersion>(
        "models/cls.onnx", "491843a3", std::map<std::string, Shape>{{"x", {1, 3, 48, 192}}}));
    run::RunSpec spec;
    spec.model = "models/cls.onnx";
    spec.target = "reference";
    spec.inputShapes = {{"x", {1, 3, 48, 192}}};
    spec.seed = 3;
    auto report = std::make_shared<report::ProfileReport>();
    report->model = "models/cls.onnx";
    report->modelSha256 = "491843a3";
    report->backend = "reference";
    report->iterations = 2;
    report->runsMs = {1.0, 1.5};
    report->latencyMs = report::latencyStats(report->runsMs);
    report->nodes = {row("p2o.Conv.0", {"p2o.Conv.0", "p2o.BatchNormalization.0"})};
    original->addRun(spec, report);
    project::EncodingsVersion calibrated =
        snapshot(project::EncodingsOrigin::Calibrated, encodings(1.0));
    auto analysis = std::make_shared<report::QuantReport>();
    analysis->model = "models/cls.onnx";
    analysis->calibrator = "minmax";
    analysis->outputError.sqnrDb = 31.5;
    analysis->top1Agreement = 0.875;
    calibrated.report = analysis;
    original->addEncodings(calibrated);
    original->recordEdit(encodings(2.0));
    original->setEncodingsSaved("out/cls_encodings.json", quant::EncodingsFormat::V100);
    quant::EncodingSet old = encodings(3.0);
    old.version = "0.6.1";
    original->addEncodings(snapshot(project::EncodingsOrigin::Imported, old, "in/old.json",
                                    "in/old.json", quant::EncodingsFormat::V061));

    auto folded = p.addVersion(bareVersion("models/cls_folded.onnx", "77aa"));
    folded->setLabel("BatchNormalization folded");
    folded->setParent(0);
    p.setCurrent(0);

    const nlohmann::json json = project::toJson(p);
    CHECK(json.at("schema") == "layerbench.project");
    CHECK(json.at("version") == project::kProjectSchemaVersion);
    const project::Project read = project::projectFromJson(nlohmann::json::parse(json.dump()));
    CHECK(project::toJson(read) == json);

    CHECK(read.name() == "cls study");
    CHECK(read.currentIndex() == 0);
    REQUIRE(read.versions().size() == 2);
    const project::ModelVersion& v = *read.versions()[0];
    CHECK(v.path() == "models/cls.onnx");
    CHECK(v.sha256() == "491843a3");
    CHECK(v.inputShapes() == original->inputShapes());
    CHECK(v.label() == "original");
    CHECK(v.parent() == -1);
    CHECK_FALSE(v.isLoaded()); // the graph comes from the model file, not from the project
    REQUIRE(v.runs().size() == 1);
    CHECK(v.runs()[0].spec == spec);
    CHECK(*v.runs()[0].report == *report);
    CHECK_FALSE(v.runs()[0].nodes);
    REQUIRE(v.encodingsVersions().size() == 3);
    for (size_t i = 0; i < 3; ++i) {
        const auto& a = original->encodingsVersions()[i];
        const auto& b = v.encodingsVersions()[i];
        INFO("encodings version " << i);
        CHECK(b.origin == a.origin);
        CHECK(b.source == a.source);
        CHECK(b.file == a.file);
        CHECK(b.format == a.format);
        CHECK(*b.encodings == *a.encodings);
    }
    REQUIRE(v.encodingsVersions()[0].report);
    CHECK(v.encodingsVersions()[0].report->outputError.sqnrDb == 31.5);
    CHECK(v.encodingsVersions()[0].report->calibrator == "minmax");
    CHECK(v.encodingsVersions()[2].encodings->version == "0.6.1");
    CHECK(read.versions()[1]->label() == "BatchNormalization folded");
    CHECK(read.versions()[1]->parent() == 0);

    // One line naming what is wrong.
    auto error = [&](nlohmann::json broken) {
        try {
            project::projectFromJson(broken);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    nlohmann::json broken = json;
    broken["schema"] = "layerbench.profile";
    CHECK(error(broken).find("expected \"layerbench.project\"") != std::string::npos);
    broken = json;
    broken["version"] = project::kProjectSchemaVersion + 1;
    CHECK(error(broken).find("newer than this LayerBench reads") != std::string::npos);
    broken = json;
    broken["versions"][1].erase("model");
    CHECK(error(broken) == "project file: version 1 has no key 'model'");
    broken = json;
    broken["versions"][0]["encodings"][1]["origin"] = "guessed";
    CHECK(error(broken).find("version 0 encodings 1 has origin 'guessed'") != std::string::npos);
    broken = json;
    broken["versions"][0]["runs"][0]["spec"].erase("model");
    CHECK(error(broken).find("\"model\"") != std::string::npos);
}

TEST_CASE("a version read from a project file loads its model again, unless the file changed",
          "[project][models]") {
    const std::string dir = test::makeTempDir("project");
    const std::string copy = dir + "/cls.onnx";
    std::filesystem::copy_file(kCls, copy);
    const std::map<std::string, Shape> shapes{{"x", {1, 3, 48, 192}}};
    project::Project p("cls");
    auto version = p.addVersion(
        std::make_shared<project::ModelVersion>(project::openModel(copy, shapes).version));
    auto report = std::make_shared<report::ProfileReport>();
    report->backend = "reference";
    report->nodes = {row("p2o.Conv.0", {"p2o.Conv.0", "p2o.BatchNormalization.0"})};
    run::RunSpec spec;
    spec.model = copy;
    version->addRun(spec, report);

    project::Project read = project::projectFromJson(project::toJson(p));
    project::ModelVersion& stored = *read.current();
    REQUIRE_FALSE(stored.isLoaded());
    project::loadModelVersion(stored);
    REQUIRE(stored.isLoaded());
    CHECK(stored.graph()->nodeCount() == version->graph()->nodeCount());
    REQUIRE(stored.runs()[0].nodes); // the runs are mapped once the graph is there
    CHECK(stored.runs()[0].nodes->nodesOfRow(0).size() == 2);

    test::writeFile(copy, test::readFile(copy) + std::string(1, '\0'));
    project::Project changed = project::projectFromJson(project::toJson(p));
    CHECK_THROWS_WITH(project::loadModelVersion(*changed.current()),
                      Catch::Contains("cls.onnx") &&
                          Catch::Contains("changed since the project was saved"));
    std::filesystem::remove_all(dir);
}
