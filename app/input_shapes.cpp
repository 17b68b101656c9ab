#include "app/input_shapes.h"

#include "app/app_settings.h"
#include "core/error.h"

#include <QStringList>

namespace lb::app {

InputShapes::InputShapes(QObject* parent) : QObject(parent) {}

void InputShapes::setDocument(const ModelDocument* document) {
    m_inputs.clear();
    m_modelPath = document ? document->path() : QString();
    if (document && document->graph()) {
        const ir::Graph& graph = *document->graph();
        for (ir::ValueId id : graph.inputs()) {
            if (graph.isInitializer(id))
                continue;
            const ir::Value& value = graph.value(id);
            Input input;
            input.name = value.name;
            input.declared = value.shape;
            if (const auto it = document->inputShapes().find(value.name);
                it != document->inputShapes().end())
                input.opened = it->second;
            const std::optional<Shape> concrete =
                value.shape ? concreteShape(*value.shape) : std::nullopt;
            if (input.opened)
                input.text = QString::fromStdString(shapeToString(*input.opened));
            else if (concrete)
                input.text = QString::fromStdString(shapeToString(*concrete));
            m_inputs.push_back(std::move(input));
        }
        if (!document->inputShapes().empty())
            remember();
    }
    emit inputsReset();
}

QString InputShapes::text(const std::string& name) const {
    for (const Input& input : m_inputs)
        if (input.name == name)
            return input.text;
    return {};
}

void InputShapes::setText(const std::string& name, const QString& text) {
    for (Input& input : m_inputs) {
        if (input.name != name || input.text == text)
            continue;
        input.text = text;
        remember();
        emit textChanged(name, text);
    }
}

std::optional<std::map<std::string, Shape>>
InputShapes::shapes(const std::set<std::string>& provided, QString* error,
                    std::string* failedInput) const {
    auto failed = [&](const Input& input, const QString& message) {
        if (error)
            *error = message;
        if (failedInput)
            *failedInput = input.name;
        return std::nullopt;
    };
    std::map<std::string, Shape> result;
    for (const Input& input : m_inputs) {
        const QString name = QString::fromStdString(input.name);
        const QString text = input.text.trimmed();
        if (text.isEmpty()) {
            if (input.opened)
                result[input.name] = *input.opened;
            else if (!provided.count(input.name) &&
                     !(input.declared && concreteShape(*input.declared)))
                return failed(input, missingShapeError(input.name, input.declared));
            continue;
        }
        Shape shape;
        try {
            // A rank-0 input (a Loop's trip count) is "scalar", as shapeToString writes it.
            shape = parseShape(text.toStdString());
        } catch (const Error&) {
            return failed(input, tr("Input '%1': '%2' is not a shape; expected whole numbers "
                                    "separated by x (e.g. %3).")
                                     .arg(name, text, exampleShape(input.declared)));
        }
        if (input.declared && shape.size() != input.declared->size())
            return failed(input,
                          tr("Input '%1' has %2 dimensions (%3); '%4' has %5.")
                              .arg(name)
                              .arg(input.declared->size())
                              .arg(QString::fromStdString(shapeToString(*input.declared)), text)
                              .arg(shape.size()));
        result[input.name] = shape;
    }
    return result;
}

std::map<std::string, Shape> InputShapes::remembered(const QString& modelPath) {
    std::map<std::string, Shape> shapes;
    for (const auto& [name, text] : AppSettings().inputShapes(modelPath)) {
        try {
            shapes[name] = parseShape(text.toStdString());
        } catch (const Error&) {
            // Not a shape (edited by hand): the model opens as declared.
        }
    }
    return shapes;
}

QString InputShapes::missingShapeError(const std::string& name,
                                       const std::optional<SymbolicShape>& declared) {
    return tr("Input '%1' has symbolic dimensions; set its shape in Input shapes (e.g. %2)")
        .arg(QString::fromStdString(name), exampleShape(declared));
}

QString InputShapes::exampleShape(const std::optional<SymbolicShape>& declared) {
    if (!declared || declared->empty())
        return QStringLiteral("1x3x224x224");
    QStringList dims;
    for (size_t d = 0; d < declared->size(); ++d) {
        const Dim& dim = (*declared)[d];
        dims << QString::number(dim.isKnown() ? dim.value : (d == 0 ? 1 : 224));
    }
    return dims.join(QLatin1Char('x'));
}

void InputShapes::remember() const {
    if (m_modelPath.isEmpty())
        return;
    std::map<std::string, QString> kept;
    for (const Input& input : m_inputs) {
        const QString text = input.text.trimmed();
        if (!text.isEmpty())
            kept[input.name] = text;
    }
    AppSettings().setInputShapes(m_modelPath, kept);
}

} // namespace lb::app
