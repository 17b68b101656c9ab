#pragma once

#include "runtime/backend.h"

#include <memory>
#include <string>
#include <vector>

namespace lb::backends {

// One backend built into this binary: what the CLI's `backends` command, --backend's choices and
// help, the GUI's backend pickers and the fallback chain of a run all read. Nothing outside this
// module spells a backend's name.
struct BackendInfo {
    std::string name;         // as --backend takes it: "onednn"
    std::string title;        // as a picker shows it: "oneDNN"
    std::string description;  // one line: what it runs, and where
    std::string needs;        // what it needs of the machine and the build
    bool int8 = false;        // runs real int8 kernels (--int8)
    bool groundTruth = false; // the plain kernels every other backend is checked against; the
                              // last resort of every fallback chain
    std::shared_ptr<const runtime::Backend> (*create)() = nullptr;
    // Its kernel table, sorted ("ai.layerbench.FusedConv" for LayerBench's own ops).
    std::vector<std::string> (*supportedOps)() = nullptr;
};

// The pseudo-target that means every backend, in order of preference.
inline constexpr const char* kAutoTarget = "auto";

// Every backend, in order of preference (the order kAutoTarget tries them in).
const std::vector<BackendInfo>& registry();
// The backend called `name`, or nullptr.
const BackendInfo* findBackend(const std::string& name);
// The ground-truth backend (the reference kernels).
const BackendInfo& groundTruth();
// The targets a run accepts: kAutoTarget, then every backend's name.
std::vector<std::string> targetNames();
// "auto, onednn, reference": for help texts and errors.
std::string targetList();

// Names of the backends, in order of preference.
std::vector<std::string> availableBackends();
// The backend with this name; throws lb::Error listing the available names when unknown.
std::shared_ptr<const runtime::Backend> createBackend(const std::string& name);
// The backends a run on `target` tries, in order: kAutoTarget every backend; a backend's name
// that backend, then the ground truth for what it declines. Throws lb::Error naming the target
// and listing the known ones when it is unknown.
std::vector<std::shared_ptr<const runtime::Backend>> fallbackChain(const std::string& target);
// Whether a run on `target` has real int8 kernels (a backend of its chain runs them).
bool runsInt8(const std::string& target);
// The targets that do, for messages: "auto or onednn".
std::string int8Targets();

} // namespace lb::backends
