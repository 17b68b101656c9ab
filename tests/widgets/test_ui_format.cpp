// Numbers in the UI language, and widgets that follow a language switch at run time.
#include "quant/encoding.h"
#include "widgets/encodings_table_model.h"
#include "widgets/histogram_plot.h"
#include "widgets/profile_table_model.h"
#include "widgets/profile_view.h"
#include "widgets/quant_sqnr_chart.h"
#include "widgets/quant_view.h"
#include "widgets/ui_format.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QLocale>
#include <QTabWidget>
#include <QTableView>
#include <QTranslator>
#include <catch2/catch.hpp>
#include <cmath>
#include <memory>
#include <optional>

using lb::widgets::UiFormat;

namespace {

// Sets the UI locale for one test and puts the previous one back, as the language setting does:
// the default QLocale, then LocaleChange so widgets made earlier take it.
class LocaleScope {
public:
    explicit LocaleScope(const QString& name) : m_previous(QLocale()) { set(QLocale(name)); }
    ~LocaleScope() { set(m_previous); }

private:
    static void set(const QLocale& locale) {
        QLocale::setDefault(locale);
        QEvent change(QEvent::LocaleChange);
        QCoreApplication::sendEvent(QCoreApplication::instance(), &change);
    }
    QLocale m_previous;
};

// The Spanish translation as the build compiled it (translations/layerbench_es.ts).
class SpanishScope {
public:
    SpanishScope() : m_locale(std::in_place, QStringLiteral("es")) {
        REQUIRE(m_translator.load(QStringLiteral(LB_QM_DIR "/layerbench_es.qm")));
        QCoreApplication::installTranslator(&m_translator);
        QCoreApplication::processEvents(); // the posted LanguageChange reaches the widgets
    }
    ~SpanishScope() {
        m_locale.reset(); // before the LanguageChange, as installTranslators orders them
        QCoreApplication::removeTranslator(&m_translator);
        QCoreApplication::processEvents();
    }

private:
    std::optional<LocaleScope> m_locale;
    QTranslator m_translator;
};

std::shared_ptr<lb::report::QuantReport> smallReport() {
    auto report = std::make_shared<lb::report::QuantReport>();
    for (double db : {12.5, 35.0}) {
        lb::report::TensorQuantStats t;
        t.tensor = "t" + std::to_string(report->tensors.size());
        lb::report::ErrorStats s;
        s.sqnrDb = db;
        t.cumulative = s;
        report->tensors.push_back(t);
    }
    report->outputError.sqnrDb = 21.26;
    report->top1Agreement = 0.875;
    return report;
}

} // namespace

TEST_CASE("UiFormat writes one decimal separator per UI language", "[format]") {
    {
        LocaleScope english(QStringLiteral("en"));
        CHECK(UiFormat::fixed(20.0, 1) == QStringLiteral("20.0"));
        CHECK(UiFormat::decibels(13.4912) == QStringLiteral("13.49"));
        CHECK(UiFormat::percent(0.875, 1) == QStringLiteral("87.5"));
        CHECK(UiFormat::significant(0.0042613, 5) == QStringLiteral("0.0042613"));
        CHECK(UiFormat::integer(534660) == QStringLiteral("534,660"));
        CHECK(UiFormat::compactCount(19'250'000) == QStringLiteral("19.25 M"));
    }
    {
        LocaleScope spanish(QStringLiteral("es"));
        CHECK(UiFormat::fixed(20.0, 1) == QStringLiteral("20,0"));
        CHECK(UiFormat::decibels(13.4912) == QStringLiteral("13,49"));
        CHECK(UiFormat::percent(0.875, 1) == QStringLiteral("87,5"));
        CHECK(UiFormat::significant(0.0042613, 5) == QStringLiteral("0,0042613"));
        CHECK(UiFormat::integer(534660) == QStringLiteral("534.660"));
        CHECK(UiFormat::compactCount(19'250'000) == QStringLiteral("19,25 M"));
    }
    CHECK(UiFormat::decibels(INFINITY) == QStringLiteral("\u221e"));
}

TEST_CASE("UiFormat reads numbers in the locale's form and the C form, never a grouped one",
          "[format]") {
    {
        LocaleScope spanish(QStringLiteral("es"));
        CHECK(UiFormat::parseDouble(QStringLiteral("0,5")) == 0.5);
        CHECK(UiFormat::parseDouble(QStringLiteral(" -1,25e-3 ")) == Approx(-1.25e-3));
        CHECK(UiFormat::parseDouble(QStringLiteral("0.5")) == 0.5); // pasted from a JSON file
        CHECK(UiFormat::parseDouble(QStringLiteral("1.234")) == Approx(1.234)); // not 1234
        CHECK_FALSE(UiFormat::parseDouble(QStringLiteral("abc")));
    }
    {
        LocaleScope english(QStringLiteral("en"));
        CHECK(UiFormat::parseDouble(QStringLiteral("0.5")) == 0.5);
        CHECK_FALSE(UiFormat::parseDouble(QStringLiteral("1,5"))); // neither 15 nor 1.5
    }
}

