#pragma once

#include <QGroupBox>
#include <string>
#include <utility>
#include <vector>

class QFormLayout;
class QLineEdit;

namespace lb::app {

class InputShapes;

// "Input shapes": one line per model input ("1x3x48x192"), editing the window's one
// InputShapes. The Run and the Quantize panels each show one; typing in either shows in both.
class InputShapesEditor : public QGroupBox {
    Q_OBJECT

public:
    explicit InputShapesEditor(InputShapes* shapes, QWidget* parent = nullptr);

    // Marks `input`'s line as the one at fault and gives it the focus; cleared by the next edit.
    void markInvalid(const std::string& input);
    void clearMarks();
    QLineEdit* lineFor(const std::string& input) const;

protected:
    void changeEvent(QEvent* event) override;

private:
    void rebuild();
    void onTextChanged(const std::string& name, const QString& text);

    InputShapes* m_shapes;
    QFormLayout* m_form = nullptr;
    std::vector<std::pair<std::string, QLineEdit*>> m_lines;
};

} // namespace lb::app
