#include "app/quant_panel.h"

#include "widgets/ui_format.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace lb::app {

namespace {
QComboBox* bitsCombo(QWidget* parent, const QList<int>& bits) {
    auto* combo = new QComboBox(parent);
    for (int b : bits)
        combo->addItem(widgets::UiFormat::integer(b), b);
    return combo;
}
} // namespace

QuantPanel::QuantPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    auto* form = m_form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_data = new QComboBox(this);
    for (auto data : {QuantizeRequest::Data::Random, QuantizeRequest::Data::InputList,
                      QuantizeRequest::Data::Folder})
        m_data->addItem(QString(), int(data));
    form->addRow(new QLabel(this), m_data); // label texts: retranslateUi
    m_pathRow = new QWidget(this);
    auto* pathRow = new QHBoxLayout(m_pathRow);
    pathRow->setContentsMargins(0, 0, 0, 0);
    m_path = new QLineEdit(m_pathRow);
    m_browse = new QPushButton(m_pathRow);
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(m_browse);
    form->addRow(new QLabel(this), m_pathRow);
    m_samples = new QSpinBox(this);
    m_samples->setRange(1, 1000);
    m_samples->setValue(8);
    form->addRow(new QLabel(this), m_samples);
    m_calibrator = new QComboBox(this);
    for (const char* method : {"minmax", "percentile", "mse", "entropy"})
        m_calibrator->addItem(QString(), QString::fromLatin1(method));
    form->addRow(new QLabel(this), m_calibrator);
    m_percentile = new QDoubleSpinBox(this);
    m_percentile->setRange(90.0, 100.0);
    m_percentile->setDecimals(3);
    m_percentile->setValue(99.99);
    m_percentile->setSuffix(QStringLiteral(" %"));
    form->addRow(new QLabel(this), m_percentile);
    m_perChannel = new QCheckBox(this);
    form->addRow(QString(), m_perChannel);
    m_actBits = bitsCombo(this, {8, 16, 4});
    form->addRow(new QLabel(this), m_actBits);
    m_weightBits = bitsCombo(this, {8, 4, 16});
    form->addRow(new QLabel(this), m_weightBits);
    m_isolated = new QSpinBox(this);
    m_isolated->setRange(-1, 100000);
    m_isolated->setValue(-1);
    form->addRow(new QLabel(this), m_isolated);
    layout->addLayout(form);

    m_warning = new QLabel(this);
    m_warning->setWordWrap(true);
    m_warning->setStyleSheet(QStringLiteral("color: #b05000;"));
    layout->addWidget(m_warning);
    m_quantize = new QPushButton(this);
    layout->addWidget(m_quantize);
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b03020;"));
    m_error->hide();
    layout->addWidget(m_error);
    layout->addStretch(1);

    connect(m_data, &QComboBox::currentIndexChanged, this, &QuantPanel::updateDataRow);
    connect(m_calibrator, &QComboBox::currentIndexChanged, this, [this] {
        m_percentile->setEnabled(m_calibrator->currentData().toString() ==
                                 QLatin1String("percentile"));
    });
    connect(m_browse, &QPushButton::clicked, this, &QuantPanel::browse);
    connect(m_quantize, &QPushButton::clicked, this, [this] {
        QString error;
        if (const auto r = request(&error)) {
            showError({});
            emit quantizeRequested(*r);
        } else {
            showError(error);
        }
    });
    m_percentile->setEnabled(false);
    retranslateUi();
    updateDataRow();
    setModelPath({});
}

void QuantPanel::retranslateUi() {
    m_data->setItemText(0, tr("Random data"));
    m_data->setItemText(1, tr("Input list (input_list.txt)"));
    m_data->setItemText(2, tr("Folder of .npy files"));
    m_browse->setText(tr("Browse..."));
    m_calibrator->setItemText(0, tr("MinMax"));
    m_calibrator->setItemText(1, tr("Percentile"));
    m_calibrator->setItemText(2, tr("MSE-optimal"));
    m_calibrator->setItemText(3, tr("Entropy (KL)"));
    m_perChannel->setText(tr("Per-channel weights"));
    m_isolated->setSpecialValueText(tr("all"));
    m_isolated->setToolTip(tr("Sensitivity runs (one per tensor, the lowest SQNR first)"));
    const std::pair<QWidget*, QString> labels[] = {
        {m_data, tr("Calibration data:")},  {m_pathRow, tr("Path:")},
        {m_samples, tr("Random samples:")}, {m_calibrator, tr("Calibrator:")},
        {m_percentile, tr("Percentile:")},  {m_actBits, tr("Activation bits:")},
        {m_weightBits, tr("Weight bits:")}, {m_isolated, tr("Isolated runs:")},
    };
    for (const auto& [field, text] : labels)
        static_cast<QLabel*>(m_form->labelForField(field))->setText(text);
    m_warning->setText(tr("Random data is only for trying the tools out: ranges calibrated on "
                          "uniform noise say little about real inputs."));
    m_quantize->setText(tr("&Quantize"));
}

void QuantPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void QuantPanel::setModelPath(const QString& path) {
    m_modelPath = path;
    m_quantize->setEnabled(!path.isEmpty());
}

void QuantPanel::setRunning(bool running) {
    m_quantize->setEnabled(!running && !m_modelPath.isEmpty());
}

void QuantPanel::showError(const QString& message) {
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

bool QuantPanel::randomDataWarningVisible() const {
    return !m_warning->isHidden();
}

void QuantPanel::updateDataRow() {
    const bool random = m_data->currentData().toInt() == int(QuantizeRequest::Data::Random);
    m_path->setEnabled(!random);
    m_browse->setEnabled(!random);
    m_samples->setEnabled(random);
    m_warning->setVisible(random);
}

void QuantPanel::browse() {
    const bool folder = m_data->currentData().toInt() == int(QuantizeRequest::Data::Folder);
    const QString start = QFileInfo(m_modelPath).absolutePath();
    const QString path =
        folder ? QFileDialog::getExistingDirectory(this, tr("Calibration Folder"), start)
               : QFileDialog::getOpenFileName(this, tr("Calibration Input List"), start,
                                              tr("Input lists (*.txt);;All files (*)"));
    if (!path.isEmpty())
        m_path->setText(path);
}

std::optional<QuantizeRequest> QuantPanel::request(QString* error) const {
    auto failed = [error](const QString& message) {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (m_modelPath.isEmpty())
        return failed(tr("Open a model first."));
    QuantizeRequest r;
    r.modelPath = m_modelPath;
    r.data = static_cast<QuantizeRequest::Data>(m_data->currentData().toInt());
    r.randomSamples = m_samples->value();
    if (r.data != QuantizeRequest::Data::Random) {
        r.dataPath = m_path->text().trimmed();
        const QFileInfo info(r.dataPath);
        if (r.dataPath.isEmpty())
            return failed(tr("Choose the calibration data."));
        if (r.data == QuantizeRequest::Data::Folder ? !info.isDir() : !info.isFile())
            return failed(tr("%1 does not exist or is not a %2.")
                              .arg(r.dataPath, r.data == QuantizeRequest::Data::Folder
                                                   ? tr("folder")
                                                   : tr("file")));
    }
    r.config.activations.method =
        quant::parseCalibrationMethod(m_calibrator->currentData().toString().toStdString());
    r.config.activations.percentile = m_percentile->value();
    r.config.activations.bitwidth = m_actBits->currentData().toInt();
    r.config.weightBitwidth = m_weightBits->currentData().toInt();
    r.config.perChannel = m_perChannel->isChecked();
    r.maxIsolated = m_isolated->value();
    return r;
}

} // namespace lb::app
