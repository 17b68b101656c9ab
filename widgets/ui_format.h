#pragma once

#include <QCoreApplication>
#include <QLocale>
#include <QString>
#include <cstdint>
#include <optional>

class QCustomPlot;

namespace lb::widgets {

// Numbers as the UI language writes them. Every number the GUI shows goes through here, so one
// locale decides the decimal separator everywhere: "20,0 dB" in a Spanish UI, "20.0 dB" in an
// English one (QString::number and QString::arg(double) always write '.', which mixed both).
// The locale is QLocale(), which the language setting sets (app/language.cpp).
class UiFormat {
    Q_DECLARE_TR_FUNCTIONS(UiFormat)

public:
    static QLocale locale();
    // Fixed-point with `decimals` digits after the separator: "0,85".
    static QString fixed(double value, int decimals);
    // Up to `digits` significant digits, exponent when shorter: "0,0042613", "1,5e-07".
    static QString significant(double value, int digits);
    // Whole numbers keep the locale's digit grouping ("534.660" / "534,660").
    static QString integer(int64_t value);
    // A signal-to-noise ratio in dB with two decimals; infinite (identical tensors) as ∞.
    static QString decibels(double db);
    // A fraction as a percentage number, without the % sign (the sentence places it).
    static QString percent(double fraction, int decimals);
    // "133.7 k", "19.25 M", "1.20 G" for parameter and MAC counts.
    static QString compactCount(int64_t value);

    // What a user typed: the locale's form first ("0,5" in Spanish), then the C form ("0.5", as
    // copied from a JSON file or a terminal). Group separators are refused, so "1.234" in a
    // Spanish UI is 1.234 and never 1234.
    static std::optional<double> parseDouble(const QString& text);

    // Chart tick labels in the UI language. QCustomPlot fixes its locale when it is made, so a
    // chart made before a language switch keeps the old separator until this runs again.
    static void applyLocale(QCustomPlot* plot);
};

} // namespace lb::widgets
