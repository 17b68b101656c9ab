#pragma once

// A binary op between a [N, C, spatial...] tensor and one value per (batch, channel): the
// squeeze-excitation Mul, a per-channel bias Add. oneDNN 2.6's binary primitive has JIT code for
// this only in plain, channels-last and 16-channel blocked layouts of equal format on both sides;
// for the 8-channel blocks its grouped convolutions write (RegNet's groups of 8) it runs a
// reference loop (29 ms for 1x48x56x56, bench/RESULTS.md). This loop takes every layout the
// backend's primitives hand out.

#include "backends/onednn/fp32_rows.h"
#include "backends/onednn/layout.h"

#include <cstdint>
#include <optional>

namespace lb::backends::onednn {

// How a [N, C, spatial] float32 tensor is stored: block 0 = channels last ([N][spatial][C]),
// 1 = plain ([N][C][spatial]), 8 or 16 = channel blocks ([N][C/block][spatial][block], the last
// block padded with zeros).
struct ChannelLayout {
    int64_t batch = 1, channels = 1, spatial = 1;
    int block = 1;
};

// The layout of a [N, C, spatial...] float32 tensor (rank 3 to 5) described by `desc` when it is
// one of those, else nothing.
std::optional<ChannelLayout> channelLayout(const memory::desc& desc, const Shape& shape);

// y[n, c, s] = a[n, c, s] op b[n * bBatchStride + c] (bBatchStride 0 broadcasts b over the batch),
// with y and a in `layout`; padding lanes of a blocked layout come out zero. y may equal a.
// Split across `threads` (OpenMP) when large enough.
void channelBinary(FlatOp op, const float* a, const float* b, int64_t bBatchStride, float* y,
                   const ChannelLayout& layout, int threads);

// The same with `a` in 8-channel blocks and y written in 16-channel blocks (the layout the
// backend's convolutions read for 16 or more channels), saving the reorder after the op.
void channelBinary8To16(FlatOp op, const float* a, const float* b, int64_t bBatchStride, float* y,
                        const ChannelLayout& layout, int threads);

} // namespace lb::backends::onednn
