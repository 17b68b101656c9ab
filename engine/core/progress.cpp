#include "core/progress.h"

#include "core/error.h"

namespace lb {

void CancellationToken::check() const {
    if (isCancelled())
        throw Cancelled();
}

} // namespace lb
