#pragma once

#include <string>
#include <vector>

namespace lb::run {

// A named target: a configuration of this machine's engine that stands for one kind of
// deployment hardware (issue #12). The CLI's --target and bench --targets, the GUI's pickers and
// the Compare view list them from here; nothing else spells their names.
struct TargetInfo {
    std::string name;        // as --target takes it: "cpu-fp32"
    std::string title;       // as a picker and a chart show it: "CPU fp32"
    std::string description; // one line: what it runs here, and what it stands for
    std::string backend;     // the backend it prefers (backends::registry()), or "auto"
    std::string precision;   // fp32 | fp16 | int8: what its tensors hold
    bool needsEncodings = false; // int8: runs only with an encodings file
    bool int8Option = false;     // an fp32 target that also runs int8 when asked (mobile-cpu)
};

// Every named target, in the order comparisons show them.
const std::vector<TargetInfo>& namedTargets();
// The named target called `name`, or nullptr.
const TargetInfo* findNamedTarget(const std::string& name);
// Whether its backend is built into this binary.
bool isAvailable(const TargetInfo& target);
// The named targets whose backend is built in ("cpu-fp32, mobile-cpu, ...").
std::vector<std::string> availableTargetNames();

// What a spec's target means on this machine: a named target, a backend's name, or "auto".
struct ResolvedTarget {
    std::string backend;   // what the session's fallback chain starts from
    std::string precision; // fp32 | fp16 | int8
    bool int8 = false;     // real int8 kernels (needs encodings)
    bool roundFp16 = false;
};
// `int8` is the spec's int8 flag (for backend names; a named target's precision decides for
// itself). Throws lb::Error naming the target and listing the known ones when it is unknown, or
// saying what it needs (encodings for npu-int8, a backend this build lacks).
ResolvedTarget resolveTarget(const std::string& target, bool int8, bool hasEncodings);

// Where a target runs: "cpu-fp32" here, "device:SERIAL/npu-int8" on a device over adb (the
// devices issue). Throws lb::Error for a malformed device target.
struct TargetRef {
    std::string device; // "" = this machine
    std::string target; // a named target, a backend or "auto"
    bool operator==(const TargetRef&) const = default;
};
TargetRef parseTargetRef(const std::string& text);
std::string toString(const TargetRef& ref);

// auto, the available named targets, then the backends that are not also a named target: every
// name --target takes, in the order help texts and pickers list them.
std::vector<std::string> targetChoiceList();
// The same joined with ", ", for help texts and errors.
std::string targetChoices();

} // namespace lb::run
