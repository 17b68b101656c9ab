#include "app/encodings_import_dialog.h"

#include "widgets/encodings_check_model.h"

#include <QLabel>
#include <QPushButton>

namespace lb::app {

EncodingsImportDialog::EncodingsImportDialog(const quant::EncodingsCheck& check,
                                             const QString& fileName, const QString& modelName,
                                             QWidget* parent)
    : widgets::ProblemListDialog(parent) {
    setObjectName(QStringLiteral("encodingsImportDialog"));
    setWindowTitle(tr("Import Encodings: %1").arg(fileName));
    setSummary(summaryText(check, fileName, modelName));
    auto* model = new widgets::EncodingsCheckModel(this);
    model->setCheck(check);
    setModel(model);
    const int usable = static_cast<int>(check.usable());
    m_import =
        addButton(check.leftOut > 0 ? tr("Import Matching Entries (%1)").arg(usable) : tr("Import"),
                  QDialogButtonBox::AcceptRole);
    m_cancel = addButton(tr("Cancel"), QDialogButtonBox::RejectRole);
    m_import->setDefault(true);
}

QString EncodingsImportDialog::summaryText(const quant::EncodingsCheck& check,
                                           const QString& fileName, const QString& modelName) {
    // Counts after a colon or as "N of M": English reads right for any N without plural forms.
    QStringList parts;
    parts << tr("%1 of %2 entries in %3 match %4; %5 match nothing.")
                 .arg(check.matching())
                 .arg(check.entries)
                 .arg(fileName, modelName)
                 .arg(check.unmatched);
    if (check.leftOut > check.unmatched)
        parts << tr("Entries that name a tensor they cannot apply to: %1.")
                     .arg(check.leftOut - check.unmatched);
    if (check.leftOut > 0)
        parts << tr("Only the entries that fit are imported; the others are left out.");
    if (!check.missingActivations.empty())
        parts << tr("Activations of the model with no encoding in the file (they stay in "
                    "float): %1.")
                     .arg(check.missingActivations.size());
    parts << tr("Importing replaces the current encodings.");
    return parts.join(QLatin1Char(' '));
}

QString EncodingsImportDialog::refusalText(const quant::EncodingsCheck& check,
                                           const QString& fileName, const QString& modelName) {
    if (check.entries == 0)
        return tr("%1 has no encodings to import.").arg(fileName);
    if (check.matching() == 0)
        return tr("None of the %1 entries in %2 names a tensor of %3: the file is for another "
                  "model. The encodings were not changed.")
            .arg(check.entries)
            .arg(fileName, modelName);
    if (check.usable() == 0)
        return tr("None of the %1 entries in %2 fits %3: %4 name no tensor of it, the others do "
                  "not fit their tensor. The encodings were not changed.")
            .arg(check.entries)
            .arg(fileName, modelName)
            .arg(check.unmatched);
    return {};
}

} // namespace lb::app
