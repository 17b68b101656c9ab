#pragma once

#include "quant/image_calibration.h"

#include <QGroupBox>
#include <optional>

class QComboBox;
class QFormLayout;
class QPushButton;
class QLineEdit;

namespace lb::app {

// "Image preprocessing" for calibrating on a folder of images, the GUI's form of the CLI's
// --preprocess SPEC.json, --resize, --mean, --std, --scale, --channel-order and --layout:
// empty fields keep the engine's defaults (size and layout from the model input).
class ImagePreprocessBox : public QGroupBox {
    Q_OBJECT

public:
    explicit ImagePreprocessBox(QWidget* parent = nullptr);

    // The spec the fields describe, or nullopt with a one-line reason naming the field.
    std::optional<quant::ImagePreprocess> spec(QString* error = nullptr) const;
    // Fills the fields from a spec (a loaded SPEC.json).
    void setSpec(const quant::ImagePreprocess& spec);
    // Reads a preprocessing spec file into the fields; false with a one-line error.
    bool loadSpecFile(const QString& path, QString* error = nullptr);

    QLineEdit* resizeEdit() const { return m_resize; }
    QLineEdit* meanEdit() const { return m_mean; }
    QLineEdit* stdEdit() const { return m_std; }
    QLineEdit* scaleEdit() const { return m_scale; }

signals:
    void loadFailed(const QString& message);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void browseSpec();

    QFormLayout* m_form = nullptr;
    QPushButton* m_load = nullptr;
    QLineEdit* m_resize = nullptr;
    QLineEdit* m_mean = nullptr;
    QLineEdit* m_std = nullptr;
    QLineEdit* m_scale = nullptr;
    QComboBox* m_channelOrder = nullptr;
    QComboBox* m_layout = nullptr;
};

} // namespace lb::app
