#include "widgets/encodings_check_model.h"

#include <QLocale>
#include <algorithm>

namespace lb::widgets {

namespace {

using Kind = quant::EncodingIssue::Kind;

QString number(double value) {
    return QLocale().toString(value, 'g', 4);
}

QString range(const std::pair<double, double>& r) {
    return QStringLiteral("[%1, %2]").arg(number(r.first), number(r.second));
}

} // namespace

EncodingsCheckModel::EncodingsCheckModel(QObject* parent) : QAbstractTableModel(parent) {}

void EncodingsCheckModel::setCheck(const quant::EncodingsCheck& check) {
    beginResetModel();
    m_issues = check.issues;
    std::stable_sort(m_issues.begin(), m_issues.end(), [](const auto& a, const auto& b) {
        return quant::leavesEntryOut(a.kind) > quant::leavesEntryOut(b.kind);
    });
    m_missing = check.missingActivations;
    endResetModel();
}

int EncodingsCheckModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_issues.size() + m_missing.size());
}

int EncodingsCheckModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString EncodingsCheckModel::problemText(Kind kind) {
    switch (kind) {
    case Kind::Warning:
        return tr("Ignored line");
    case Kind::UnknownTensor:
        return tr("Not in this model");
    case Kind::ActivationFiledAsParam:
        return tr("Activation filed as param");
    case Kind::ParamFiledAsActivation:
        return tr("Param filed as activation");
    case Kind::OppositeOffsetSign:
        return tr("Offset sign");
    case Kind::InconsistentMinMax:
        return tr("Min/max disagree");
    case Kind::ChannelCountMismatch:
        return tr("Channel count");
    case Kind::NotFloatTensor:
        return tr("Not a float tensor");
    case Kind::UnusualBitwidth:
        return tr("Unusual bitwidth");
    case Kind::ParamRangeMismatch:
        return tr("Range far from the weight");
    }
    return tr("Problem");
}

QString EncodingsCheckModel::detailText(const quant::EncodingIssue& issue) {
    switch (issue.kind) {
    case Kind::Warning:
        return tr("JSON has no comments; this line was skipped: %1")
            .arg(QString::fromStdString(issue.detail));
    case Kind::UnknownTensor:
        return tr("The model has no tensor of this name.");
    case Kind::ActivationFiledAsParam:
        return tr("A node output or graph input, not a weight: the simulation cannot use it.");
    case Kind::ParamFiledAsActivation:
        return tr("A weight or constant: it is simulated as a param.");
    case Kind::OppositeOffsetSign:
        return tr("Offset %1 looks like a zero point: QNN's offset is its negative (%2).")
            .arg(issue.found)
            .arg(-issue.found);
    case Kind::InconsistentMinMax:
        return tr("The file's min/max %1 disagree with its scale and offset, which give %2.")
            .arg(range(issue.range), range(issue.values));
    case Kind::ChannelCountMismatch:
        return tr("%1 per-channel encodings, but the tensor (shape %2) has %3 channels.")
            .arg(issue.found)
            .arg(QString::fromStdString(issue.detail))
            .arg(issue.expected);
    case Kind::NotFloatTensor:
        return tr("The tensor is %1 in the model; only float32 tensors are quantized.")
            .arg(QString::fromStdString(issue.detail));
    case Kind::UnusualBitwidth:
        return tr("%1-bit integer encoding: QNN and AIMET give 32 bits to biases only (4, 8 or "
                  "16 bits elsewhere).")
            .arg(issue.found);
    case Kind::ParamRangeMismatch:
        return tr("Values %1, encoding %2: made for another model?")
            .arg(range(issue.values), range(issue.range));
    }
    return QString::fromStdString(issue.message);
}

QVariant EncodingsCheckModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    const size_t row = static_cast<size_t>(index.row());
    if (row >= m_issues.size()) {
        const QString name = QString::fromStdString(m_missing[row - m_issues.size()]);
        switch (index.column()) {
        case ProblemColumn:
            return tr("No encoding");
        case TensorColumn:
            return name;
        case SectionColumn:
            return tr("activation");
        case ImportColumn:
            return tr("stays float");
        case DetailsColumn:
            return tr("No entry in the file: this activation is not quantized.");
        }
        return {};
    }
    const quant::EncodingIssue& issue = m_issues[row];
    switch (index.column()) {
    case ProblemColumn:
        return problemText(issue.kind);
    case TensorColumn:
        return QString::fromStdString(issue.tensor);
    case SectionColumn:
        switch (issue.section) {
        case quant::EncodingSection::Activation:
            return tr("activation");
        case quant::EncodingSection::Param:
            return tr("param");
        case quant::EncodingSection::None:
            return tr("file");
        }
        return {};
    case ImportColumn:
        if (issue.section == quant::EncodingSection::None)
            return QString();
        return quant::leavesEntryOut(issue.kind) ? tr("left out") : tr("imported");
    case DetailsColumn:
        return detailText(issue);
    }
    return {};
}

QVariant EncodingsCheckModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ProblemColumn:
        return tr("Problem");
    case TensorColumn:
        return tr("Tensor");
    case SectionColumn:
        return tr("Section");
    case ImportColumn:
        return tr("Import");
    case DetailsColumn:
        return tr("Details");
    }
    return {};
}

} // namespace lb::widgets
