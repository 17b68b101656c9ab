#pragma once

#include "core/shape.h"
#include "ir/graph.h"
#include "report/model_summary.h"

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
    double summaryMs = 0;
    double sceneMs = 0; // scene build including the layered layout
};

// An opened model as the GUI sees it: an immutable snapshot made on the engine worker.
struct ModelDocument {
    QString path;
    std::map<std::string, Shape> inputShapes; // the shapes the model was opened with
    std::shared_ptr<const ir::Graph> graph;
    std::shared_ptr<const report::ModelSummary> summary;
    std::shared_ptr<const widgets::GraphScene> scene;
    QStringList warnings;
    OpenTimings timings;

    // Inputs whose declared shape still has symbolic or unknown dims ("x: Nx3x?x?").
    QStringList symbolicInputs() const;
    // Graph inputs (initializers excluded) with their declared shapes.
    std::vector<std::pair<std::string, QString>> declaredInputs() const;
};

} // namespace lb::app

Q_DECLARE_METATYPE(lb::app::ModelDocument)
