// layerbench: the GUI. layerbench [MODEL] [--shape NAME=DIMS]... [--quantize] [--run [--backend B]
// [--threads N]] [--recover yes|no] [--screenshot FILE.png] [--lang es|en]. LB_TIMINGS=1 prints
// "timing <phase> <ms>" lines to stderr.
#include "app/app_settings.h"
#include "app/document_controller.h"
#include "app/language.h"
#include "app/main_window.h"
#include "app/quant_controller.h"
#include "app/run_controller.h"
#include "app/run_panel.h"
#include "app/startup_options.h"
#include "app/test_hooks.h"

#include <QApplication>
#include <QCoreApplication>
#include <QPixmap>
#include <QTimer>
#include <cstdio>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

namespace {

constexpr int kScreenshotTimeoutMs = 180'000;

void printTimings(const lb::app::ModelDocument& document, double firstPaintMs, double totalMs) {
    std::fprintf(stderr, "timing import %.1f\n", document.timings.importMs);
    std::fprintf(stderr, "timing hash %.1f\n", document.timings.hashMs);
    std::fprintf(stderr, "timing summary %.1f\n", document.timings.summaryMs);
    std::fprintf(stderr, "timing layout %.1f\n", document.timings.sceneMs);
    std::fprintf(stderr, "timing first_paint %.1f\n", firstPaintMs);
    std::fprintf(stderr, "timing total %.1f\n", totalMs);
}

void fail(const QString& message) {
    std::fprintf(stderr, "layerbench: %s\n", qUtf8Printable(message));
}

// --help and --version need no window: answered from a QCoreApplication, so they work without a
// display (a server, a terminal over ssh) where QApplication would abort on the missing platform.
bool wantsTextOnly(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view a(argv[i]);
        if (a == "-h" || a == "--help" || a == "-v" || a == "--version")
            return true;
    }
    return false;
}

// Whether QApplication can find a screen: a platform chosen by hand (offscreen, vnc, ...) or an X
// or Wayland display. Without one Qt aborts with half a page about plugins.
bool hasDisplay() {
    return !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") ||
           !qEnvironmentVariableIsEmpty("DISPLAY") ||
           !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

// Parses the command line (translated once the language is known) and answers what needs no
// window: an error (exit 2), --version and --help (exit 0). nullopt: go on and open the window.
std::optional<int> answerFromCommandLine(QCoreApplication& app, lb::app::StartupOptions& options) {
    options = lb::app::parseStartupOptions(app.arguments());
    if (!options.error.isEmpty()) {
        fail(options.error);
        return 2;
    }
    if (options.showVersion) {
        std::printf("layerbench %s\n", LB_VERSION);
        return 0;
    }
    const QString language =
        options.language.isEmpty() ? lb::app::AppSettings().language() : options.language;
    lb::app::installTranslators(app, language);
    options = lb::app::parseStartupOptions(app.arguments()); // again, for translated help
    if (options.showHelp) {
        std::printf("%s", qUtf8Printable(options.helpText));
        return 0;
    }
    return std::nullopt;
}

} // namespace

int main(int argc, char** argv) {
    lb::app::StartupOptions options;
    if (wantsTextOnly(argc, argv) || !hasDisplay()) {
        QCoreApplication app(argc, argv);
        QCoreApplication::setOrganizationName(QStringLiteral("LayerBench"));
        QCoreApplication::setApplicationName(QStringLiteral("layerbench"));
        if (const auto code = answerFromCommandLine(app, options))
            return *code; // an argument error, --help or --version
        fail(QCoreApplication::translate(
            "main", "no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set); "
                    "run it in a desktop session or under xvfb-run, or use layerbench-cli"));
        return 2;
    }
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("LayerBench"));
    QApplication::setApplicationName(QStringLiteral("layerbench"));
    QApplication::setApplicationDisplayName(QStringLiteral("LayerBench"));
    QApplication::setApplicationVersion(QStringLiteral(LB_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("layerbench"));

    if (const auto code = answerFromCommandLine(app, options))
        return *code;

    const bool screenshot = !options.screenshot.isEmpty();
    lb::app::MainWindow window(/*restoreSession=*/!screenshot);
    lb::app::DocumentController* documents = window.documents();
    lb::app::RunController* runs = window.runs();
    lb::app::QuantController* quant = window.quantization();
    if (qEnvironmentVariableIntValue("LB_TIMINGS") == 1)
        QObject::connect(documents, &lb::app::DocumentController::documentShown, &printTimings);

    if (!options.backend.isEmpty())
        window.runPanel()->setBackend(options.backend);
    if (options.threads > 0)
        window.runPanel()->setThreads(options.threads);
    if (options.run) {
        // Once, after the first document is on screen.
        auto started = std::make_shared<bool>(false);
        QObject::connect(documents, &lb::app::DocumentController::documentShown, &window,
                         [runs, started] {
                             if (!std::exchange(*started, true))
                                 runs->runFromPanel();
                         });
    }

    if (options.quantize) {
        auto started = std::make_shared<bool>(false);
        QObject::connect(documents, &lb::app::DocumentController::documentShown, &window,
                         [quant, started] {
                             if (!std::exchange(*started, true))
                                 quant->quantize();
                         });
    }

    if (screenshot) {
        window.setInteractive(false);
        window.resize(1280, 800);
        auto grab = [&] {
            const QPixmap image = window.grab();
            if (!image.save(options.screenshot, "PNG")) {
                fail(QStringLiteral("cannot write screenshot %1").arg(options.screenshot));
                QApplication::exit(1);
                return;
            }
            QApplication::exit(0);
        };
        auto failed = [](const QString& message) {
            fail(message);
            QApplication::exit(1);
        };
        if (options.quantize) {
            QObject::connect(quant, &lb::app::QuantController::quantizeShown, &app,
                             [&, grab] { QTimer::singleShot(50, &app, grab); });
            QObject::connect(quant, &lb::app::QuantController::quantizeFailed, &app, failed);
        } else if (options.run) {
            QObject::connect(runs, &lb::app::RunController::profileShown, &app, [&, grab] {
                // Let the docks take their new sizes before grabbing.
                QTimer::singleShot(50, &app, grab);
            });
            QObject::connect(runs, &lb::app::RunController::runFailed, &app, failed);
        } else {
            QObject::connect(documents, &lb::app::DocumentController::documentShown, &app, grab);
        }
        QObject::connect(documents, &lb::app::DocumentController::openFailed, &app,
                         [failed](const QString&, const QString& message) { failed(message); });
        QTimer::singleShot(kScreenshotTimeoutMs, &app, [&] {
            fail(QStringLiteral("timed out opening %1").arg(options.model));
            QApplication::exit(1);
        });
    }
    // Inert unless an LB_TEST_* variable is set (tests/app/check_recovery_kill.sh).
    const auto* hooks = new lb::app::TestHooks(&window);

    window.show();
    if (!options.model.isEmpty())
        documents->open(options.model, options.inputShapes);
    // Asked once the open has started, so the model loads while the question is up.
    if (!screenshot) {
        if (hooks->recoverAfterLoad() && !options.model.isEmpty()) {
            auto asked = std::make_shared<bool>(false);
            QObject::connect(documents, &lb::app::DocumentController::documentShown, &window,
                             [quant, asked, answer = options.recover] {
                                 if (!std::exchange(*asked, true))
                                     quant->offerEncodingsRecovery(answer);
                             });
        } else {
            quant->offerEncodingsRecovery(options.recover);
        }
    }
    return app.exec();
}
