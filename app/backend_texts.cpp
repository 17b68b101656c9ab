#include "app/backend_texts.h"

#include <array>

namespace lb::app {

namespace {

// Every title and description of backends::registry(), as it spells them.
constexpr std::array<const char*, 6> kTexts{{
    QT_TRANSLATE_NOOP("BackendTexts", "oneDNN"),
    QT_TRANSLATE_NOOP("BackendTexts",
                      "oneDNN 2.6: float32 and int8 (VNNI) on this CPU, with fused post-ops"),
    QT_TRANSLATE_NOOP("BackendTexts", "XNNPACK"),
    QT_TRANSLATE_NOOP("BackendTexts",
                      "XNNPACK (2022): float32 and int8 as on Android phones (mobile-cpu), "
                      "convolutions with fused clamps"),
    QT_TRANSLATE_NOOP("BackendTexts", "Reference"),
    QT_TRANSLATE_NOOP("BackendTexts", "Plain, obviously correct kernels for every supported op, "
                                      "int8 included: the slow ground truth"),
}};

QString translated(const std::string& english) {
    return BackendTexts::isKnown(english) ? BackendTexts::tr(english.c_str())
                                          : QString::fromStdString(english);
}

} // namespace

QString BackendTexts::title(const backends::BackendInfo& backend) {
    return translated(backend.title);
}

QString BackendTexts::description(const backends::BackendInfo& backend) {
    return translated(backend.description);
}

bool BackendTexts::isKnown(const std::string& english) {
    for (const char* text : kTexts)
        if (english == text)
            return true;
    return false;
}

} // namespace lb::app
