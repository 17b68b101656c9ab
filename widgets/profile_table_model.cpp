#include "widgets/profile_table_model.h"

#include <QApplication>
#include <QBrush>
#include <QColor>
#include <QIcon>
#include <QLocale>
#include <QPalette>
#include <QStyle>
#include <algorithm>

namespace lb::widgets {

namespace {
// Amber, translucent so that the selection and a dark palette still show through.
const QColor kFallbackColour(255, 170, 0, 80);
} // namespace

ProfileTableModel::ProfileTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void ProfileTableModel::setReport(std::shared_ptr<const lb::report::ProfileReport> report) {
    beginResetModel();
    m_report = std::move(report);
    m_fallbacks = m_report ? static_cast<int>(std::count_if(
                                 m_report->nodes.begin(), m_report->nodes.end(),
                                 [](const auto& n) { return !n.fallback.code.empty(); }))
                           : 0;
    endResetModel();
}

void ProfileTableModel::clear() {
    setReport(nullptr);
}

int ProfileTableModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() || !m_report)
        return 0;
    return static_cast<int>(m_report->nodes.size());
}

int ProfileTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProfileTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
        !m_report)
        return {};
    const lb::report::NodeProfile& n = m_report->nodes.at(static_cast<size_t>(index.row()));
    if (role == ReportIndexRole)
        return index.row();
    if (role == FallbackCodeRole)
        return QString::fromStdString(n.fallback.code);
    if (index.column() == BackendColumn)
        return backendData(n, role);
    if (role == Qt::TextAlignmentRole)
        return index.column() >= TimeColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                            : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == NodeColumn) {
        if (n.parent < 0)
            return QString::fromStdString(n.name);
        // The row's time and share are also in its control-flow node's row: say so, since the
        // rows of a table sorted by time no longer sit under their parent.
        const lb::report::NodeProfile& p = m_report->nodes.at(static_cast<size_t>(n.parent));
        return tr("%1: a node of subgraph %2 of %3 (%4); its time is part of %3's row")
            .arg(QString::fromStdString(n.name), QString::fromStdString(n.subgraph),
                 QString::fromStdString(p.name), QString::fromStdString(p.op));
    }
    if (role == Qt::ForegroundRole && n.parent >= 0)
        return QApplication::palette().brush(QPalette::Disabled, QPalette::Text);
    const bool sort = role == SortRole;
    if (role != Qt::DisplayRole && !sort)
        return {};
    const QLocale locale;
    switch (index.column()) {
    case NodeColumn: {
        if (n.parent < 0 || sort)
            return QString::fromStdString(n.name);
        // A subgraph's node, under its control-flow node: indented by depth, named by subgraph.
        int depth = 0;
        for (int32_t p = n.parent; p >= 0 && depth < 64;
             p = m_report->nodes[static_cast<size_t>(p)].parent)
            ++depth;
        return QString(2 * depth, QLatin1Char(' ')) + QStringLiteral("\u21b3 ") +
               QString::fromStdString(n.subgraph) + QLatin1Char('/') +
               QString::fromStdString(n.name);
    }
    case OpColumn:
        return QString::fromStdString(n.op);
    case PrecisionColumn:
        return QString::fromStdString(n.precision);
    case TimeColumn:
        return sort ? QVariant(n.timeMs) : QVariant(locale.toString(n.timeMs, 'f', 3));
    case ShareColumn:
        return sort ? QVariant(n.share) : QVariant(locale.toString(n.share * 100.0, 'f', 1));
    case MacsColumn:
        if (sort)
            return static_cast<qlonglong>(n.macs);
        return n.macs < 0 ? tr("?") : locale.toString(static_cast<qlonglong>(n.macs));
    case GflopsColumn:
        if (sort)
            return n.gflops;
        return n.macs <= 0 ? QString() : locale.toString(n.gflops, 'f', 2);
    default:
        return {};
    }
}

QVariant ProfileTableModel::backendData(const lb::report::NodeProfile& n, int role) const {
    const bool fellBack = !n.fallback.code.empty();
    switch (role) {
    case Qt::DisplayRole:
    case SortRole: {
        // The code stays as the engine spells it (a stable identifier, like an error code).
        QString text = QString::fromStdString(n.backend);
        if (fellBack)
            text +=
                QStringLiteral(" (") + QString::fromStdString(n.fallback.code) + QLatin1Char(')');
        return text;
    }
    case Qt::TextAlignmentRole:
        return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ToolTipRole:
        return fellBack ? QVariant(fallbackToolTip(n)) : QVariant();
    case Qt::BackgroundRole:
        return fellBack ? QVariant(QBrush(kFallbackColour)) : QVariant();
    case Qt::DecorationRole:
        return fellBack
                   ? QVariant(QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning))
                   : QVariant();
    default:
        return {};
    }
}

QString ProfileTableModel::fallbackToolTip(const lb::report::NodeProfile& n) const {
    const QString backend = QString::fromStdString(n.backend).toHtmlEscaped();
    // int8-declined: the node kept its backend but runs simulated (fake-quant) instead of int8.
    const QString header =
        n.fallback.code == "int8-declined"
            ? tr("<b>Not run in int8</b>: the int8 kernels declined this node, so it "
                 "runs simulated on %1.")
                  .arg(backend)
            : tr("<b>Fell back to %1</b>: a preferred backend declined this node.").arg(backend);
    // The header on one line sets the tooltip's width; the reasons wrap to it (a rich-text
    // tooltip is otherwise a narrow column).
    QString text = QStringLiteral("<div style=\"white-space:nowrap\">") + header +
                   QStringLiteral("</div>") +
                   tr("Code: %1")
                       .arg(QStringLiteral("<code>") +
                            QString::fromStdString(n.fallback.code).toHtmlEscaped() +
                            QStringLiteral("</code>"));
    // The text holds every decline, "backend: reason; backend: reason": one line each.
    const QStringList declines =
        QString::fromStdString(n.fallback.text).split(QStringLiteral("; "), Qt::SkipEmptyParts);
    for (const QString& decline : declines)
        text += QStringLiteral("<br>") + decline.toHtmlEscaped();
    return text;
}

QVariant ProfileTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NodeColumn:
        return tr("Node");
    case OpColumn:
        return tr("Op");
    case BackendColumn:
        return tr("Backend");
    case PrecisionColumn:
        return tr("Precision");
    case TimeColumn:
        return tr("Time (ms)");
    case ShareColumn:
        return tr("Share (%)");
    case MacsColumn:
        return tr("MACs");
    case GflopsColumn:
        return tr("GFLOP/s");
    default:
        return {};
    }
}

} // namespace lb::widgets
