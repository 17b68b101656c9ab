#include "backends/registry.h"

#include "backends/onednn/onednn_backend.h"
#include "backends/reference/reference_backend.h"
#include "backends/xnnpack/xnnpack_backend.h"
#include "core/error.h"

namespace lb::backends {

namespace {

template <typename B> std::shared_ptr<const runtime::Backend> make() {
    return std::make_shared<B>();
}

} // namespace

const std::vector<BackendInfo>& registry() {
    static const std::vector<BackendInfo> backends = {
        {onednn::OneDnnBackend::kName, "oneDNN",
         "oneDNN 2.6: float32 and int8 (VNNI) on this CPU, with fused post-ops",
         "an x86-64 CPU with AVX2 (AVX-512 VNNI for fast int8) and the oneDNN 2.6 library", true,
         false, make<onednn::OneDnnBackend>, onednn::OneDnnBackend::supportedOps},
        // The mobile-cpu target: int8 convolutions through XNNPACK's qc8 operators.
        {xnnpack::XnnpackBackend::kName, "XNNPACK",
         "XNNPACK (2022): float32 and int8 as on Android phones (mobile-cpu), convolutions with "
         "fused clamps",
         "a CPU XNNPACK supports (x86-64 with SSE2, or ARM64) and the XNNPACK library", true, false,
         make<xnnpack::XnnpackBackend>, xnnpack::XnnpackBackend::supportedOps},
        // int8: the kernels that define the bytes of ops/int8_ops.h (slow: plain loops).
        {reference::ReferenceBackend::kName, "Reference",
         "Plain, obviously correct kernels for every supported op, int8 included: the slow "
         "ground truth",
         "any CPU, no library", true, true, make<reference::ReferenceBackend>,
         reference::ReferenceBackend::supportedOps},
    };
    return backends;
}

const BackendInfo* findBackend(const std::string& name) {
    for (const BackendInfo& b : registry())
        if (b.name == name)
            return &b;
    return nullptr;
}

const BackendInfo& groundTruth() {
    for (const BackendInfo& b : registry())
        if (b.groundTruth)
            return b;
    fail("backend registry: no ground-truth backend");
}

std::vector<std::string> targetNames() {
    std::vector<std::string> names{kAutoTarget};
    for (const BackendInfo& b : registry())
        names.push_back(b.name);
    return names;
}

std::string targetList() {
    std::string list;
    for (const std::string& n : targetNames())
        list += (list.empty() ? "" : ", ") + n;
    return list;
}

std::vector<std::string> availableBackends() {
    std::vector<std::string> names;
    for (const BackendInfo& b : registry())
        names.push_back(b.name);
    return names;
}

std::shared_ptr<const runtime::Backend> createBackend(const std::string& name) {
    if (const BackendInfo* b = findBackend(name))
        return b->create();
    std::string known;
    for (const std::string& n : availableBackends())
        known += (known.empty() ? "" : ", ") + n;
    fail("unknown backend ", quoted(name), "; available: ", known);
}

std::vector<std::shared_ptr<const runtime::Backend>> fallbackChain(const std::string& target) {
    std::vector<std::shared_ptr<const runtime::Backend>> chain;
    if (target == kAutoTarget) {
        for (const BackendInfo& b : registry())
            chain.push_back(b.create());
        return chain;
    }
    const BackendInfo* b = findBackend(target);
    if (!b)
        fail("unknown target ", quoted(target), "; expected one of ", targetList());
    chain.push_back(b->create());
    if (!b->groundTruth)
        chain.push_back(groundTruth().create());
    return chain;
}

bool runsInt8(const std::string& target) {
    for (const BackendInfo& b : registry())
        if (b.int8 && (b.name == target || target == kAutoTarget))
            return true;
    return false;
}

std::string int8Targets() {
    std::string list;
    for (const std::string& n : targetNames())
        if (runsInt8(n))
            list += (list.empty() ? "" : " or ") + n;
    return list;
}

} // namespace lb::backends
