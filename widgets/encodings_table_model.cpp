#include "widgets/encodings_table_model.h"

#include "core/error.h"
#include "widgets/encodings_edit_command.h"
#include "widgets/ui_format.h"

#include <QBrush>
#include <QColor>
#include <QUndoStack>
#include <cmath>

namespace lb::widgets {

using lb::quant::Encoding;
using lb::quant::EncodingDtype;

namespace {
const QColor kInvalidColour(0xf8, 0xc8, 0xc8);
constexpr quintptr kTopLevel = 0; // children store their parent's row + 1

// Eight significant digits in the UI's locale; the delegate's parse reads them back.
QString number(double v) {
    return UiFormat::significant(v, 8);
}
} // namespace

EncodingsTableModel::EncodingsTableModel(QObject* parent)
    : QAbstractItemModel(parent), m_undo(new QUndoStack(this)) {
    connect(m_undo, &QUndoStack::cleanChanged, this, [this] { emitModified(); });
}

void EncodingsTableModel::setEncodings(const lb::quant::EncodingSet& set, bool modified) {
    beginResetModel();
    m_set = set;
    m_rows.clear();
    m_invalid.clear();
    for (const auto& [name, e] : m_set.activations)
        m_rows.push_back({QString::fromStdString(name), false});
    for (const auto& [name, e] : m_set.params)
        m_rows.push_back({QString::fromStdString(name), true});
    // Before clear(): its indexChanged already reports the new set's state.
    m_forcedModified = modified;
    m_undo->clear();
    endResetModel();
    emitModified();
}

bool EncodingsTableModel::isModified() const {
    return m_forcedModified || !m_undo->isClean();
}

void EncodingsTableModel::setSaved() {
    m_forcedModified = false;
    m_undo->setClean();
    emitModified();
}

void EncodingsTableModel::emitModified() {
    if (isModified() != m_lastModified) {
        m_lastModified = isModified();
        emit modifiedChanged(m_lastModified);
    }
}

const Encoding* EncodingsTableModel::encodingAt(int row) const {
    if (row < 0 || row >= static_cast<int>(m_rows.size()))
        return nullptr;
    const Row& r = m_rows[static_cast<size_t>(row)];
    const auto& section = r.param ? m_set.params : m_set.activations;
    auto it = section.find(r.tensor.toStdString());
    return it == section.end() ? nullptr : &it->second;
}

std::optional<Encoding> EncodingsTableModel::encodingOf(const QString& tensor) const {
    const QModelIndex i = indexOf(tensor);
    if (!i.isValid())
        return std::nullopt;
    return *encodingAt(i.row());
}

bool EncodingsTableModel::isParam(const QString& tensor) const {
    const QModelIndex i = indexOf(tensor);
    return i.isValid() && m_rows[static_cast<size_t>(i.row())].param;
}

QString EncodingsTableModel::tensorAt(const QModelIndex& index) const {
    if (!index.isValid())
        return {};
    const int row =
        index.internalId() == kTopLevel ? index.row() : static_cast<int>(index.internalId()) - 1;
    return m_rows[static_cast<size_t>(row)].tensor;
}

QModelIndex EncodingsTableModel::indexOf(const QString& tensor, int column) const {
    for (size_t r = 0; r < m_rows.size(); ++r)
        if (m_rows[r].tensor == tensor)
            return index(static_cast<int>(r), column);
    return {};
}

int EncodingsTableModel::channelOf(const QModelIndex& index) const {
    return index.internalId() == kTopLevel ? -1 : index.row();
}

QString EncodingsTableModel::markKey(const QModelIndex& index) const {
    return tensorAt(index) + QLatin1Char('|') + QString::number(channelOf(index)) +
           QLatin1Char('|') + QString::number(index.column());
}

bool EncodingsTableModel::isInvalid(const QModelIndex& index) const {
    return m_invalid.contains(markKey(index));
}

void EncodingsTableModel::commitEncoding(const QString& tensor, const Encoding& encoding,
                                         const QString& description) {
    const auto before = encodingOf(tensor);
    if (!before || *before == encoding)
        return;
    m_undo->push(new EncodingsEditCommand(this, tensor, *before, encoding, description));
}

void EncodingsTableModel::replaceEncoding(const QString& tensor, const Encoding& encoding) {
    const QModelIndex top = indexOf(tensor);
    if (!top.isValid())
        return;
    const Row& r = m_rows[static_cast<size_t>(top.row())];
    auto& section = r.param ? m_set.params : m_set.activations;
    Encoding& current = section[tensor.toStdString()];
    const int oldChildren = rowCount(top);
    const int newChildren =
        encoding.isPerChannel() ? static_cast<int>(encoding.channels.size()) : 0;
    if (oldChildren != newChildren) {
        if (oldChildren > 0) {
            beginRemoveRows(top, 0, oldChildren - 1);
            current = Encoding{};
            endRemoveRows();
        }
        if (newChildren > 0) {
            beginInsertRows(top, 0, newChildren - 1);
            current = encoding;
            endInsertRows();
        }
    }
    current = encoding;
    // Marks of this tensor refer to values that are gone now.
    for (auto it = m_invalid.begin(); it != m_invalid.end();)
        it = it.key().startsWith(tensor + QLatin1Char('|')) ? m_invalid.erase(it) : std::next(it);
    emit dataChanged(index(top.row(), 0), index(top.row(), ColumnCount - 1));
    if (rowCount(top) > 0)
        emit dataChanged(index(0, 0, top), index(rowCount(top) - 1, ColumnCount - 1, top));
    emit encodingChanged(tensor);
    emitModified();
}

QModelIndex EncodingsTableModel::index(int row, int column, const QModelIndex& parent) const {
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, kTopLevel);
    return createIndex(row, column, static_cast<quintptr>(parent.row()) + 1);
}

