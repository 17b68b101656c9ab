#include "widgets/encodings_edit_command.h"

#include "widgets/encodings_table_model.h"

namespace lb::widgets {

EncodingsEditCommand::EncodingsEditCommand(EncodingsTableModel* model, QString tensor,
                                           lb::quant::Encoding before, lb::quant::Encoding after,
                                           const QString& text)
    : QUndoCommand(text), m_model(model), m_tensor(std::move(tensor)), m_before(std::move(before)),
      m_after(std::move(after)) {}

void EncodingsEditCommand::undo() {
    m_model->replaceEncoding(m_tensor, m_before);
}

void EncodingsEditCommand::redo() {
    m_model->replaceEncoding(m_tensor, m_after);
}

} // namespace lb::widgets
