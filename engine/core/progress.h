#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string_view>

namespace lb {

// Shared cancellation flag: the GUI keeps one copy and sets it, the engine polls the other.
class CancellationToken {
public:
    CancellationToken() : m_flag(std::make_shared<std::atomic<bool>>(false)) {}
    void cancel() { m_flag->store(true, std::memory_order_relaxed); }
    bool isCancelled() const { return m_flag->load(std::memory_order_relaxed); }
    // Throws lb::Cancelled when cancelled.
    void check() const;

private:
    std::shared_ptr<std::atomic<bool>> m_flag;
};

// Progress in [0, 1] with a short stage name ("parsing", "layout", ...).
using ProgressFn = std::function<void(double fraction, std::string_view stage)>;

// What every long engine operation takes: a way to report progress and to be cancelled.
struct TaskContext {
    CancellationToken token;
    ProgressFn progress;

    void report(double fraction, std::string_view stage) const {
        if (progress)
            progress(fraction, stage);
    }
    void checkCancelled() const { token.check(); }
    // The same token, with progress mapped into [from, to] of this task: one phase of a longer
    // job.
    TaskContext phase(double from, double to) const;
};

} // namespace lb
