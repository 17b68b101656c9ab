#include "app/model_document.h"

namespace lb::app {

std::vector<std::pair<std::string, QString>> ModelDocument::declaredInputs() const {
    std::vector<std::pair<std::string, QString>> inputs;
    if (!graph)
        return inputs;
    for (ir::ValueId id : graph->inputs()) {
        if (graph->isInitializer(id))
            continue;
        const ir::Value& value = graph->value(id);
        const QString shape =
            value.shape ? QString::fromStdString(shapeToString(*value.shape)) : QStringLiteral("?");
        inputs.emplace_back(value.name, shape);
    }
    return inputs;
}

QStringList ModelDocument::symbolicInputs() const {
    QStringList result;
    if (!graph)
        return result;
    for (ir::ValueId id : graph->inputs()) {
        if (graph->isInitializer(id))
            continue;
        const ir::Value& value = graph->value(id);
        if (value.shape && concreteShape(*value.shape))
            continue;
        const QString shape =
            value.shape ? QString::fromStdString(shapeToString(*value.shape)) : QStringLiteral("?");
        result << QStringLiteral("%1: %2").arg(QString::fromStdString(value.name), shape);
    }
    return result;
}

} // namespace lb::app
