// The GUI's backend choices come from the engine's backend registry: the Run panel's picker, its
// tooltips in the UI language, and the --backend startup option.
#include "app/backend_texts.h"
#include "app/input_shapes.h"
#include "app/run_panel.h"
#include "app/startup_options.h"
#include "backends/registry.h"

#include <QApplication>
#include <QComboBox>
#include <QEvent>
#include <QTranslator>
#include <catch2/catch.hpp>

using lb::app::BackendTexts;

namespace {

QComboBox* picker(lb::app::RunPanel& panel) {
    auto* combo = panel.findChild<QComboBox*>(QStringLiteral("runBackend"));
    REQUIRE(combo);
    return combo;
}

QString tip(QComboBox* combo, int index) {
    return combo->itemData(index, Qt::ToolTipRole).toString();
}

} // namespace

TEST_CASE("the Run panel offers auto and every backend of the registry, described", "[run]") {
    lb::app::InputShapes shapes;
    lb::app::RunPanel panel(&shapes);
    QComboBox* combo = picker(panel);
    const std::vector<std::string> targets = lb::backends::targetNames();
    REQUIRE(combo->count() == static_cast<int>(targets.size()));
    for (int i = 0; i < combo->count(); ++i) {
        CHECK(combo->itemData(i).toString().toStdString() == targets[i]);
        CHECK_FALSE(combo->itemText(i).isEmpty());
        CHECK_FALSE(tip(combo, i).isEmpty());
    }
    for (const lb::backends::BackendInfo& b : lb::backends::registry()) {
        const int index = combo->findData(QString::fromStdString(b.name));
        REQUIRE(index >= 0);
        CHECK(combo->itemText(index).toStdString() == b.title);
        CHECK(tip(combo, index).toStdString() == b.description);
        panel.setBackend(QString::fromStdString(b.name));
        CHECK(combo->toolTip() == tip(combo, index)); // the closed picker shows it too
    }
    CHECK(combo->itemText(0).toStdString() == "Automatic (oneDNN, XNNPACK, Reference)");
}

TEST_CASE("the backends' words are translated, and the picker follows the language", "[run]") {
    // A registry text missing from BackendTexts would show in English in every language.
    for (const lb::backends::BackendInfo& b : lb::backends::registry()) {
        CHECK(BackendTexts::isKnown(b.title));
        CHECK(BackendTexts::isKnown(b.description));
    }
    lb::app::InputShapes shapes;
    lb::app::RunPanel panel(&shapes);
    QComboBox* combo = picker(panel);
    const int reference = combo->findData(QString::fromStdString(lb::backends::groundTruth().name));
    QTranslator spanish;
    REQUIRE(spanish.load(QStringLiteral(":/layerbench/translations/layerbench_es.qm")));
    QApplication::installTranslator(&spanish);
    QEvent change(QEvent::LanguageChange);
    QApplication::sendEvent(&panel, &change);
    const QString text = combo->itemText(reference), tooltip = tip(combo, reference),
                  automatic = combo->itemText(0);
    for (const lb::backends::BackendInfo& b : lb::backends::registry()) {
        CHECK_FALSE(spanish.translate("BackendTexts", b.title.c_str()).isEmpty());
        CHECK_FALSE(spanish.translate("BackendTexts", b.description.c_str()).isEmpty());
    }
    QApplication::removeTranslator(&spanish);
    CHECK(text.toStdString() == "Referencia");
    CHECK(tooltip.toStdString() == "Kernels sencillos y evidentemente correctos para cada "
                                   "operación admitida, int8 incluido: la verdad de referencia, "
                                   "lenta");
    CHECK(automatic.toStdString() == "Automático (oneDNN, XNNPACK, Referencia)");
}

TEST_CASE("startup option --backend takes the registry's targets, and lists them when wrong",
          "[startup]") {
    const auto parse = [](const QString& backend) {
        return lb::app::parseStartupOptions({QStringLiteral("layerbench"), QStringLiteral("m.onnx"),
                                             QStringLiteral("--run"), QStringLiteral("--backend"),
                                             backend});
    };
    for (const std::string& target : lb::backends::targetNames()) {
        const auto options = parse(QString::fromStdString(target));
        CHECK(options.error.isEmpty());
        CHECK(options.backend.toStdString() == target);
    }
    const auto wrong = parse(QStringLiteral("gpu"));
    CHECK(wrong.error.toStdString() ==
          "Unknown backend 'gpu': expected one of " + lb::backends::targetList() + ".");
}
