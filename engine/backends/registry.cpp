#include "backends/registry.h"

#include "backends/onednn/onednn_backend.h"
#include "backends/reference/reference_backend.h"
#include "core/error.h"

namespace lb::backends {

std::vector<std::string> availableBackends() {
    return {onednn::OneDnnBackend::kName, reference::ReferenceBackend::kName};
}

std::shared_ptr<const runtime::Backend> createBackend(const std::string& name) {
    if (name == onednn::OneDnnBackend::kName)
        return std::make_shared<onednn::OneDnnBackend>();
    if (name == reference::ReferenceBackend::kName)
        return std::make_shared<reference::ReferenceBackend>();
    std::string known;
    for (const std::string& n : availableBackends())
        known += (known.empty() ? "" : ", ") + n;
    fail("unknown backend ", quoted(name), "; available: ", known);
}

} // namespace lb::backends
