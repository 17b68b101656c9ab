#include "quant/calibration_data.h"

#include "core/error.h"
#include "onnx/tensor_io.h"
#include "runtime/inputs.h"

#include <algorithm>
#include <filesystem>

namespace lb::quant {

namespace fs = std::filesystem;

std::vector<Sample> loadCalibrationSamples(const ir::Graph& graph, const std::string& path,
                                           const ImagePreprocess& images) {
    if (!fs::exists(path))
        fail(path, ": no such file or folder (expected an input_list.txt or a folder of .npy "
                   "files or images)");
    if (!fs::is_directory(path)) {
        std::vector<Sample> samples = runtime::loadInputList(graph, path, onnx::readValueFile);
        if (samples.empty())
            fail(path, ": the input list has no samples");
        return samples;
    }
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(path))
        if (entry.is_regular_file() && entry.path().extension() == ".npy")
            files.push_back(entry.path());
    if (files.empty())
        return loadImageFolder(graph, path, images);
    const std::vector<ir::ValueId> inputs = runtime::realInputs(graph);
    if (inputs.size() != 1)
        fail(path, ": a folder of .npy files needs a single-input model, this one has ",
             inputs.size(), " inputs (use an input_list.txt with name:=path entries)");
    std::sort(files.begin(), files.end());
    std::vector<Sample> samples;
    const std::string& name = graph.value(inputs.front()).name;
    for (const fs::path& f : files)
        samples.push_back(
            runtime::loadInputFiles(graph, {{name, f.string()}}, onnx::readValueFile));
    return samples;
}

std::vector<Sample> randomSamples(const ir::Graph& graph, int count, uint64_t seed) {
    std::vector<Sample> samples;
    for (int k = 0; k < count; ++k)
        samples.push_back(runtime::randomInputs(graph, seed + static_cast<uint64_t>(k)));
    return samples;
}

} // namespace lb::quant
