// Dense convolutions over small maps with large weights, one primitive at a time, weights cold as
// inside a network (a 256 MB buffer is written between runs): CPU ms per call (thread CPU time,
// median) of every oneDNN 2.6 implementation of the blocked (nChw16c) descriptor, oneDNN's
// Winograd where it applies, and SmallMapConv (fp32_small_map_conv.h). Bias and ReLU fused.
// Prints a markdown table.
//   lb-bench-small-map-conv [--iterations N] [--threads N] [--hot] [--min] [--only LABEL]
#include "backends/onednn/fp32_small_map_conv.h"
#include "backends/onednn/layout.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <dnnl.hpp>
#include <functional>
#include <random>
#include <string>
#include <vector>

using namespace lb::backends::onednn;
using dnnl::memory;
using tag = memory::format_tag;

namespace {

struct Shape {
    const char* where;
    int64_t cin, cout, hw, k, stride;
};

double cpuMs() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

bool g_min = false; // --min: the fastest run rather than the median (a loaded machine)
std::vector<char> g_evict(size_t(256) << 20);
void evict() {
    for (size_t i = 0; i < g_evict.size(); i += 64)
        g_evict[i] += 1;
}

double medianMs(int iterations, bool hot, const std::function<void()>& f) {
    std::vector<double> t;
    f();
    for (int i = 0; i < iterations; ++i) {
        if (!hot)
            evict();
        const double s = cpuMs();
        f();
        t.push_back(cpuMs() - s);
    }
    std::sort(t.begin(), t.end());
    return g_min ? t.front() : t[t.size() / 2];
}

std::vector<float> random(size_t n, uint32_t seed) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<float> d(-1, 1);
    std::vector<float> v(n);
    for (float& x : v)
        x = d(gen);
    return v;
}

} // namespace

