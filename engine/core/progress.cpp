#include "core/progress.h"

#include "core/error.h"

#include <algorithm>

namespace lb {

void CancellationToken::check() const {
    if (isCancelled())
        throw Cancelled();
}

TaskContext TaskContext::phase(double from, double to) const {
    TaskContext sub;
    sub.token = token;
    if (progress)
        sub.progress = [outer = progress, from, to](double fraction, std::string_view stage) {
            outer(from + (to - from) * std::clamp(fraction, 0.0, 1.0), stage);
        };
    return sub;
}

} // namespace lb
