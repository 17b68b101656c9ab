#pragma once

#include "quant/encoding.h"

#include <QString>
#include <QUndoCommand>

namespace lb::widgets {

class EncodingsTableModel;

// One tensor's encoding before and after an edit.
class EncodingsEditCommand : public QUndoCommand {
public:
    EncodingsEditCommand(EncodingsTableModel* model, QString tensor, lb::quant::Encoding before,
                         lb::quant::Encoding after, const QString& text);
    void undo() override;
    void redo() override;

private:
    EncodingsTableModel* m_model;
    QString m_tensor;
    lb::quant::Encoding m_before;
    lb::quant::Encoding m_after;
};

} // namespace lb::widgets