QModelIndex EncodingsTableModel::parent(const QModelIndex& child) const {
    if (!child.isValid() || child.internalId() == kTopLevel)
        return {};
    return createIndex(static_cast<int>(child.internalId()) - 1, 0, kTopLevel);
}

int EncodingsTableModel::rowCount(const QModelIndex& parent) const {
    if (!parent.isValid())
        return static_cast<int>(m_rows.size());
    if (parent.internalId() != kTopLevel || parent.column() != 0)
        return 0;
    const Encoding* e = encodingAt(parent.row());
    return e && e->isPerChannel() ? static_cast<int>(e->channels.size()) : 0;
}

int EncodingsTableModel::columnCount(const QModelIndex&) const {
    return ColumnCount;
}

QVariant EncodingsTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid())
        return {};
    const Encoding* e = encodingAt(
        index.internalId() == kTopLevel ? index.row() : static_cast<int>(index.internalId()) - 1);
    if (!e)
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return displayData(index);
    case Qt::CheckStateRole:
        if (index.column() == SymmetricColumn && channelOf(index) < 0 &&
            e->dtype == EncodingDtype::Int)
            return e->symmetric ? Qt::Checked : Qt::Unchecked;
        return {};
    case Qt::BackgroundRole:
        return isInvalid(index) ? QVariant(QBrush(kInvalidColour)) : QVariant();
    case Qt::ToolTipRole:
        return m_invalid.value(markKey(index));
    case Qt::TextAlignmentRole:
        return index.column() >= BitwidthColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter))
                                                : QVariant();
    default:
        return {};
    }
}

