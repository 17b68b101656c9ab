#include "project/project.h"

#include "core/error.h"

namespace lb::project {

std::shared_ptr<ModelVersion> Project::addVersion(std::shared_ptr<ModelVersion> version) {
    if (!version)
        fail("project ", quoted(m_name), ": cannot add an empty model version");
    m_versions.push_back(std::move(version));
    m_current = static_cast<int>(m_versions.size()) - 1;
    return m_versions.back();
}

std::shared_ptr<ModelVersion> Project::current() const {
    return m_current < 0 ? nullptr : m_versions[static_cast<size_t>(m_current)];
}

void Project::setCurrent(int index) {
    if (index < 0 || static_cast<size_t>(index) >= m_versions.size())
        fail("project ", quoted(m_name), ": no model version ", index, " (it has ",
             m_versions.size(), ")");
    m_current = index;
}

} // namespace lb::project