int main(int argc, char** argv) {
    int iterations = 15, threads = 1;
    bool hot = false;
    std::string only; // run the shapes whose label contains this
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--iterations" && i + 1 < argc)
            iterations = std::atoi(argv[++i]);
        else if (a == "--threads" && i + 1 < argc)
            threads = std::atoi(argv[++i]);
        else if (a == "--hot")
            hot = true;
        else if (a == "--min")
            g_min = true;
        else if (a == "--only" && i + 1 < argc)
            only = argv[++i];
    }
    const std::vector<Shape> shapes = {
        {"R50 l4 3x3", 512, 512, 7, 3, 1},        {"R50 l4 3x3 s2", 512, 512, 14, 3, 2},
        {"R50 l4 1x1 up", 512, 2048, 7, 1, 1},    {"R50 l4 1x1 down", 2048, 512, 7, 1, 1},
        {"R50 l4 ds s2", 1024, 2048, 14, 1, 2},   {"R50 l4.0 1x1", 1024, 512, 14, 1, 1},
        {"R50 l3 3x3", 256, 256, 14, 3, 1},       {"R50 l3 1x1 up", 256, 1024, 14, 1, 1},
        {"R50 l3 1x1 down", 1024, 256, 14, 1, 1}, {"R18 l4 3x3 s2", 256, 512, 14, 3, 2},
        {"R18 l3 3x3", 256, 256, 14, 3, 1},       {"MBv2 last 1x1", 320, 1280, 7, 1, 1},
        {"DN121 trans3", 1024, 512, 14, 1, 1},    {"R50 l2 3x3", 128, 128, 28, 3, 1},
        {"MBv2 7x7 1x1 up", 160, 960, 7, 1, 1},   {"MBv2 7x7 1x1 down", 960, 160, 7, 1, 1},
        {"DN121 b4 1x1", 1024, 128, 7, 1, 1},     {"DN121 b4 1x1 small", 512, 128, 7, 1, 1},
        {"R18 l4 3x3", 512, 512, 7, 3, 1},        {"odd 3x3", 200, 120, 7, 3, 1},
        {"RegNetY last 1x1", 440, 440, 7, 1, 1},  {"MBv2 7x7 1x1 proj", 960, 320, 7, 1, 1},
    };
    ThreadScope scope(threads);
    const auto f32 = memory::data_type::f32;
    std::printf(
        "| conv (in->out, k, stride, map) | weights MB | oneDNN impls: CPU ms | "
        "SmallMapConv CPU ms | best oneDNN / SmallMapConv |\n| --- | ---: | --- | ---: | ---: |\n");
    for (const Shape& s : shapes) {
        if (!only.empty() && std::string(s.where).find(only) == std::string::npos)
            continue;
        const int64_t pad = s.k / 2, out = (s.hw + 2 * pad - s.k) / s.stride + 1;
        const auto x = random(size_t(s.cin * s.hw * s.hw), 1);
        const auto w = random(size_t(s.cout * s.cin * s.k * s.k), 2);
        const auto b = random(size_t(s.cout), 3);
        const memory::desc src({1, s.cin, s.hw, s.hw}, f32, tag::aBcd16b),
            dst({1, s.cout, out, out}, f32, tag::aBcd16b),
            wAny({s.cout, s.cin, s.k, s.k}, f32, tag::any), bias({s.cout}, f32, tag::x);
        memory xm(src, cpuEngine()), ym(dst, cpuEngine()),
            bm(bias, cpuEngine(), const_cast<float*>(b.data()));
        std::memset(xm.get_data_handle(), 0, src.get_size());
        std::memcpy(xm.get_data_handle(), x.data(), x.size() * 4); // values only matter for time
        dnnl::post_ops ops;
        ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0, 0);
        dnnl::primitive_attr attr;
        attr.set_post_ops(ops);
        std::string cells;
        double best = 1e30;
        for (auto alg :
             {dnnl::algorithm::convolution_direct, dnnl::algorithm::convolution_winograd}) {
            dnnl::convolution_forward::primitive_desc pd;
            try {
                pd = dnnl::convolution_forward::primitive_desc(
                    dnnl::convolution_forward::desc(dnnl::prop_kind::forward_inference, alg, src,
                                                    wAny, bias, dst, {s.stride, s.stride}, {0, 0},
                                                    {pad, pad}, {pad, pad}),
                    attr, cpuEngine());
            } catch (const dnnl::error&) {
                continue;
            }
            do {
                const std::string impl = pd.impl_info_str();
                if (impl.rfind("ref", 0) == 0)
                    continue;
                if (pd.src_desc() != src || pd.dst_desc() != dst)
                    continue; // another layout would add reorders in a network
                memory wm(pd.weights_desc(), cpuEngine());
                memory plain({{s.cout, s.cin, s.k, s.k}, f32, tag::oihw}, cpuEngine(),
                             const_cast<float*>(w.data()));
                dnnl::reorder(plain, wm).execute(cpuStream(), plain, wm);
                dnnl::convolution_forward prim(pd);
                const double ms = medianMs(iterations, hot, [&] {
                    prim.execute(cpuStream(), {{DNNL_ARG_SRC, xm},
                                               {DNNL_ARG_WEIGHTS, wm},
                                               {DNNL_ARG_BIAS, bm},
                                               {DNNL_ARG_DST, ym}});
                    cpuStream().wait();
                });
                best = std::min(best, ms);
                char buf[128];
                std::snprintf(buf, sizeof buf, "%s%s %.3f", cells.empty() ? "" : ", ", impl.c_str(),
                              ms);
                cells += buf;
            } while (pd.next_impl());
        }
        SmallMapConv::Geometry g;
        g.channels = s.cin;
        g.outChannels = s.cout;
        g.height = g.width = s.hw;
        g.kernelH = g.kernelW = s.k;
        g.strideH = g.strideW = s.stride;
        g.padTop = g.padLeft = pad;
        g.outHeight = g.outWidth = out;
        SmallMapConv conv(g, w.data(), b.data(), SmallMapConv::Activation::Relu);
        const double ours = medianMs(iterations, hot, [&] {
            conv.run(static_cast<const float*>(xm.get_data_handle()), nullptr,
                     static_cast<float*>(ym.get_data_handle()), 1, threads);
        });
        std::printf("| %s %lld->%lld k%lld s%lld %lldx%lld | %.2f | %s | %.3f | %.2f |\n", s.where,
                    (long long)s.cin, (long long)s.cout, (long long)s.k, (long long)s.stride,
                    (long long)s.hw, (long long)s.hw, s.cout * s.cin * s.k * s.k * 4 / 1048576.0,
                    cells.c_str(), ours, best / ours);
        std::fflush(stdout);
    }
}
