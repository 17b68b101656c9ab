// EncodingsTableModel::candidate: what an edit of one cell would make of the tensor's encoding.
#include "core/error.h"
#include "widgets/encodings_table_model.h"
#include "widgets/ui_format.h"

#include <cmath>

namespace lb::widgets {

using lb::quant::ChannelParams;
using lb::quant::Encoding;

namespace {

std::optional<Encoding> failed(QString* error, const QString& message) {
    if (error)
        *error = message;
    return std::nullopt;
}

// Every channel again from its range (the range nudged so that 0 is exact).
void rederive(Encoding& e) {
    for (ChannelParams& c : e.channels)
        c = lb::quant::paramsFromMinMax(c.min, c.max, e.bitwidth, e.symmetric);
}

} // namespace

std::optional<Encoding> EncodingsTableModel::candidate(const QModelIndex& index,
                                                       const QString& text, QString* error) const {
    const QString tensor = tensorAt(index);
    const auto current = encodingOf(tensor);
    if (!current || !(flags(index) & (Qt::ItemIsEditable | Qt::ItemIsUserCheckable)))
        return failed(error, tr("%1: this cell cannot be edited").arg(tensor));
    Encoding e = *current;
    const int channel = channelOf(index);
    const QString value = text.trimmed();
    bool ok = false;
    try {
        switch (index.column()) {
        case BitwidthColumn: {
            const int bw = UiFormat::locale().toInt(value, &ok);
            if (!ok || (bw != 4 && bw != 8 && bw != 16 && bw != 32))
                return failed(error, tr("%1: bitwidth '%2' is not supported (expected 4, 8, 16 "
                                        "or 32)")
                                         .arg(tensor, value));
            e.bitwidth = bw;
            rederive(e);
            break;
        }
        case SymmetricColumn:
            e.symmetric = value == QLatin1String("true");
            rederive(e);
            break;
        case MinColumn:
        case MaxColumn: {
            const std::optional<double> parsed = UiFormat::parseDouble(value);
            if (!parsed || !std::isfinite(*parsed))
                return failed(error, tr("%1: '%2' is not a number").arg(tensor, value));
            const double v = *parsed;
            ChannelParams& c = e.channels[channel < 0 ? 0 : static_cast<size_t>(channel)];
            const double lo = index.column() == MinColumn ? v : c.min;
            const double hi = index.column() == MaxColumn ? v : c.max;
            if (hi < lo)
                return failed(error, tr("%1: max %2 < min %3")
                                         .arg(tensor, UiFormat::significant(hi, 8),
                                              UiFormat::significant(lo, 8)));
            c = lb::quant::paramsFromMinMax(lo, hi, e.bitwidth, e.symmetric);
            break;
        }
        case ScaleColumn: {
            const std::optional<double> parsed = UiFormat::parseDouble(value);
            if (!parsed || !std::isfinite(*parsed) || *parsed <= 0)
                return failed(error, tr("%1: scale '%2' must be a number > 0").arg(tensor, value));
            const double v = *parsed;
            ChannelParams& c = e.channels[channel < 0 ? 0 : static_cast<size_t>(channel)];
            c = lb::quant::paramsFromScaleOffset(v, c.offset, e.bitwidth);
            break;
        }
        case OffsetColumn: {
            const qlonglong v = UiFormat::locale().toLongLong(value, &ok);
            const qlonglong lowest = -static_cast<qlonglong>(lb::quant::quantMax(e.bitwidth));
            if (!ok || v > 0 || v < lowest)
                return failed(error, tr("%1: offset '%2' must be an integer in [%3, 0] for "
                                        "%4-bit (QNN offset = -zero_point)")
                                         .arg(tensor, value)
                                         .arg(lowest)
                                         .arg(e.bitwidth));
            ChannelParams& c = e.channels[channel < 0 ? 0 : static_cast<size_t>(channel)];
            c = lb::quant::paramsFromScaleOffset(c.scale, v, e.bitwidth);
            break;
        }
        default:
            return failed(error, tr("%1: this cell cannot be edited").arg(tensor));
        }
        lb::quant::validateEncoding(e, tensor.toStdString());
    } catch (const lb::Error& err) {
        return failed(error, QString::fromStdString(err.what()).section(QLatin1Char('\n'), 0, 0));
    }
    return e;
}

} // namespace lb::widgets
