#pragma once

#include "runtime/backend.h"

#include <memory>
#include <string>
#include <vector>

namespace lb::backends {

// Names of the backends built into this binary, in default order of preference.
std::vector<std::string> availableBackends();
// The backend with this name; throws lb::Error listing the available names when unknown.
std::shared_ptr<const runtime::Backend> createBackend(const std::string& name);

} // namespace lb::backends