TEST_CASE("the encodings table shows and takes numbers in the UI language", "[format][quant]") {
    LocaleScope spanish(QStringLiteral("es"));
    lb::widgets::EncodingsTableModel model;
    lb::quant::EncodingSet set;
    set.activations["relu"] = lb::quant::perTensorEncoding(0.0, 6.0, 8, false);
    model.setEncodings(set);
    const QModelIndex max =
        model.indexOf(QStringLiteral("relu"), lb::widgets::EncodingsTableModel::MaxColumn);
    const QModelIndex scale =
        model.indexOf(QStringLiteral("relu"), lb::widgets::EncodingsTableModel::ScaleColumn);
    CHECK(scale.data().toString() == QStringLiteral("0,023529412")); // 6 / 255
    // What the table shows can be typed back: the edit is applied, not refused.
    REQUIRE(model.setData(max, QStringLiteral("3,5")));
    CHECK(model.encodingOf(QStringLiteral("relu"))->channels.front().max == Approx(3.5));
    CHECK(max.data().toString().startsWith(QStringLiteral("3,5")));
}

TEST_CASE("charts and spin boxes of the quantization view agree on the separator",
          "[format][quant]") {
    LocaleScope spanish(QStringLiteral("es"));
    lb::widgets::QuantView view;
    view.resize(900, 400);
    view.setResult(smallReport(), {}, nullptr, nullptr, false);
    auto* spin = view.findChild<QDoubleSpinBox*>();
    REQUIRE(spin);
    CHECK(spin->text().startsWith(QStringLiteral("20,0")));
    // The line's own label once read "threshold 20.0 dB" beside the spin box's "20,0 dB".
    view.chart()->setThreshold(20.5);
    const QString label =
        view.chart()->plotLayout()->elementCount() > 0
            ? qobject_cast<QCPTextElement*>(view.chart()->plotLayout()->element(0, 0))->text()
            : QString();
    CHECK(label.contains(QStringLiteral("20,5")));
    CHECK_FALSE(label.contains(QStringLiteral("20.5")));
    CHECK(view.headlineText().contains(QStringLiteral("21,26")));
    CHECK(view.headlineText().contains(QStringLiteral("87,5")));
    // Tick labels too: QCustomPlot fixes its locale when made.
    CHECK(view.chart()->locale().decimalPoint() == QStringLiteral(","));
}

TEST_CASE("the quantization view retranslates at run time", "[language][quant]") {
    lb::widgets::QuantView view;
    view.setResult(smallReport(), {}, nullptr, nullptr, false);
    CHECK(view.tabs()->tabText(0) == QStringLiteral("Per-layer error"));
    CHECK(view.chart()->yAxis->label() == QStringLiteral("SQNR (dB)"));
    {
        SpanishScope spanish;
        CHECK(view.tabs()->tabText(0) == QStringLiteral("Error por capa"));
        CHECK(view.chart()->xAxis->label().startsWith(QStringLiteral("tensor, en orden")));
        CHECK(view.histogram()->yAxis->label() == QStringLiteral("cantidad"));
        CHECK(view.headlineText().contains(QStringLiteral("SQNR de salida 21,26 dB")));
    }
    CHECK(view.tabs()->tabText(0) == QStringLiteral("Per-layer error"));
    CHECK(view.histogram()->yAxis->label() == QStringLiteral("count"));
    CHECK(view.headlineText().contains(QStringLiteral("Output SQNR 21.26 dB")));
}

TEST_CASE("the profile view's fallback texts retranslate at run time", "[language][profile]") {
    auto report = std::make_shared<lb::report::ProfileReport>();
    lb::report::NodeProfile reshape;
    reshape.name = "reshape";
    reshape.op = "Reshape";
    reshape.backend = "reference";
    reshape.precision = "fp32";
    reshape.fallback = {"unsupported-op", "onednn: op Reshape is not in the kernel table"};
    report->nodes = {reshape, reshape};
    report->nodes[1].name = "reshape2";
    lb::widgets::ProfileView view;
    view.setReport(report, nullptr);
    using Model = lb::widgets::ProfileTableModel;
    const QAbstractItemModel& table = *view.table()->model();
    auto tip = [&] {
        return table.index(0, Model::BackendColumn).data(Qt::ToolTipRole).toString();
    };
    CHECK(view.fallbacksOnly()->text() == QStringLiteral("Fallbacks only (2)"));
    {
        SpanishScope spanish;
        CHECK(view.fallbacksOnly()->text() == QStringLiteral("Solo nodos con alternativa (2)"));
        CHECK(
            view.headlineText().contains(QStringLiteral("2 nodos recurrieron a una alternativa")));
        CHECK(table.headerData(Model::PrecisionColumn, Qt::Horizontal).toString() ==
              QStringLiteral("Precisión"));
        CHECK(tip().contains(QStringLiteral("<b>Recurrió a reference</b>")));
        CHECK(tip().contains(QStringLiteral("Código: <code>unsupported-op</code>")));
        // The code and the engine's text stay as they are.
        CHECK(table.index(0, Model::BackendColumn).data().toString() ==
              QStringLiteral("reference (unsupported-op)"));
        CHECK(tip().contains(QStringLiteral("onednn: op Reshape is not in the kernel table")));
    }
    CHECK(view.fallbacksOnly()->text() == QStringLiteral("Fallbacks only (2)"));
    CHECK(view.headlineText().contains(QStringLiteral("2 nodes fell back")));
    CHECK(tip().contains(QStringLiteral("<b>Fell back to reference</b>")));
    // One node: its own text in both languages.
    report->nodes.pop_back();
    view.setReport(report, nullptr);
    CHECK(view.headlineText().contains(QStringLiteral("1 node fell back")));
    SpanishScope spanish;
    CHECK(view.headlineText().contains(QStringLiteral("1 nodo recurrió a una alternativa")));
    CHECK(view.fallbacksOnly()->text() == QStringLiteral("Solo nodos con alternativa (1)"));
}
