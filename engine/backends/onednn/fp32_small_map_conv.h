#pragma once

// A dense (group 1) 2-D convolution over a small map whose weights are large next to the map:
// ResNet's 7x7 stages (3x3 512 -> 512: 9.4 MB of weights for 49 pixels), the last 1x1s of
// MobileNet-like networks. oneDNN 2.6's direct kernels there read the weights once too, but stall
// on them: with the weights cold (as in a network, ~100 MB of them in ResNet-50) they take their
// hot time plus the weights at ~11 GB/s, 2/3 of the speed they reach on larger maps (measured
// numbers in conv_kernel.cpp). Here the convolution is a GEMM over pixels: the map (read in
// place, each output pixel's row pointing into it; a zero-bordered copy where the kernel pads)
// times the weights packed once into 64-column panels; each panel is streamed once per image in K
// chunks, prefetched ahead of the compute, that stay in cache while every pixel row block uses
// them.
//
// Activations are in oneDNN's nChw16c layout (aBcd16b: channel blocks of 16, padding channels
// zero), input and output, so the kernel sits between blocked oneDNN primitives with no reorder.
// Bias, a residual Z in the same layout, and ReLU / clip are applied when the last K chunk is
// stored. AVX-512 only: available() says whether this CPU can run it.

#include <cstdint>
#include <memory>
#include <vector>

namespace lb::backends::onednn {

class SmallMapConv {
public:
    struct Geometry {
        int64_t channels = 0, outChannels = 0; // C and M (any count; blocks padded to 16)
        int64_t height = 0, width = 0;         // input map
        int64_t kernelH = 1, kernelW = 1, strideH = 1, strideW = 1, padTop = 0, padLeft = 0;
        int64_t outHeight = 0, outWidth = 0;
    };
    // What follows the sum: nothing, max(x, 0), or min(max(x, lo), hi).
    enum class Activation { None, Relu, Clip };

    static bool available();
    // weights: M x C x kH x kW (ONNX's OIHW); bias: M values or null.
    SmallMapConv(const Geometry& g, const float* weights, const float* bias,
                 Activation activation = Activation::None, float lo = 0.0f, float hi = 0.0f);

    // x: batch images of C x H x W in nChw16c; z (or null): the output's shape and layout;
    // y: batch x M x outH x outW in nChw16c, not overlapping z or x. Not reentrant (one padded-map
    // buffer). Panels are split across `threads` (OpenMP).
    void run(const float* x, const float* z, float* y, int64_t batch, int threads) const;

    // Bytes of packed weights (what one inference streams).
    int64_t weightBytes() const;

    static constexpr int64_t kPanel = 64; // output channels per panel: 4 zmm registers a row

private:
    Geometry m_g;
    int64_t m_inBlocks, m_outBlocks, m_k, m_panels, m_pixels;
    Activation m_activation;
    float m_lo, m_hi;
    std::shared_ptr<float[]> m_packed; // m_panels x K x kPanel, zero past M and in padding
    std::shared_ptr<float[]> m_bias;   // m_panels * kPanel values
    // The GEMM's A is read in place: row p (an output pixel) at m_pixelOffsets[p] of the map,
    // K block kb (tap, input channel block) m_blockOffsets[kb] further. The map is the input,
    // or where the taps reach past it a zero-bordered copy m_paddedH x m_paddedW in m_map.
    int64_t m_paddedH = 0, m_paddedW = 0;
    bool m_padded = false;
    std::shared_ptr<float[]> m_map;
    std::vector<int64_t> m_pixelOffsets, m_blockOffsets;
};

} // namespace lb::backends::onednn
