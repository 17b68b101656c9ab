#include "app/image_preprocess_box.h"

#include "core/error.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QLabel>
#include <QEvent>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <algorithm>

namespace lb::app {

namespace {

// A number as typed: the UI locale's form ("0,5" in Spanish), else the C form ("0.5"). The
// locale first: in C, "1,000" would be a thousand.
std::optional<double> readNumber(const QString& text) {
    bool ok = false;
    double value = QLocale().toDouble(text, &ok);
    if (!ok)
        value = QLocale::c().toDouble(text, &ok);
    return ok ? std::optional<double>(value) : std::nullopt;
}

// "0.485, 0.456, 0.406", "0.485 0.456 0.406", "0,485; 0,456; 0,406": with spaces or ';' those
// separate (so a decimal comma stays a decimal comma), else commas do.
std::optional<std::vector<double>> readNumberList(const QString& text) {
    QString list = text.trimmed();
    if (const auto one = readNumber(list))
        return std::vector<double>{*one}; // "0,5" in a decimal-comma locale is one number

    list.replace(QLatin1Char(';'), QLatin1Char(' '));
    static const QRegularExpression space(QStringLiteral("\\s+"));
    QStringList words = list.contains(space) ? list.split(space, Qt::SkipEmptyParts)
                                             : list.split(QLatin1Char(','), Qt::SkipEmptyParts);
    std::vector<double> values;
    for (QString word : words) {
        while (word.endsWith(QLatin1Char(',')))
            word.chop(1);
        if (word.isEmpty())
            continue;
        const auto value = readNumber(word);
        if (!value)
            return std::nullopt;
        values.push_back(*value);
    }
    if (values.empty() || (values.size() != 1 && values.size() != 3))
        return std::nullopt;
    return values;
}

QString numberListText(const std::vector<double>& values) {
    QStringList words;
    for (double v : values)
        words << QLocale::c().toString(v, 'g', 6);
    return words.join(QStringLiteral(", "));
}

} // namespace

ImagePreprocessBox::ImagePreprocessBox(QWidget* parent) : QGroupBox(parent) {
    auto* form = m_form = new QFormLayout(this);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_resize = new QLineEdit(this);
    m_resize->setObjectName(QStringLiteral("preprocessResize"));
    form->addRow(new QLabel(this), m_resize); // texts: retranslateUi
    m_scale = new QLineEdit(this);
    m_scale->setObjectName(QStringLiteral("preprocessScale"));
    m_scale->setPlaceholderText(QStringLiteral("1/255"));
    form->addRow(new QLabel(this), m_scale);
    m_mean = new QLineEdit(this);
    m_mean->setObjectName(QStringLiteral("preprocessMean"));
    m_mean->setPlaceholderText(QStringLiteral("0"));
    form->addRow(new QLabel(this), m_mean);
    m_std = new QLineEdit(this);
    m_std->setObjectName(QStringLiteral("preprocessStd"));
    m_std->setPlaceholderText(QStringLiteral("1"));
    form->addRow(new QLabel(this), m_std);
    m_channelOrder = new QComboBox(this);
    m_channelOrder->addItem(QStringLiteral("RGB"), int(quant::ImagePreprocess::ChannelOrder::RGB));
    m_channelOrder->addItem(QStringLiteral("BGR"), int(quant::ImagePreprocess::ChannelOrder::BGR));
    form->addRow(new QLabel(this), m_channelOrder);
    m_layout = new QComboBox(this);
    m_layout->addItem(QString(), -1);
    m_layout->addItem(QStringLiteral("NCHW"), int(quant::ImagePreprocess::Layout::NCHW));
    m_layout->addItem(QStringLiteral("NHWC"), int(quant::ImagePreprocess::Layout::NHWC));
    form->addRow(new QLabel(this), m_layout);
    m_load = new QPushButton(this);
    connect(m_load, &QPushButton::clicked, this, &ImagePreprocessBox::browseSpec);
    form->addRow(QString(), m_load);
    retranslateUi();
}

void ImagePreprocessBox::retranslateUi() {
    setTitle(tr("Image preprocessing"));
    m_resize->setPlaceholderText(tr("from the input shape"));
    m_resize->setToolTip(tr("Resize every image to H x W (bilinear), e.g. 48x192"));
    m_scale->setToolTip(tr("Multiply the 0-255 pixels by this first"));
    m_mean->setToolTip(tr("Subtracted per channel after scaling: one value, or one per channel "
                          "(e.g. 0.485, 0.456, 0.406)"));
    m_std->setToolTip(tr("Divides per channel after the mean: one value, or one per channel "
                         "(e.g. 0.229, 0.224, 0.225)"));
    m_layout->setItemText(0, tr("From the input shape"));
    m_load->setText(tr("Load Spec..."));
    m_load->setToolTip(tr("Fill these fields from a preprocessing spec (JSON), as the CLI's "
                          "--preprocess reads it"));
    const std::pair<QWidget*, QString> labels[] = {
        {m_resize, tr("Resize (HxW):")}, {m_scale, tr("Scale:")},
        {m_mean, tr("Mean:")},           {m_std, tr("Std:")},
        {m_channelOrder, tr("Channel order:")}, {m_layout, tr("Layout:")},
    };
    for (const auto& [field, text] : labels)
        static_cast<QLabel*>(m_form->labelForField(field))->setText(text);
}

void ImagePreprocessBox::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QGroupBox::changeEvent(event);
}