QVariant EncodingsTableModel::displayData(const QModelIndex& index) const {
    const int channel = channelOf(index);
    const int row = channel < 0 ? index.row() : static_cast<int>(index.internalId()) - 1;
    const Encoding& e = *encodingAt(row);
    const Row& r = m_rows[static_cast<size_t>(row)];
    if (channel >= 0) {
        const lb::quant::ChannelParams& p = e.channels[static_cast<size_t>(channel)];
        switch (index.column()) {
        case TensorColumn:
            return tr("channel %1").arg(channel);
        case MinColumn:
            return number(p.min);
        case MaxColumn:
            return number(p.max);
        case ScaleColumn:
            return number(p.scale);
        case OffsetColumn:
            return UiFormat::integer(p.offset);
        default:
            return {};
        }
    }
    const bool perTensor =
        e.dtype == EncodingDtype::Int && !e.isPerChannel() && !e.channels.empty();
    switch (index.column()) {
    case TensorColumn:
        return r.tensor;
    case KindColumn:
        return r.param ? tr("param") : tr("activation");
    case BitwidthColumn:
        return e.dtype == EncodingDtype::Float ? tr("%1 (float)").arg(e.bitwidth)
                                               : UiFormat::integer(e.bitwidth);
    case MinColumn:
        return perTensor          ? number(e.channels.front().min)
               : e.isPerChannel() ? tr("%1 channels").arg(e.channels.size())
                                  : QString();
    case MaxColumn:
        return perTensor ? number(e.channels.front().max) : QString();
    case ScaleColumn:
        return perTensor ? number(e.channels.front().scale) : QString();
    case OffsetColumn:
        return perTensor ? UiFormat::integer(e.channels.front().offset) : QString();
    default:
        return {};
    }
}

Qt::ItemFlags EncodingsTableModel::flags(const QModelIndex& index) const {
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    const int channel = channelOf(index);
    const Encoding* e =
        encodingAt(channel < 0 ? index.row() : static_cast<int>(index.internalId()) - 1);
    if (!e || e->dtype == EncodingDtype::Float)
        return f;
    const int c = index.column();
    if (channel < 0) {
        if (c == BitwidthColumn)
            f |= Qt::ItemIsEditable;
        if (c == SymmetricColumn)
            f |= Qt::ItemIsUserCheckable;
        if (!e->isPerChannel() && c >= MinColumn && c <= OffsetColumn)
            f |= Qt::ItemIsEditable;
    } else if (c >= MinColumn && c <= OffsetColumn) {
        f |= Qt::ItemIsEditable;
    }
    return f;
}

bool EncodingsTableModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!index.isValid())
        return false;
    const QString tensor = tensorAt(index);
    if (role == Qt::CheckStateRole && index.column() == SymmetricColumn) {
        QString error;
        const auto next = candidate(
            index, value.toInt() == Qt::Checked ? QStringLiteral("true") : QStringLiteral("false"),
            &error);
        if (!next) {
            emit validationFailed(error);
            return false;
        }
        commitEncoding(tensor, *next, tr("Symmetric %1").arg(tensor));
        return true;
    }
    if (role != Qt::EditRole)
        return false;
    QString error;
    const auto next = candidate(index, value.toString(), &error);
    if (!next) {
        m_invalid.insert(markKey(index), error);
        emit dataChanged(index, index, {Qt::BackgroundRole, Qt::ToolTipRole});
        emit validationFailed(error);
        return false;
    }
    if (m_invalid.remove(markKey(index)))
        emit dataChanged(index, index, {Qt::BackgroundRole, Qt::ToolTipRole});
    const QString column = headerData(index.column(), Qt::Horizontal).toString();
    commitEncoding(tensor, *next, tr("Edit %1 of %2").arg(column.toLower(), tensor));
    return true;
}

QVariant EncodingsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TensorColumn:
        return tr("Tensor");
    case KindColumn:
        return tr("Kind");
    case BitwidthColumn:
        return tr("Bitwidth");
    case MinColumn:
        return tr("Min");
    case MaxColumn:
        return tr("Max");
    case ScaleColumn:
        return tr("Scale");
    case OffsetColumn:
        return tr("Offset");
    case SymmetricColumn:
        return tr("Symmetric");
    default:
        return {};
    }
}

} // namespace lb::widgets
