#pragma once

#include "quant/name_check.h"
#include "widgets/problem_list_dialog.h"

namespace lb::app {

// What importing an encodings file into the open model would do, shown before anything is
// replaced: "N of M entries match this model; K match nothing", the problems
// (widgets::EncodingsCheckModel) and two choices: import the entries that fit (never the others)
// or cancel.
class EncodingsImportDialog : public widgets::ProblemListDialog {
    Q_OBJECT

public:
    EncodingsImportDialog(const quant::EncodingsCheck& check, const QString& fileName,
                          const QString& modelName, QWidget* parent = nullptr);

    QPushButton* importButton() const { return m_import; }
    QPushButton* cancelButton() const { return m_cancel; }

    // The summary above the list.
    static QString summaryText(const quant::EncodingsCheck& check, const QString& fileName,
                               const QString& modelName);
    // Why the file cannot be imported at all (no entry fits the model), one sentence naming the
    // file and the model; empty when some entries can be.
    static QString refusalText(const quant::EncodingsCheck& check, const QString& fileName,
                               const QString& modelName);

private:
    QPushButton* m_import = nullptr;
    QPushButton* m_cancel = nullptr;
};

} // namespace lb::app
