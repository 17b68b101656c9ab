#pragma once

#include "quant/name_check.h"

#include <QAbstractTableModel>
#include <string>
#include <vector>

namespace lb::widgets {

// The problems an encodings file has against a model (quant::checkEncodings), worded in the UI's
// language from the issues' facts: entries left out of an import first, then advice, then the
// model's activations the file leaves in float. Fed a whole check.
class EncodingsCheckModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        ProblemColumn,
        TensorColumn,
        SectionColumn,
        ImportColumn,
        DetailsColumn,
        ColumnCount
    };

    explicit EncodingsCheckModel(QObject* parent = nullptr);
    void setCheck(const quant::EncodingsCheck& check);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // One issue in the UI's language: its kind ("Not in this model") and a sentence with its
    // facts.
    static QString problemText(quant::EncodingIssue::Kind kind);
    static QString detailText(const quant::EncodingIssue& issue);

private:
    std::vector<quant::EncodingIssue> m_issues; // left-out kinds first
    std::vector<std::string> m_missing;
};

} // namespace lb::widgets
