#pragma once

#include "core/shape.h"
#include "ir/graph.h"
#include "project/model_version.h"

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace lb::widgets {
class GraphScene;
}

namespace lb::app {

// Milliseconds spent in each phase of opening a model, measured on the worker.
struct OpenTimings {
    double importMs = 0;
    double hashMs = 0; // the file's SHA-256
    double summaryMs = 0;
    double sceneMs = 0; // scene build including the layered layout
};

// An opened model as the GUI shows it: the engine's model version (file, hash, graph, summary,
// and the runs and encodings made on it) plus what only the GUI needs, the laid-out scene. The
// version belongs to the window's project; the rest is an immutable snapshot made on the worker.
struct ModelDocument {
    std::shared_ptr<project::ModelVersion> version;
    std::shared_ptr<const widgets::GraphScene> scene;
    QStringList warnings;
    OpenTimings timings;

    QString path() const;
    const std::shared_ptr<const ir::Graph>& graph() const;
    // The shapes the model was opened with.
    const std::map<std::string, Shape>& inputShapes() const;
    // Inputs whose declared shape still has symbolic or unknown dims ("x: Nx3x?x?").
    QStringList symbolicInputs() const;
    // Graph inputs (initializers excluded) with their declared shapes.
    std::vector<std::pair<std::string, QString>> declaredInputs() const;
};

} // namespace lb::app

Q_DECLARE_METATYPE(lb::app::ModelDocument)
