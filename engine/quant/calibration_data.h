#pragma once

#include "quant/calibration.h"
#include "quant/image_calibration.h"

#include <string>
#include <vector>

namespace lb::quant {

// Calibration samples from a path: a QNN-style input_list.txt (runtime::loadInputList), or a
// folder of .npy files, one sample per file in name order, or (when it has no .npy file) a
// folder of images turned into inputs by `images` (loadImageFolder). Folders need a
// single-input model (a multi-input model needs an input list). Throws lb::Error naming the
// path when it holds no usable sample, or the file that cannot be read.
std::vector<Sample> loadCalibrationSamples(const ir::Graph& graph, const std::string& path,
                                           const ImagePreprocess& images = {});

// `count` random samples (runtime::randomInputs with seeds seed, seed + 1, ...): only for trying
// the tools out; ranges calibrated on uniform noise say little about real data.
std::vector<Sample> randomSamples(const ir::Graph& graph, int count, uint64_t seed);

} // namespace lb::quant
