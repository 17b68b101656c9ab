#include "app/engine_worker.h"
#include "core/sha256.h"
#include "widgets/graph_scene.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <catch2/catch.hpp>
#include <vector>

using lb::app::EngineWorker;
using lb::app::ModelDocument;

namespace {

const QString kClsModel = QStringLiteral(LB_MODELS_DIR "/ch_ppocr_mobile_v2.0_cls_infer.onnx");
const QString kDetModel = QStringLiteral(LB_MODELS_DIR "/ch_PP-OCRv4_det_infer.onnx");

// Waits (running the event loop) until `worker` has no job left.
void waitIdle(EngineWorker& worker, int timeoutMs = 120000) {
    QSignalSpy finished(&worker, &EngineWorker::jobFinished);
    while (worker.isBusy())
        REQUIRE(finished.wait(timeoutMs));
}

} // namespace

TEST_CASE("engine worker opens a real model into a complete snapshot", "[worker]") {
    EngineWorker worker;
    QSignalSpy opened(&worker, &EngineWorker::modelOpened);
    QSignalSpy failed(&worker, &EngineWorker::jobFailed);
    QSignalSpy progress(&worker, &EngineWorker::jobProgress);
    const EngineWorker::JobId job = worker.openModel(kClsModel);
    CHECK(worker.isBusy());
    waitIdle(worker);

    REQUIRE(failed.isEmpty());
    REQUIRE(opened.size() == 1);
    CHECK(opened.at(0).at(0).value<EngineWorker::JobId>() == job);
    const auto document = opened.at(0).at(1).value<ModelDocument>();
    CHECK(document.path() == kClsModel);
    REQUIRE(document.version);
    REQUIRE(document.graph());
    REQUIRE(document.version->summary());
    REQUIRE(document.scene);
    CHECK(document.graph()->nodeCount() > 10);
    CHECK(document.version->summary()->nodes.size() == document.graph()->nodeCount());
    CHECK(document.scene->nodeCount() + document.scene->foldedConstantCount() ==
          document.graph()->nodeCount());
    // The model version the engine made: the file's hash, the engine's map of the graph.
    CHECK(document.version->sha256() == lb::sha256File(kClsModel.toStdString()));
    REQUIRE(document.version->nodeMap());
    CHECK(document.version->nodeMap()->graph() == document.graph().get());
    // The PaddleOCR export declares x as p2o.DynamicDimension.0 x 3 x ... x ...
    REQUIRE(document.declaredInputs().size() == 1);
    CHECK(document.declaredInputs().front().first == "x");
    CHECK(document.symbolicInputs().size() == 1);
    CHECK(document.timings.importMs > 0);
    CHECK(document.timings.sceneMs > 0);
    CHECK_FALSE(progress.isEmpty());
}

TEST_CASE("engine worker reports a bad file as a one-line failure", "[worker]") {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("broken.onnx"));
    {
        QFile file(path);
        REQUIRE(file.open(QIODevice::WriteOnly));
        file.write("\x0a\xff\xff\xff\xff garbage");
    }
    EngineWorker worker;
    QSignalSpy opened(&worker, &EngineWorker::modelOpened);
    QSignalSpy failed(&worker, &EngineWorker::jobFailed);
    worker.openModel(path);
    waitIdle(worker);
    CHECK(opened.isEmpty());
    REQUIRE(failed.size() == 1);
    const QString message = failed.at(0).at(2).toString();
    CHECK(message.contains(QStringLiteral("broken.onnx")));
    CHECK_FALSE(message.contains(QLatin1Char('\n')));
}

TEST_CASE("a newer open replaces the older one and only its result arrives", "[worker]") {
    EngineWorker worker;
    QSignalSpy opened(&worker, &EngineWorker::modelOpened);
    QSignalSpy cancelled(&worker, &EngineWorker::jobCancelled);
    const EngineWorker::JobId first = worker.openModel(kDetModel);
    const EngineWorker::JobId second = worker.openModel(kClsModel);
    CHECK(second > first);
    waitIdle(worker);

    REQUIRE(opened.size() == 1);
    CHECK(opened.at(0).at(0).value<EngineWorker::JobId>() == second);
    CHECK(opened.at(0).at(1).value<ModelDocument>().path() == kClsModel);
    REQUIRE(cancelled.size() == 1);
    CHECK(cancelled.at(0).at(0).value<EngineWorker::JobId>() == first);
}

TEST_CASE("a cancelled open delivers no document", "[worker]") {
    EngineWorker worker;
    QSignalSpy opened(&worker, &EngineWorker::modelOpened);
    QSignalSpy cancelled(&worker, &EngineWorker::jobCancelled);
    const EngineWorker::JobId job = worker.openModel(kDetModel);
    worker.cancel(job);
    waitIdle(worker);
    CHECK(opened.isEmpty());
    REQUIRE(cancelled.size() == 1);
    CHECK(cancelled.at(0).at(0).value<EngineWorker::JobId>() == job);
}

TEST_CASE("the det model keeps its symbolic input unless a shape is given", "[worker]") {
    EngineWorker worker;
    QSignalSpy opened(&worker, &EngineWorker::modelOpened);
    worker.openModel(kDetModel);
    waitIdle(worker);
    REQUIRE(opened.size() == 1);
    const auto symbolic = opened.at(0).at(1).value<ModelDocument>().symbolicInputs();
    REQUIRE(symbolic.size() == 1);
    CHECK(symbolic.front().startsWith(QStringLiteral("x: ")));

    worker.openModel(kDetModel, {{"x", {1, 3, 640, 640}}});
    waitIdle(worker);
    REQUIRE(opened.size() == 2);
    const auto fixed = opened.at(1).at(1).value<ModelDocument>();
    CHECK(fixed.symbolicInputs().isEmpty());
    CHECK(fixed.inputShapes().at("x") == lb::Shape{1, 3, 640, 640});
}
