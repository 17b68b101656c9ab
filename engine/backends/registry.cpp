#include "backends/registry.h"

#include "backends/reference/reference_backend.h"
#include "core/error.h"

namespace lb::backends {

std::vector<std::string> availableBackends() {
    return {reference::ReferenceBackend::kName};
}

std::shared_ptr<const runtime::Backend> createBackend(const std::string& name) {
    if (name == reference::ReferenceBackend::kName)
        return std::make_shared<reference::ReferenceBackend>();
    std::string known;
    for (const std::string& n : availableBackends())
        known += (known.empty() ? "" : ", ") + n;
    fail("unknown backend ", quoted(name), "; available: ", known);
}

} // namespace lb::backends
