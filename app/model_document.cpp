#include "app/model_document.h"

namespace lb::app {

QString ModelDocument::path() const {
    return version ? QString::fromStdString(version->path()) : QString();
}

const std::shared_ptr<const ir::Graph>& ModelDocument::graph() const {
    static const std::shared_ptr<const ir::Graph> none;
    return version ? version->graph() : none;
}

const std::map<std::string, Shape>& ModelDocument::inputShapes() const {
    static const std::map<std::string, Shape> none;
    return version ? version->inputShapes() : none;
}

std::vector<std::pair<std::string, QString>> ModelDocument::declaredInputs() const {
    std::vector<std::pair<std::string, QString>> inputs;
    const ir::Graph* g = graph().get();
    if (!g)
        return inputs;
    for (ir::ValueId id : g->inputs()) {
        if (g->isInitializer(id))
            continue;
        const ir::Value& value = g->value(id);
        const QString shape =
            value.shape ? QString::fromStdString(shapeToString(*value.shape)) : QStringLiteral("?");
        inputs.emplace_back(value.name, shape);
    }
    return inputs;
}

QStringList ModelDocument::symbolicInputs() const {
    QStringList result;
    const ir::Graph* g = graph().get();
    if (!g)
        return result;
    for (ir::ValueId id : g->inputs()) {
        if (g->isInitializer(id))
            continue;
        const ir::Value& value = g->value(id);
        if (value.shape && concreteShape(*value.shape))
            continue;
        const QString shape =
            value.shape ? QString::fromStdString(shapeToString(*value.shape)) : QStringLiteral("?");
        result << QStringLiteral("%1: %2").arg(QString::fromStdString(value.name), shape);
    }
    return result;
}

} // namespace lb::app
