#pragma once

// Where element (n, c, s) of a [N, C, S] tensor sits in each layout the oneDNN backend's own loops
// handle (channels last, plain, channel blocks), written out independently of the loops under test.

#include "backends/onednn/channel_binary.h"

#include <cstdint>

namespace lbtest {

inline int64_t storedIndex(const lb::backends::onednn::ChannelLayout& l, int64_t n, int64_t c,
                           int64_t s) {
    if (l.block == 0)
        return (n * l.spatial + s) * l.channels + c;
    if (l.block == 1)
        return (n * l.channels + c) * l.spatial + s;
    const int64_t blocks = (l.channels + l.block - 1) / l.block;
    return ((n * blocks + c / l.block) * l.spatial + s) * l.block + c % l.block;
}

} // namespace lbtest
