#pragma once

#include "project/model_version.h"

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace lb::project {

// What the user works on: a model and its versions (the file as opened; later, the advisor's
// re-exports of it), each with its runs and encodings. Qt-free, so the GUI, the CLI and the
// advisor read the same thing; its JSON form (project_json.h) is the project file. One thread
// owns a project; the views get its immutable parts (graphs, reports, node maps).
class Project {
public:
    Project() = default;
    explicit Project(std::string name) : m_name(std::move(name)) {}

    const std::string& name() const { return m_name; }
    void setName(std::string name) { m_name = std::move(name); }

    // Versions in the order they were added. Shared so that a document showing one keeps it
    // while versions are added.
    const std::vector<std::shared_ptr<ModelVersion>>& versions() const { return m_versions; }
    bool empty() const { return m_versions.empty(); }
    // Adds `version` and makes it the current one.
    std::shared_ptr<ModelVersion> addVersion(std::shared_ptr<ModelVersion> version);
    // The version the views show (null in an empty project).
    std::shared_ptr<ModelVersion> current() const;
    int currentIndex() const { return m_current; }
    // Throws lb::Error for an index that names no version.
    void setCurrent(int index);

private:
    std::string m_name;
    std::vector<std::shared_ptr<ModelVersion>> m_versions;
    int m_current = -1;
};

} // namespace lb::project
