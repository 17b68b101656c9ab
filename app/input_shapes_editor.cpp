#include "app/input_shapes_editor.h"

#include "app/input_shapes.h"

#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>

namespace lb::app {

InputShapesEditor::InputShapesEditor(InputShapes* shapes, QWidget* parent)
    : QGroupBox(parent), m_shapes(shapes) {
    setTitle(tr("Input shapes"));
    m_form = new QFormLayout(this);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    connect(m_shapes, &InputShapes::inputsReset, this, &InputShapesEditor::rebuild);
    connect(m_shapes, &InputShapes::textChanged, this, &InputShapesEditor::onTextChanged);
    rebuild();
}

void InputShapesEditor::rebuild() {
    while (m_form->rowCount() > 0)
        m_form->removeRow(0);
    m_lines.clear();
    for (const InputShapes::Input& input : m_shapes->inputs()) {
        const QString name = QString::fromStdString(input.name);
        const QString declared = input.declared
                                     ? QString::fromStdString(shapeToString(*input.declared))
                                     : QStringLiteral("?");
        auto* line = new QLineEdit(input.text, this);
        line->setObjectName(QStringLiteral("inputShape:") + name);
        line->setPlaceholderText(tr("e.g. %1").arg(InputShapes::exampleShape(input.declared)));
        line->setToolTip(tr("Shape of %1 for runs and quantization, e.g. %2 (declared: %3). "
                            "Kept for this model file.")
                             .arg(name, InputShapes::exampleShape(input.declared), declared));
        connect(line, &QLineEdit::textEdited, this,
                [this, line, name = input.name](const QString& t) {
                    line->setStyleSheet(QString());
                    m_shapes->setText(name, t);
                });
        m_form->addRow(tr("%1:").arg(name), line);
        m_lines.emplace_back(input.name, line);
    }
    if (m_lines.empty())
        m_form->addRow(new QLabel(tr("Open a model to set its input shapes."), this));
}

void InputShapesEditor::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        setTitle(tr("Input shapes"));
        rebuild(); // labels, placeholders and tooltips; the texts come from the shared shapes
    }
    QGroupBox::changeEvent(event);
}

void InputShapesEditor::onTextChanged(const std::string& name, const QString& text) {
    if (QLineEdit* line = lineFor(name); line && line->text() != text)
        line->setText(text);
}

QLineEdit* InputShapesEditor::lineFor(const std::string& input) const {
    for (const auto& [name, line] : m_lines)
        if (name == input)
            return line;
    return nullptr;
}

void InputShapesEditor::markInvalid(const std::string& input) {
    clearMarks();
    if (QLineEdit* line = lineFor(input)) {
        line->setStyleSheet(QStringLiteral("QLineEdit { border: 1px solid #b00020; }"));
        line->setFocus(Qt::OtherFocusReason);
    }
}

void InputShapesEditor::clearMarks() {
    for (const auto& [name, line] : m_lines)
        line->setStyleSheet(QString());
}

} // namespace lb::app
