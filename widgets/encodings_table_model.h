#pragma once

#include "quant/encoding_set.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QString>
#include <optional>
#include <vector>

class QUndoStack;

namespace lb::widgets {

// The encodings table: one row per tensor (activations, then params), per-channel encodings with
// one child row per channel. Edits are validated as typed: an invalid value is not applied, its
// cell is marked and validationFailed() names the tensor. Every applied change is a command on
// undoStack(), so edits, histogram drags, undo and redo all go through replaceEncoding().
class EncodingsTableModel : public QAbstractItemModel {
    Q_OBJECT

public:
    enum Column {
        TensorColumn,
        KindColumn,
        BitwidthColumn,
        MinColumn,
        MaxColumn,
        ScaleColumn,
        OffsetColumn,
        SymmetricColumn,
        ColumnCount
    };

    explicit EncodingsTableModel(QObject* parent = nullptr);

    // Resets the model and the undo history. `modified`: the set holds unsaved edits (recovered
    // from an autosave).
    void setEncodings(const lb::quant::EncodingSet& set, bool modified = false);
    const lb::quant::EncodingSet& encodings() const { return m_set; }
    QUndoStack* undoStack() const { return m_undo; }
    bool isModified() const;
    void setSaved(); // the current state is what is on disk

    std::optional<lb::quant::Encoding> encodingOf(const QString& tensor) const;
    bool isParam(const QString& tensor) const;
    QString tensorAt(const QModelIndex& index) const;
    QModelIndex indexOf(const QString& tensor, int column = TensorColumn) const;

    // The encoding an edit of `index` to `text` would give, or nullopt and a one-line message
    // naming the tensor.
    std::optional<lb::quant::Encoding> candidate(const QModelIndex& index, const QString& text,
                                                 QString* error) const;
    // An undoable change of one tensor's encoding (validated by the caller).
    void commitEncoding(const QString& tensor, const lb::quant::Encoding& encoding,
                        const QString& description);
    // Applies without recording (the undo commands call this).
    void replaceEncoding(const QString& tensor, const lb::quant::Encoding& encoding);
    bool isInvalid(const QModelIndex& index) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

signals:
    // After any change to a tensor's encoding: an edit, a drag, undo or redo.
    void encodingChanged(const QString& tensor);
    void validationFailed(const QString& message);
    void modifiedChanged(bool modified);

private:
    struct Row {
        QString tensor;
        bool param = false;
    };
    const lb::quant::Encoding* encodingAt(int row) const;
    int channelOf(const QModelIndex& index) const; // -1 for a tensor row
    QString markKey(const QModelIndex& index) const;
    QVariant displayData(const QModelIndex& index) const;
    void emitModified();

    lb::quant::EncodingSet m_set;
    std::vector<Row> m_rows;
    QUndoStack* m_undo = nullptr;
    QHash<QString, QString> m_invalid; // markKey -> message
    bool m_forcedModified = false;
    bool m_lastModified = false;
};

} // namespace lb::widgets
