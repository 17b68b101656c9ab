#include "app/test_hooks.h"

#include "app/main_window.h"
#include "app/quant_autosave.h"
#include "app/quant_controller.h"
#include "quant/encodings_json.h"
#include "widgets/encodings_table_model.h"
#include "widgets/quant_view.h"
#include "widgets/ui_format.h"

#include <QSaveFile>
#include <QTimer>
#include <cstdio>

namespace lb::app {

TestHooks::TestHooks(MainWindow* window)
    : QObject(window), m_window(window), m_timer(new QTimer(this)) {
    if (!qEnvironmentVariableIsSet("LB_TEST_EDITS") && !qEnvironmentVariableIsSet("LB_TEST_DUMP"))
        return; // the usual case: no hook at all
    const QStringList edits = qEnvironmentVariable("LB_TEST_EDITS").split(QLatin1Char(':'));
    if (edits.size() == 2) {
        m_editsLeft = edits[0].toInt();
        m_timer->setInterval(edits[1].toInt());
    }
    connect(m_timer, &QTimer::timeout, this, &TestHooks::editOnce);
    QuantController* quant = window->quantization();
    if (qEnvironmentVariableIsSet("LB_TEST_AUTOSAVE_MS"))
        quant->autosave()->setDelayMs(qEnvironmentVariableIntValue("LB_TEST_AUTOSAVE_MS"));
    m_dumpPath = qEnvironmentVariable("LB_TEST_DUMP");
    m_recoverAfterLoad = qEnvironmentVariableIntValue("LB_TEST_RECOVER_AFTER_LOAD") == 1;
    connect(quant, &QuantController::quantizeShown, this, &TestHooks::startEdits);
    connect(quant, &QuantController::encodingsRecovered, this, [this] {
        dumpRecovered();
        startEdits();
    });
    // The script knows an autosave is on disk (and worth killing over) from this line.
    connect(quant->autosave(), &QuantAutosave::written, this,
            [] { std::fprintf(stderr, "lb-test: autosaved\n"); });
}

void TestHooks::startEdits() {
    if (m_editsLeft > 0 && !m_timer->isActive())
        m_timer->start();
}

// Typed into the Max cell of a per-tensor row, as a user would; the rows taken in turn.
void TestHooks::editOnce() {
    widgets::EncodingsTableModel* model = m_window->quantView()->encodingsModel();
    for (int tries = 0; tries < model->rowCount(); ++tries) {
        const int row = (m_step++ * 7) % model->rowCount();
        const QModelIndex max = model->index(row, widgets::EncodingsTableModel::MaxColumn);
        if (!(model->flags(max) & Qt::ItemIsEditable))
            continue;
        const double value =
            widgets::UiFormat::parseDouble(model->data(max).toString()).value_or(0);
        if (model->setData(max, QString::number(value * 1.03 + 0.01, 'g', 8)))
            break;
    }
    if (--m_editsLeft <= 0)
        m_timer->stop();
}

void TestHooks::dumpRecovered() {
    if (m_dumpPath.isEmpty())
        return;
    QSaveFile file(m_dumpPath);
    const std::string text = quant::writeEncodingsJson(
        m_window->quantView()->encodingsModel()->encodings(), quant::EncodingsFormat::V100);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(text.data(), static_cast<qint64>(text.size())) < 0 || !file.commit())
        std::fprintf(stderr, "lb-test: cannot write %s\n", qUtf8Printable(m_dumpPath));
}

} // namespace lb::app
