#pragma once

// XNNPACK plumbing shared by the backend's kernels: the one-time xnn_initialize, status checks
// that name the call, owned operators and thread pools, and the NCHW <-> NHWC copies (XNNPACK's
// 2-D operators are NHWC, the graph is NCHW).

#include "core/tensor.h"
#include "ops/fused_ops.h"
#include "runtime/kernel.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <pthreadpool.h>
#include <utility>
#include <vector>
#include <xnnpack.h>

namespace lb::backends::xnnpack {

// Calls xnn_initialize once per process (thread-safe); throws lb::Error when XNNPACK does not
// run on this CPU.
void ensureInitialized();

// Throws lb::Error "XNNPACK <call> failed: <status>" unless status is success.
void check(xnn_status status, const char* call);

struct OperatorDeleter {
    void operator()(xnn_operator_t op) const { xnn_delete_operator(op); }
};
using Operator = std::unique_ptr<xnn_operator, OperatorDeleter>;

// The pthreadpool for a run's thread count (none for one thread: XNNPACK then runs on the
// caller's thread). One pool per thread count for the whole process, shared by every kernel:
// pthreadpool serializes callers, and a pool per kernel (rec has 175 XNNPACK nodes) put hundreds
// of spinning workers on two cores (rec at 2 threads: 2.85 s per run instead of ~12 ms).
pthreadpool_t threadPool(int threads);

// Sends the pool's workers for `threads` to a kernel wait (PTHREADPOOL_FLAG_YIELD_WORKERS on an
// empty task) instead of the spin they do by default after each operation; nothing for one
// thread. Called where work leaves the backend, so the workers do not spin beside another
// backend's kernels (at 2 threads on 2 cores they took half the machine from them).
void parkWorkers(int threads);

// The [output_min, output_max] clamp XNNPACK fuses for an activation (none: the whole float
// range), or nullopt for an activation that is not a clamp (HardSwish, Sigmoid, ...).
std::optional<std::pair<float, float>> clampBounds(const ops::Activation& activation);

// The backend's private layout: a 4-D tensor whose shape is NCHW as the graph says and whose
// bytes are NHWC, as XNNPACK's 2-D operators read and write them. Kernels leave an output so
// only when KernelInfo::outputStaysInBackend says every reader is one of this backend's kernels,
// so a pair of XNNPACK convolutions needs no NCHW round trip between them.
// A uint8 tensor (ops/int8_ops.h) in this layout also holds its bytes as XNNPACK's signed ones,
// s = q - 128 (q ^ 0x80): the int8 operators that take per-channel weight scales (qc8) are
// signed-only, so a chain of int8 kernels converts once at each border, not at every node.
const std::shared_ptr<const void>& nhwcLayout();
bool isNhwc(const Tensor& t);
// A plain (NCHW; uint8 bytes as they are) copy of an NHWC tensor; a plain tensor as it is.
Tensor plainTensor(const Tensor& t);
// t's values in plain order: its own data when plain, else `scratch` filled with them.
const float* plainData(const Tensor& t, std::vector<float>& scratch);
// Output `index` of `shape` (4-D) in the NHWC layout when `nhwc`, plain otherwise.
Tensor& outputTensor(runtime::KernelContext& ctx, size_t index, const Shape& shape, bool nhwc,
                     DataType type = DataType::Float32);

// [n, c, hw] -> [n, hw, c] and back.
void nchwToNhwc(const float* src, float* dst, int64_t n, int64_t c, int64_t hw);
void nhwcToNchw(const float* src, float* dst, int64_t n, int64_t c, int64_t hw);
// The same for bytes, flipping the top bit on the way (uint8 q <-> int8 q - 128).
void nchwToNhwcFlip(const uint8_t* src, int8_t* dst, int64_t n, int64_t c, int64_t hw);
void nhwcToNchwFlip(const int8_t* src, uint8_t* dst, int64_t n, int64_t c, int64_t hw);

// The signed NHWC bytes of a 4-D uint8 tensor: its own storage when it is in the private layout,
// else `scratch` filled from the plain bytes.
const int8_t* signedNhwc(const Tensor& t, std::vector<int8_t>& scratch);
// Where an operator writes the signed NHWC bytes of uint8 output `y`: y's own storage when it is
// in the private layout, else `scratch`, which finishSignedNhwc then copies into plain y.
int8_t* signedNhwcTarget(Tensor& y, std::vector<int8_t>& scratch);
void finishSignedNhwc(Tensor& y, const std::vector<int8_t>& scratch);

// Whether a kernel's output `index` stays in the backend (KernelInfo::outputStaysInBackend).
bool outputStays(const runtime::KernelInfo& info, size_t index = 0);

} // namespace lb::backends::xnnpack
