// Which fp16 kernels this machine's libraries really have (issue #12, the gpu-fp16 target): a
// convolution in fp32, fp16 and bf16 through oneDNN 2.6, and in fp32 and fp16 through XNNPACK's
// 2022 operators, on shapes from PaddleOCR's det. Prints one JSON line per library, type and
// shape: the implementation oneDNN picked (or why it has none) and the median of 30 timed runs.
//   lb-bench-fp16-probe [--threads N]
#include <oneapi/dnnl/dnnl.hpp>
#include <pthreadpool.h>
#include <xnnpack.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

struct ConvShape {
    int channels, height, width, kernel;
};

double medianMs(const std::function<void()>& run) {
    for (int i = 0; i < 5; ++i)
        run();
    std::vector<double> times;
    for (int i = 0; i < 30; ++i) {
        const auto start = std::chrono::steady_clock::now();
        run();
        times.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

std::string shapeText(const ConvShape& s) {
    return std::to_string(s.channels) + "->" + std::to_string(s.channels) + " " +
           std::to_string(s.kernel) + "x" + std::to_string(s.kernel) + " @" +
           std::to_string(s.height) + "x" + std::to_string(s.width);
}

void print(const char* library, const char* type, const ConvShape& s, const std::string& impl,
           double ms, const std::string& error) {
    nlohmann::json j = {{"library", library}, {"type", type}, {"shape", shapeText(s)}};
    if (error.empty()) {
        j["impl"] = impl;
        j["median_ms"] = ms;
    } else {
        j["error"] = error;
    }
    std::printf("%s\n", j.dump().c_str());
}

void probeOnednn(const ConvShape& s, dnnl::memory::data_type type, const char* name) {
    using namespace dnnl;
    engine eng(engine::kind::cpu, 0);
    stream strm(eng);
    const memory::dims act{1, s.channels, s.height, s.width};
    const memory::dims wei{s.channels, s.channels, s.kernel, s.kernel};
    const memory::dim pad = s.kernel / 2;
    try {
        const auto d = convolution_forward::desc(
            prop_kind::forward_inference, algorithm::convolution_direct,
            memory::desc(act, type, memory::format_tag::any),
            memory::desc(wei, type, memory::format_tag::any),
            memory::desc(act, type, memory::format_tag::any), {1, 1}, {pad, pad}, {pad, pad});
        const auto pd = convolution_forward::primitive_desc(d, eng);
        convolution_forward conv(pd);
        memory src(pd.src_desc(), eng), weights(pd.weights_desc(), eng), dst(pd.dst_desc(), eng);
        std::memset(src.get_data_handle(), 0, pd.src_desc().get_size());
        std::memset(weights.get_data_handle(), 0, pd.weights_desc().get_size());
        const double ms = medianMs([&] {
            conv.execute(strm, {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_DST, dst}});
            strm.wait();
        });
        print("onednn", name, s, pd.impl_info_str(), ms, "");
    } catch (const dnnl::error& e) {
        print("onednn", name, s, "", 0, e.what());
    }
}

void probeXnnpack(const ConvShape& s, bool half, pthreadpool_t pool) {
    const size_t c = static_cast<size_t>(s.channels);
    const size_t k = static_cast<size_t>(s.kernel);
    const uint32_t pad = static_cast<uint32_t>(s.kernel / 2);
    const size_t pixels = static_cast<size_t>(s.height) * static_cast<size_t>(s.width);
    const size_t elementBytes = half ? 2 : 4;
    // Zeros in either type: the probe times the kernels, not the values.
    std::vector<uint8_t> weights(c * k * k * c * elementBytes, 0), bias(c * elementBytes, 0);
    std::vector<uint8_t> input(pixels * c * elementBytes, 0), output(pixels * c * elementBytes);
    xnn_operator_t op = nullptr;
    xnn_status status =
        half ? xnn_create_convolution2d_nhwc_f16(pad, pad, pad, pad, s.kernel, s.kernel, 1, 1, 1, 1,
                                                 1, c, c, c, c, weights.data(), bias.data(),
                                                 -65504.0f, 65504.0f, 0, &op)
             : xnn_create_convolution2d_nhwc_f32(pad, pad, pad, pad, s.kernel, s.kernel, 1, 1, 1, 1,
                                                 1, c, c, c, c,
                                                 reinterpret_cast<const float*>(weights.data()),
                                                 reinterpret_cast<const float*>(bias.data()),
                                                 -INFINITY, INFINITY, 0, &op);
    const char* type = half ? "f16" : "f32";
    if (status != xnn_status_success) {
        print("xnnpack", type, s, "", 0, "create failed, status " + std::to_string(status));
        return;
    }
    status = half ? xnn_setup_convolution2d_nhwc_f16(op, 1, s.height, s.width, input.data(),
                                                     output.data(), pool)
                  : xnn_setup_convolution2d_nhwc_f32(
                        op, 1, s.height, s.width, reinterpret_cast<const float*>(input.data()),
                        reinterpret_cast<float*>(output.data()), pool);
    if (status != xnn_status_success) {
        print("xnnpack", type, s, "", 0, "setup failed, status " + std::to_string(status));
    } else {
        const double ms = medianMs([&] { xnn_run_operator(op, pool); });
        print("xnnpack", type, s, half ? "convolution2d_nhwc_f16" : "convolution2d_nhwc_f32", ms,
              "");
    }
    xnn_delete_operator(op);
}

} // namespace

int main(int argc, char** argv) {
    int threads = 1;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            threads = std::max(1, std::atoi(argv[++i]));
        } else {
            std::fprintf(stderr, "lb-bench-fp16-probe: unknown argument '%s'; usage: "
                                 "lb-bench-fp16-probe [--threads N]\n", argv[i]);
            return 2;
        }
    }
    if (xnn_initialize(nullptr) != xnn_status_success) {
        std::fprintf(stderr, "lb-bench-fp16-probe: xnn_initialize failed\n");
        return 1;
    }
    pthreadpool_t pool = threads > 1 ? pthreadpool_create(static_cast<size_t>(threads)) : nullptr;
    const std::vector<ConvShape> shapes = {{64, 80, 80, 3}, {256, 40, 40, 1}};
    for (const ConvShape& s : shapes) {
        probeOnednn(s, dnnl::memory::data_type::f32, "f32");
        probeOnednn(s, dnnl::memory::data_type::f16, "f16");
        probeOnednn(s, dnnl::memory::data_type::bf16, "bf16");
        probeXnnpack(s, false, pool);
        probeXnnpack(s, true, pool);
    }
    if (pool)
        pthreadpool_destroy(pool);
    return 0;
}
