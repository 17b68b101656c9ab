#include "app/input_shapes_dialog.h"

#include "core/error.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace lb::app {

InputShapesDialog::InputShapesDialog(const std::vector<Input>& inputs, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Set Input Shapes"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Give a concrete shape for each input with symbolic dimensions, "
                                "for example 1x3x640x640. Leave a line empty to keep the "
                                "declared shape."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto* form = new QFormLayout;
    for (const Input& input : inputs) {
        auto* edit = new QLineEdit(input.current, this);
        edit->setPlaceholderText(input.declared);
        edit->setToolTip(tr("Declared shape: %1").arg(input.declared));
        form->addRow(tr("%1 (%2):").arg(QString::fromStdString(input.name), input.declared), edit);
        connect(edit, &QLineEdit::textChanged, this, &InputShapesDialog::validate);
        m_edits.emplace_back(input.name, edit);
    }
    layout->addLayout(form);

    m_error = new QLabel(this);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_error->setWordWrap(true);
    layout->addWidget(m_error);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Reopen"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(m_buttons);
    validate();
}

void InputShapesDialog::validate() {
    QString error;
    for (const auto& [name, edit] : m_edits) {
        const QString text = edit->text().trimmed();
        if (text.isEmpty())
            continue;
        try {
            parseShape(text.toStdString());
        } catch (const Error&) {
            error = tr("'%1' is not a shape for input %2: expected numbers separated by x, "
                       "e.g. 1x3x640x640.")
                        .arg(text, QString::fromStdString(name));
            break;
        }
    }
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(error.isEmpty());
}

std::map<std::string, Shape> InputShapesDialog::shapes() const {
    std::map<std::string, Shape> result;
    for (const auto& [name, edit] : m_edits) {
        const QString text = edit->text().trimmed();
        if (text.isEmpty())
            continue;
        try {
            result[name] = parseShape(text.toStdString());
        } catch (const Error&) {
            // validate() keeps OK disabled while a line does not parse.
        }
    }
    return result;
}

} // namespace lb::app
