// The GUI's backend choices come from the engine's backend registry: the Run panel's picker, its
// tooltips in the UI language, and the --backend startup option.
#include "app/backend_texts.h"
#include "app/input_shapes.h"
#include "app/run_panel.h"
#include "app/startup_options.h"
#include "backends/registry.h"
#include "run/targets.h"

#include <QApplication>
#include <QComboBox>
#include <QEvent>
#include <QTranslator>
#include <algorithm>
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
    // auto and the backends, then the named targets that need no encodings and are not a
    // backend's name too (the Compare view runs npu-int8 with the Encodings table's encodings).
    std::vector<std::string> targets = lb::backends::targetNames();
    for (const lb::run::TargetInfo& t : lb::run::namedTargets())
        if (lb::run::isAvailable(t) && !t.needsEncodings && !lb::backends::findBackend(t.name))
            targets.push_back(t.name);
    CHECK(std::find(targets.begin(), targets.end(), "gpu-fp16") != targets.end());
    CHECK(std::find(targets.begin(), targets.end(), "npu-int8") == targets.end());
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
    for (const lb::run::TargetInfo& t : lb::run::namedTargets()) {
        const int index = combo->findData(QString::fromStdString(t.name));
        if (index < 0 || lb::backends::findBackend(t.name))
            continue;
        CHECK(combo->itemText(index).toStdString() == t.title);
        CHECK(tip(combo, index).toStdString() == t.description);
    }
}

TEST_CASE("a named target picked in the Run panel is the spec's target", "[run]") {
    lb::app::InputShapes shapes;
    lb::app::RunPanel panel(&shapes);
    panel.setBackend(QStringLiteral("gpu-fp16"));
    CHECK(picker(panel)->currentData().toString() == QStringLiteral("gpu-fp16"));
    CHECK(picker(panel)->currentText() == QStringLiteral("GPU fp16"));
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
