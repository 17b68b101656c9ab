#pragma once

#include "core/shape.h"

#include <QDialog>
#include <map>
#include <string>
#include <vector>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace lb::app {

// One line edit per model input ("1x3x640x640"); OK is enabled only when every filled line
// parses. Empty lines leave that input as declared.
class InputShapesDialog : public QDialog {
    Q_OBJECT

public:
    struct Input {
        std::string name;
        QString declared; // "Nx3x?x?"
        QString current;  // the value to start from, e.g. a previous choice
    };

    explicit InputShapesDialog(const std::vector<Input>& inputs, QWidget* parent = nullptr);

    std::map<std::string, Shape> shapes() const;

private:
    void validate();

    std::vector<std::pair<std::string, QLineEdit*>> m_edits;
    QLabel* m_error = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace lb::app
