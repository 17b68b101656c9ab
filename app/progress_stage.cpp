#include "app/progress_stage.h"

#include <QStringList>
#include <array>
#include <utility>

namespace lb::app {

namespace {

// Graph passes report their names (engine/passes); the user needs no more than what they do.
bool isPassName(const QString& id) {
    static const QStringList passes = {
        QStringLiteral("constants-to-initializers"), QStringLiteral("fold-constants"),
        QStringLiteral("remove-dead-nodes"),         QStringLiteral("fold-batchnorm-into-conv"),
        QStringLiteral("fold-affine-into-conv"),     QStringLiteral("fuse-hard-swish"),
        QStringLiteral("fuse-conv-activation"),      QStringLiteral("fuse-conv-output-affine"),
        QStringLiteral("fuse-layer-norm"),           QStringLiteral("fuse-gelu"),
        QStringLiteral("fuse-channel-shuffle"),      QStringLiteral("remove-no-op-pads"),
    };
    return passes.contains(id);
}

// Stage ids as the engine (engine/, widgets/graph_scene_builder.cpp, app/engine_worker*.cpp)
// reports them, and the words for each. tests/app/progress_stage_test.cpp scans the sources and
// fails on an id missing here.
const char* words(const QString& id) {
    static const std::array<std::pair<const char*, const char*>, 23> kStages{{
        {"parse", QT_TRANSLATE_NOOP("ProgressStage", "reading the model")},
        {"parsing", QT_TRANSLATE_NOOP("ProgressStage", "reading the model")},
        {"import", QT_TRANSLATE_NOOP("ProgressStage", "reading the model")},
        {"check", QT_TRANSLATE_NOOP("ProgressStage", "checking the model")},
        {"infer", QT_TRANSLATE_NOOP("ProgressStage", "inferring shapes")},
        {"infer-shapes", QT_TRANSLATE_NOOP("ProgressStage", "inferring shapes")},
        {"convert", QT_TRANSLATE_NOOP("ProgressStage", "converting the model")},
        {"summary", QT_TRANSLATE_NOOP("ProgressStage", "summarizing")},
        {"scene", QT_TRANSLATE_NOOP("ProgressStage", "drawing the graph")},
        {"layout", QT_TRANSLATE_NOOP("ProgressStage", "laying out the graph")},
        {"index", QT_TRANSLATE_NOOP("ProgressStage", "indexing the graph")},
        {"warm-up", QT_TRANSLATE_NOOP("ProgressStage", "warming up")},
        {"timed runs", QT_TRANSLATE_NOOP("ProgressStage", "timing runs")},
        {"kernels", QT_TRANSLATE_NOOP("ProgressStage", "preparing the kernels")},
        {"fp32 reference", QT_TRANSLATE_NOOP("ProgressStage", "running the fp32 reference")},
        {"calibrating", QT_TRANSLATE_NOOP("ProgressStage", "calibrating")},
        {"comparing fp32 and quantized runs",
         QT_TRANSLATE_NOOP("ProgressStage", "comparing fp32 and quantized runs")},
        {"sensitivity runs",
         QT_TRANSLATE_NOOP("ProgressStage", "measuring each tensor's sensitivity")},
        {"re-measuring", QT_TRANSLATE_NOOP("ProgressStage", "measuring again")},
        {"mixed precision steps", QT_TRANSLATE_NOOP("ProgressStage", "planning mixed precision")},
        {"calibration alternatives",
         QT_TRANSLATE_NOOP("ProgressStage", "measuring the other calibrations")},
        {"qdq export", QT_TRANSLATE_NOOP("ProgressStage", "exporting the QDQ model")},
        {"compare", QT_TRANSLATE_NOOP("ProgressStage", "comparing the outputs")},
    }};
    for (const auto& [stage, text] : kStages)
        if (id == QLatin1String(stage))
            return text;
    if (isPassName(id))
        return QT_TRANSLATE_NOOP("ProgressStage", "optimizing the graph");
    return nullptr;
}

} // namespace

QString ProgressStage::text(const QString& id) {
    const char* source = words(id);
    return source ? tr(source) : id;
}

bool ProgressStage::isKnown(const QString& id) {
    return words(id) != nullptr;
}

} // namespace lb::app
