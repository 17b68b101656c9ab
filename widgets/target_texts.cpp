#include "widgets/target_texts.h"

#include <array>

namespace lb::widgets {

namespace {

// Every title and description of run::namedTargets(), as it spells them.
constexpr std::array<const char*, 10> kTexts{{
    QT_TRANSLATE_NOOP("TargetTexts", "CPU fp32"),
    QT_TRANSLATE_NOOP("TargetTexts", "oneDNN's fp32 kernels on this machine's CPU: the accuracy "
                                     "reference of a comparison"),
    QT_TRANSLATE_NOOP("TargetTexts", "Mobile CPU"),
    QT_TRANSLATE_NOOP("TargetTexts", "XNNPACK's kernels (fp32; int8 with encodings), the ones a "
                                     "phone's CPU runner uses"),
    QT_TRANSLATE_NOOP("TargetTexts", "GPU fp16"),
    QT_TRANSLATE_NOOP("TargetTexts", "fp16 tensors as a mobile GPU stores them: fp32 kernels, "
                                     "every tensor and weight rounded to fp16"),
    QT_TRANSLATE_NOOP("TargetTexts", "NPU int8"),
    QT_TRANSLATE_NOOP("TargetTexts",
                      "Real int8 kernels with the model's encodings, as an NPU (HTP) runs a "
                      "quantized model; the nodes they cannot run stay simulated"),
    QT_TRANSLATE_NOOP("TargetTexts", "Reference"),
    QT_TRANSLATE_NOOP("TargetTexts",
                      "The plain reference kernels every backend is checked against (slow, exact)"),
}};

QString translated(const std::string& english) {
    return TargetTexts::isKnown(english) ? TargetTexts::tr(english.c_str())
                                         : QString::fromStdString(english);
}

} // namespace

QString TargetTexts::title(const run::TargetInfo& target) {
    return translated(target.title);
}

QString TargetTexts::description(const run::TargetInfo& target) {
    return translated(target.description);
}

bool TargetTexts::isKnown(const std::string& english) {
    for (const char* text : kTexts)
        if (english == text)
            return true;
    return false;
}

} // namespace lb::widgets