std::optional<quant::ImagePreprocess> ImagePreprocessBox::spec(QString* error) const {
    auto failed = [error](const QString& message) {
        if (error)
            *error = message;
        return std::nullopt;
    };
    quant::ImagePreprocess spec;
    const QString resize = m_resize->text().trimmed();
    if (!resize.isEmpty()) {
        Shape hw;
        try {
            hw = parseShape(resize.toStdString());
        } catch (const Error&) {
        }
        if (hw.size() != 2 || hw[0] < 1 || hw[1] < 1)
            return failed(
                tr("Resize: '%1' is not a size; expected H x W, e.g. 48x192.").arg(resize));
        spec.height = hw[0];
        spec.width = hw[1];
    }
    const QString scale = m_scale->text().trimmed();
    if (!scale.isEmpty() && scale != QLatin1String("1/255")) {
        const auto value = readNumber(scale);
        if (!value || *value <= 0)
            return failed(tr("Scale: '%1' is not a positive number.").arg(scale));
        spec.scale = *value;
    }
    const QString mean = m_mean->text().trimmed();
    if (!mean.isEmpty()) {
        const auto values = readNumberList(mean);
        if (!values)
            return failed(tr("Mean: '%1' is not one number or three (one per channel, "
                             "separated by spaces or ';').")
                              .arg(mean));
        spec.mean = *values;
    }
    const QString std = m_std->text().trimmed();
    if (!std.isEmpty()) {
        const auto values = readNumberList(std);
        if (!values || std::any_of(values->begin(), values->end(), [](double v) { return v == 0; }))
            return failed(
                tr("Std: '%1' is not one non-zero number or three (one per channel, separated by "
                   "spaces or ';').")
                    .arg(std));
        spec.std = *values;
    }
    spec.channelOrder =
        static_cast<quant::ImagePreprocess::ChannelOrder>(m_channelOrder->currentData().toInt());
    if (const int layout = m_layout->currentData().toInt(); layout >= 0)
        spec.layout = static_cast<quant::ImagePreprocess::Layout>(layout);
    return spec;
}

void ImagePreprocessBox::setSpec(const quant::ImagePreprocess& spec) {
    m_resize->setText(spec.height && spec.width
                          ? QStringLiteral("%1x%2").arg(*spec.height).arg(*spec.width)
                          : QString());
    m_scale->setText(spec.scale == 1.0 / 255.0 ? QString()
                                               : QLocale::c().toString(spec.scale, 'g', 8));
    m_mean->setText(numberListText(spec.mean));
    m_std->setText(numberListText(spec.std));
    m_channelOrder->setCurrentIndex(m_channelOrder->findData(int(spec.channelOrder)));
    m_layout->setCurrentIndex(m_layout->findData(spec.layout ? int(*spec.layout) : -1));
}

bool ImagePreprocessBox::loadSpecFile(const QString& path, QString* error) {
    try {
        setSpec(quant::readPreprocessFile(path.toStdString()));
        return true;
    } catch (const Error& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
}

void ImagePreprocessBox::browseSpec() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Preprocessing Spec"), QString(),
                                                      tr("JSON files (*.json);;All files (*)"));
    QString error;
    if (!path.isEmpty() && !loadSpecFile(path, &error))
        emit loadFailed(error);
}

} // namespace lb::app
