#include "backends/xnnpack/xnn_util.h"

#include "core/error.h"

#include <limits>
#include <map>
#include <mutex>

namespace lb::backends::xnnpack {

namespace {

const char* statusName(xnn_status status) {
    switch (status) {
    case xnn_status_success:
        return "success";
    case xnn_status_uninitialized:
        return "uninitialized";
    case xnn_status_invalid_parameter:
        return "invalid parameter";
    case xnn_status_invalid_state:
        return "invalid state";
    case xnn_status_unsupported_parameter:
        return "unsupported parameter";
    case xnn_status_unsupported_hardware:
        return "unsupported hardware";
    case xnn_status_out_of_memory:
        return "out of memory";
    }
    return "unknown status";
}

} // namespace

void ensureInitialized() {
    static const xnn_status status = xnn_initialize(nullptr);
    check(status, "xnn_initialize");
}

void check(xnn_status status, const char* call) {
    if (status != xnn_status_success)
        fail("XNNPACK ", call, " failed: ", statusName(status));
}

pthreadpool_t threadPool(int threads) {
    if (threads <= 1)
        return nullptr;
    struct Deleter {
        void operator()(pthreadpool_t pool) const { pthreadpool_destroy(pool); }
    };
    static std::mutex mutex;
    static std::map<int, std::unique_ptr<pthreadpool, Deleter>> pools;
    const std::lock_guard lock(mutex);
    auto& pool = pools[threads];
    if (!pool) {
        pool.reset(pthreadpool_create(static_cast<size_t>(threads)));
        if (!pool)
            fail("pthreadpool_create(", threads, ") failed");
    }
    return pool.get();
}

void parkWorkers(int threads) {
    pthreadpool_t pool = threadPool(threads);
    if (!pool)
        return;
    // One item per thread so every worker takes the command (and with it the flag).
    pthreadpool_parallelize_1d(
        pool, [](void*, size_t) {}, nullptr, pthreadpool_get_threads_count(pool),
        PTHREADPOOL_FLAG_YIELD_WORKERS);
}

std::optional<std::pair<float, float>> clampBounds(const ops::Activation& activation) {
    constexpr float kInf = std::numeric_limits<float>::infinity();
    switch (activation.kind) {
    case ops::ActivationKind::None:
        return std::pair{-kInf, kInf};
    case ops::ActivationKind::Relu:
        return std::pair{0.0f, kInf};
    case ops::ActivationKind::Clip:
        return std::pair{activation.alpha, activation.beta};
    default:
        return std::nullopt;
    }
}

const std::shared_ptr<const void>& nhwcLayout() {
    static const std::shared_ptr<const void> layout = std::make_shared<const int>(0);
    return layout;
}

bool isNhwc(const Tensor& t) {
    return t.layout() == nhwcLayout();
}

Tensor plainTensor(const Tensor& t) {
    if (!isNhwc(t))
        return t;
    Tensor plain(t.dtype(), t.shape());
    const Shape& s = t.shape();
    if (t.dtype() == DataType::UInt8)
        nhwcToNchwFlip(static_cast<const int8_t*>(t.rawData()), plain.data<uint8_t>(), s[0], s[1],
                       s[2] * s[3]);
    else
        nhwcToNchw(t.data<float>(), plain.data<float>(), s[0], s[1], s[2] * s[3]);
    return plain;
}

const float* plainData(const Tensor& t, std::vector<float>& scratch) {
    if (!isNhwc(t))
        return t.data<float>();
    const Shape& s = t.shape();
    scratch.resize(static_cast<size_t>(t.numel()));
    nhwcToNchw(t.data<float>(), scratch.data(), s[0], s[1], s[2] * s[3]);
    return scratch.data();
}

Tensor& outputTensor(runtime::KernelContext& ctx, size_t index, const Shape& shape, bool nhwc,
                     DataType type) {
    if (!nhwc)
        return ctx.output(index, type, shape);
    size_t bytes = dtypeSize(type);
    for (int64_t d : shape)
        bytes *= static_cast<size_t>(d);
    return ctx.output(index, type, shape, nhwcLayout(), bytes);
}

const int8_t* signedNhwc(const Tensor& t, std::vector<int8_t>& scratch) {
    if (t.dtype() != DataType::UInt8 || t.rank() != 4)
        fail("expected a 4-D uint8 tensor, got ", dtypeName(t.dtype()), " ",
             shapeToString(t.shape()));
    if (isNhwc(t))
        return static_cast<const int8_t*>(t.rawData());
    const Shape& s = t.shape();
    scratch.resize(static_cast<size_t>(t.numel()));
    nchwToNhwcFlip(t.data<uint8_t>(), scratch.data(), s[0], s[1], s[2] * s[3]);
    return scratch.data();
}

int8_t* signedNhwcTarget(Tensor& y, std::vector<int8_t>& scratch) {
    if (isNhwc(y))
        return static_cast<int8_t*>(y.rawData());
    scratch.resize(static_cast<size_t>(y.numel()));
    return scratch.data();
}

void finishSignedNhwc(Tensor& y, const std::vector<int8_t>& scratch) {
    if (isNhwc(y))
        return;
    const Shape& s = y.shape();
    nhwcToNchwFlip(scratch.data(), y.data<uint8_t>(), s[0], s[1], s[2] * s[3]);
}

bool outputStays(const runtime::KernelInfo& info, size_t index) {
    return index < info.outputStaysInBackend.size() && info.outputStaysInBackend[index];
}

void nchwToNhwc(const float* src, float* dst, int64_t n, int64_t c, int64_t hw) {
    for (int64_t b = 0; b < n; ++b) {
        const float* s = src + b * c * hw;
        float* d = dst + b * c * hw;
        for (int64_t ch = 0; ch < c; ++ch)
            for (int64_t p = 0; p < hw; ++p)
                d[p * c + ch] = s[ch * hw + p];
    }
}

void nchwToNhwcFlip(const uint8_t* src, int8_t* dst, int64_t n, int64_t c, int64_t hw) {
    for (int64_t b = 0; b < n; ++b) {
        const uint8_t* s = src + b * c * hw;
        int8_t* d = dst + b * c * hw;
        for (int64_t ch = 0; ch < c; ++ch)
            for (int64_t p = 0; p < hw; ++p)
                d[p * c + ch] = static_cast<int8_t>(s[ch * hw + p] ^ 0x80);
    }
}

void nhwcToNchwFlip(const int8_t* src, uint8_t* dst, int64_t n, int64_t c, int64_t hw) {
    for (int64_t b = 0; b < n; ++b) {
        const int8_t* s = src + b * c * hw;
        uint8_t* d = dst + b * c * hw;
        for (int64_t ch = 0; ch < c; ++ch)
            for (int64_t p = 0; p < hw; ++p)
                d[ch * hw + p] = static_cast<uint8_t>(s[p * c + ch]) ^ 0x80;
    }
}

void nhwcToNchw(const float* src, float* dst, int64_t n, int64_t c, int64_t hw) {
    for (int64_t b = 0; b < n; ++b) {
        const float* s = src + b * c * hw;
        float* d = dst + b * c * hw;
        for (int64_t ch = 0; ch < c; ++ch)
            for (int64_t p = 0; p < hw; ++p)
                d[ch * hw + p] = s[p * c + ch];
    }
}

} // namespace lb::backends::xnnpack
