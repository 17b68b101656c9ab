#include "widgets/op_colors.h"

namespace lb::widgets {

using lb::ops::OpCategory;

QColor OpColors::fill(OpCategory category) {
    // Netron-like families: compute-heavy ops saturated, data movement muted.
    switch (category) {
    case OpCategory::Convolution:
        return QColor(0x33, 0x6f, 0xb3);
    case OpCategory::Linear:
        return QColor(0x5b, 0x4c, 0xa8);
    case OpCategory::Activation:
        return QColor(0xa9, 0x3a, 0x2c);
    case OpCategory::Normalization:
        return QColor(0x2f, 0x7d, 0x5a);
    case OpCategory::Pooling:
        return QColor(0x1d, 0x7f, 0x8a);
    case OpCategory::Elementwise:
        return QColor(0x8a, 0x6a, 0x1d);
    case OpCategory::Shape:
        return QColor(0x6b, 0x6b, 0x6b);
    case OpCategory::Data:
        return QColor(0xd9, 0xd9, 0xd4);
    case OpCategory::Control:
        return QColor(0x8c, 0x35, 0x7a);
    case OpCategory::Quantization:
        return QColor(0xc0, 0x6a, 0x1b);
    case OpCategory::Other:
        break;
    }
    return QColor(0x9a, 0x9a, 0x9a);
}

QColor OpColors::textOn(const QColor& background) {
    const double luma =
        0.299 * background.redF() + 0.587 * background.greenF() + 0.114 * background.blueF();
    return luma > 0.6 ? QColor(0x20, 0x20, 0x20) : QColor(Qt::white);
}

QString OpColors::categoryName(OpCategory category) {
    switch (category) {
    case OpCategory::Convolution:
        return tr("Convolution");
    case OpCategory::Linear:
        return tr("Linear");
    case OpCategory::Activation:
        return tr("Activation");
    case OpCategory::Normalization:
        return tr("Normalization");
    case OpCategory::Pooling:
        return tr("Pooling");
    case OpCategory::Elementwise:
        return tr("Elementwise");
    case OpCategory::Shape:
        return tr("Shape");
    case OpCategory::Data:
        return tr("Data");
    case OpCategory::Control:
        return tr("Control flow");
    case OpCategory::Quantization:
        return tr("Quantization");
    case OpCategory::Other:
        break;
    }
    return tr("Other");
}

QList<OpCategory> OpColors::allCategories() {
    return {OpCategory::Convolution,   OpCategory::Linear,  OpCategory::Activation,
            OpCategory::Normalization, OpCategory::Pooling, OpCategory::Elementwise,
            OpCategory::Shape,         OpCategory::Data,    OpCategory::Control,
            OpCategory::Quantization,  OpCategory::Other};
}

QList<QPair<QString, QColor>> OpColors::legend() {
    QList<QPair<QString, QColor>> out;
    for (OpCategory c : allCategories())
        out.append({categoryName(c), fill(c)});
    return out;
}

} // namespace lb::widgets
