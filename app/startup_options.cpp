#include "app/startup_options.h"

#include "backends/registry.h"
#include "core/error.h"
#include "onnx/importer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <algorithm>

namespace lb::app {

StartupOptions parseStartupOptions(const QStringList& arguments) {
    StartupOptions options;
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "lb::app::StartupOptions", "LayerBench: a workbench for shipping neural networks to edge "
                                   "devices."));
    const QCommandLineOption help(
        {QStringLiteral("h"), QStringLiteral("help")},
        QCoreApplication::translate("lb::app::StartupOptions", "Show this help and exit."));
    const QCommandLineOption version(
        {QStringLiteral("v"), QStringLiteral("version")},
        QCoreApplication::translate("lb::app::StartupOptions", "Show the version and exit."));
    const QCommandLineOption shape(
        QStringLiteral("shape"),
        QCoreApplication::translate("lb::app::StartupOptions",
                                    "Fix an input's shape, e.g. x=1x3x640x640 (repeatable)."),
        QStringLiteral("NAME=DIMS"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QCoreApplication::translate("lb::app::StartupOptions",
                                    "Open MODEL, save the main window to FILE.png and exit."),
        QStringLiteral("FILE.png"));
    const QCommandLineOption lang(
        QStringLiteral("lang"),
        QCoreApplication::translate("lb::app::StartupOptions",
                                    "User interface language for this run: en or es."),
        QStringLiteral("es|en"));
    const QCommandLineOption run(
        QStringLiteral("run"),
        QCoreApplication::translate("lb::app::StartupOptions",
                                    "Profile MODEL once after opening it; with --screenshot the "
                                    "image shows the profile."));
    const QString targets = QString::fromStdString(backends::targetList());
    const QCommandLineOption backend(
        QStringLiteral("backend"),
        QCoreApplication::translate("lb::app::StartupOptions", "Backend for --run: one of %1.")
            .arg(targets),
        QStringLiteral("B"));
    const QCommandLineOption threads(
        QStringLiteral("threads"),
        QCoreApplication::translate("lb::app::StartupOptions", "Threads for --run."),
        QStringLiteral("N"));
    const QCommandLineOption quantize(
        QStringLiteral("quantize"),
        QCoreApplication::translate("lb::app::StartupOptions",
                                    "Quantize MODEL once after opening it (random calibration "
                                    "data); with --screenshot the image shows the quantization "
                                    "view."));
    const QCommandLineOption recover(
        QStringLiteral("recover"),
        QCoreApplication::translate("lb::app::StartupOptions",
                                    "Answer the question about unsaved encoding edits a crashed "
                                    "session left behind: yes recovers them, no discards them."),
        QStringLiteral("yes|no"));
    parser.addOptions(
        {help, version, shape, run, quantize, backend, threads, recover, screenshot, lang});
    parser.addPositionalArgument(
        QStringLiteral("MODEL"),
        QCoreApplication::translate("lb::app::StartupOptions", "ONNX model to open."),
        QStringLiteral("[MODEL]"));
    options.helpText = parser.helpText();

    if (!parser.parse(arguments)) {
        options.error = parser.errorText();
        return options;
    }
    options.showHelp = parser.isSet(help);
    options.showVersion = parser.isSet(version);
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        options.error = QCoreApplication::translate("lb::app::StartupOptions",
                                                    "Expected at most one model, got %1.")
                            .arg(positional.size());
        return options;
    }
    if (!positional.isEmpty())
        options.model = positional.front();
    for (const QString& value : parser.values(shape)) {
        try {
            options.inputShapes.insert(onnx::parseInputShapeArg(value.toStdString()));
        } catch (const Error& e) {
            options.error = QString::fromStdString(e.what());
            return options;
        }
    }
    options.run = parser.isSet(run);
    options.backend = parser.value(backend);
    const std::vector<std::string> names = backends::targetNames();
    if (!options.backend.isEmpty() &&
        std::find(names.begin(), names.end(), options.backend.toStdString()) == names.end()) {
        options.error = QCoreApplication::translate("lb::app::StartupOptions",
                                                    "Unknown backend '%1': expected one of %2.")
                            .arg(options.backend, targets);
        return options;
    }
    if (parser.isSet(threads)) {
        bool ok = false;
        options.threads = parser.value(threads).toInt(&ok);
        if (!ok || options.threads < 1) {
            options.error = QCoreApplication::translate("lb::app::StartupOptions",
                                                        "--threads expects a positive number, "
                                                        "got '%1'.")
                                .arg(parser.value(threads));
            return options;
        }
    }
    options.quantize = parser.isSet(quantize);
    if (options.quantize && options.model.isEmpty()) {
        options.error = QCoreApplication::translate("lb::app::StartupOptions",
                                                    "--quantize needs a MODEL to open.");
        return options;
    }
    if (options.run && options.model.isEmpty()) {
        options.error =
            QCoreApplication::translate("lb::app::StartupOptions", "--run needs a MODEL to open.");
        return options;
    }
    if (parser.isSet(recover)) {
        const QString answer = parser.value(recover);
        if (answer != QLatin1String("yes") && answer != QLatin1String("no")) {
            options.error = QCoreApplication::translate("lb::app::StartupOptions",
                                                        "--recover expects yes or no, got '%1'.")
                                .arg(answer);
            return options;
        }
        options.recover = answer == QLatin1String("yes");
    }
    options.screenshot = parser.value(screenshot);
    if (!options.screenshot.isEmpty() && options.model.isEmpty()) {
        options.error = QCoreApplication::translate("lb::app::StartupOptions",
                                                    "--screenshot needs a MODEL to open.");
        return options;
    }
    options.language = parser.value(lang);
    if (!options.language.isEmpty() && options.language != QLatin1String("en") &&
        options.language != QLatin1String("es")) {
        options.error = QCoreApplication::translate("lb::app::StartupOptions",
                                                    "Unknown language '%1': expected en or es.")
                            .arg(options.language);
    }
    return options;
}

} // namespace lb::app
