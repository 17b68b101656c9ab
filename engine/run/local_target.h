#pragma once

#include "run/run_target.h"

#include <filesystem>
#include <list>
#include <map>
#include <memory>
#include <string>

namespace lb::run {

// Runs specs in this process. Keeps the sessions of the last few specs, keyed by the model's
// SHA-256 and every field that shapes the session (shapes, target, threads, passes, encodings),
// so a second run of the same model and settings neither imports nor builds kernels again (its
// report says so in the notes, with import_ms and session_create_ms 0). A changed file has
// another hash and is imported afresh. A file's hash is computed again only when its size or
// modification time changed (rec takes about 70 ms to hash). Not thread-safe: one owner calls it.
class LocalTarget final : public RunTarget {
public:
    explicit LocalTarget(size_t cachedSessions = 2);
    ~LocalTarget() override;

    std::string name() const override { return "local"; }
    report::ProfileReport run(const RunSpec& spec, const TaskContext& task = {}) override;

    // Sessions built and reused so far (for tests and the GUI's status).
    int sessionsBuilt() const { return m_built; }
    int sessionsReused() const { return m_reused; }
    // Files hashed so far (a file whose size and modification time did not change is not
    // hashed again).
    int filesHashed() const { return m_hashed; }
    void clearCache();

private:
    struct Entry;
    struct FileHash {
        uintmax_t size = 0;
        std::filesystem::file_time_type modified;
        std::string sha256;
    };
    std::string hashOf(const std::string& path);
    std::map<std::string, FileHash> m_hashes; // by path
    size_t m_capacity;
    std::list<std::unique_ptr<Entry>> m_cache; // most recent first
    int m_built = 0;
    int m_reused = 0;
    int m_hashed = 0;
};

} // namespace lb::run
