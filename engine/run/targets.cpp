#include "run/targets.h"

#include "backends/registry.h"
#include "core/error.h"

#include <algorithm>

namespace lb::run {

namespace {

constexpr const char* kDevicePrefix = "device:";

} // namespace

const std::vector<TargetInfo>& namedTargets() {
    static const std::vector<TargetInfo> targets = {
        {"cpu-fp32", "CPU fp32",
         "oneDNN's fp32 kernels on this machine's CPU: the accuracy reference of a comparison",
         "onednn", "fp32", false},
        {"mobile-cpu", "Mobile CPU",
         "XNNPACK's kernels (fp32; int8 with encodings), the ones a phone's CPU runner uses",
         "xnnpack", "fp32", false, true},
        {"gpu-fp16", "GPU fp16",
         "fp16 tensors as a mobile GPU stores them: fp32 kernels, every tensor and weight rounded "
         "to fp16",
         "onednn", "fp16", false},
        {"npu-int8", "NPU int8",
         "Real int8 kernels with the model's encodings, as an NPU (HTP) runs a quantized model; "
         "the nodes they cannot run stay simulated",
         backends::kAutoTarget, "int8", true},
        {"reference", "Reference",
         "The plain reference kernels every backend is checked against (slow, exact)",
         "reference", "fp32", false, true},
    };
    return targets;
}

const TargetInfo* findNamedTarget(const std::string& name) {
    for (const TargetInfo& t : namedTargets())
        if (t.name == name)
            return &t;
    return nullptr;
}

bool isAvailable(const TargetInfo& target) {
    return target.backend == backends::kAutoTarget || backends::findBackend(target.backend);
}

std::vector<std::string> availableTargetNames() {
    std::vector<std::string> names;
    for (const TargetInfo& t : namedTargets())
        if (isAvailable(t))
            names.push_back(t.name);
    return names;
}

std::vector<std::string> targetChoiceList() {
    std::vector<std::string> names = {backends::kAutoTarget};
    for (const std::string& name : availableTargetNames())
        names.push_back(name);
    for (const backends::BackendInfo& b : backends::registry())
        if (!findNamedTarget(b.name)) // "reference" is both
            names.push_back(b.name);
    return names;
}

std::string targetChoices() {
    std::string text;
    for (const std::string& name : targetChoiceList())
        text += (text.empty() ? "" : ", ") + name;
    return text;
}

ResolvedTarget resolveTarget(const std::string& target, bool int8, bool hasEncodings) {
    ResolvedTarget r;
    if (const TargetInfo* named = findNamedTarget(target)) {
        if (!isAvailable(*named))
            fail("target ", quoted(target), " needs the ", quoted(named->backend),
                 " backend, which this build does not have");
        if (int8 && named->precision != "int8" &&
            !(named->int8Option && backends::runsInt8(named->backend)))
            fail("target ", quoted(target), " runs ", named->precision,
                 "; int8 runs on npu-int8 or a backend with int8 kernels (",
                 backends::int8Targets(), ")");
        r.backend = named->backend;
        r.precision = named->precision;
        r.int8 = named->precision == "int8" || int8;
        r.roundFp16 = named->precision == "fp16";
        if (r.int8 && !hasEncodings)
            fail("target ", quoted(target),
                 " runs int8 and needs encodings: pass an encodings file (quantize the model first)");
        if (r.int8)
            r.precision = "int8";
        return r;
    }
    const std::vector<std::string> backendsNames = backends::targetNames();
    if (std::find(backendsNames.begin(), backendsNames.end(), target) == backendsNames.end())
        fail("unknown target ", quoted(target), "; known: ", targetChoices());
    if (int8 && !hasEncodings)
        fail("run: int8 needs an encodings file (the scales the int8 kernels use)");
    if (int8 && !backends::runsInt8(target))
        fail("run: int8 needs a target with int8 kernels (", backends::int8Targets(), "), not ",
             quoted(target));
    r.backend = target;
    r.int8 = int8;
    r.precision = int8 ? "int8" : "fp32";
    return r;
}

TargetRef parseTargetRef(const std::string& text) {
    const std::string prefix = kDevicePrefix;
    if (text.rfind(prefix, 0) != 0)
        return {"", text};
    const std::string rest = text.substr(prefix.size());
    const size_t slash = rest.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == rest.size())
        fail("target ", quoted(text), ": expected device:SERIAL/TARGET, e.g. device:R58M12345/npu-int8");
    return {rest.substr(0, slash), rest.substr(slash + 1)};
}

std::string toString(const TargetRef& ref) {
    return ref.device.empty() ? ref.target : kDevicePrefix + ref.device + "/" + ref.target;
}

} // namespace lb::run
