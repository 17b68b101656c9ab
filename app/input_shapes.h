#pragma once

#include "app/model_document.h"
#include "core/shape.h"

#include <QObject>
#include <QString>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace lb::app {

// The input shapes of the open model, set once for the Run and the Quantize panels (each shows
// them through an InputShapesEditor) and remembered per model file (AppSettings), so a model
// opened again starts from the shapes last used with it.
class InputShapes : public QObject {
    Q_OBJECT

public:
    struct Input {
        std::string name;
        std::optional<SymbolicShape> declared; // as the model was opened; nullopt: rank unknown
        std::optional<Shape> opened; // the shape the model was opened with, if one was given
        QString text;                // the user's shape; empty: as opened
    };

    explicit InputShapes(QObject* parent = nullptr);

    // The inputs of `document` (nullptr: none), filled with the shapes it was opened with (or a
    // concrete declared shape). Shapes the document was opened with are remembered.
    void setDocument(const ModelDocument* document);
    const std::vector<Input>& inputs() const { return m_inputs; }
    QString text(const std::string& name) const;
    // The user typed `text` for `name`: kept, remembered for this model file, and shown by every
    // editor.
    void setText(const std::string& name, const QString& text);

    // The shapes to run with, or nullopt with a one-line error (worded for the GUI, translated)
    // in `error` and the input at fault in `failedInput`. Inputs in `provided` get their values
    // (and so their shape) elsewhere: a file, calibration samples.
    std::optional<std::map<std::string, Shape>> shapes(const std::set<std::string>& provided,
                                                       QString* error = nullptr,
                                                       std::string* failedInput = nullptr) const;

    // The shapes remembered for `modelPath` (the ones that still parse).
    static std::map<std::string, Shape> remembered(const QString& modelPath);
    // "Input 'x' has symbolic dimensions; set its shape in Input shapes (e.g. 1x3x224x224)".
    static QString missingShapeError(const std::string& name,
                                     const std::optional<SymbolicShape>& declared);
    // A concrete shape like `declared`: known dims kept, an unknown batch 1, other unknowns 224.
    static QString exampleShape(const std::optional<SymbolicShape>& declared);

signals:
    // The inputs were replaced (another document).
    void inputsReset();
    // One input's text changed (from any editor).
    void textChanged(const std::string& name, const QString& text);

private:
    void remember() const;

    QString m_modelPath;
    std::vector<Input> m_inputs;
};

} // namespace lb::app
