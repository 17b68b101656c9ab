// Runs ONNX Runtime (onnxruntime-node through bench/ort_run.js) for the tests that compare with
// it. The including test target defines LB_ORT_RUN_JS (tests/engine/CMakeLists.txt); LB_NODE
// overrides the node executable. node or onnxruntime-node missing is a failure, not a skip.
#pragma once

#include "core/tensor.h"
#include "onnx/tensor_io.h"
#include "shell_test_util.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#ifndef LB_ORT_RUN_JS
#error "the test target must define LB_ORT_RUN_JS (the path of bench/ort_run.js)"
#endif

namespace lb::test {

// `node bench/ort_run.js ARGS` (ARGS already quoted), its stderr kept in DIR/ort.err and shown
// when it fails.
inline void runOrtScript(const std::string& args, const std::filesystem::path& dir) {
    const std::string exe = std::getenv("LB_NODE") ? std::getenv("LB_NODE") : "node";
    const std::string cmd = quote(exe) + " " + quote(LB_ORT_RUN_JS) + " " + args + " 2> " +
                            quote((dir / "ort.err").string());
    const int rc = std::system(cmd.c_str());
    std::ifstream errFile(dir / "ort.err");
    std::stringstream err;
    err << errFile.rdbuf();
    INFO("command: " << cmd << "\nstderr: " << err.str());
    REQUIRE(rc == 0);
}

// One run of `model` at 1 thread on the given .npy files (input name -> file); returns ORT's
// outputs keyed by file stem (runtime::safeFileName of the output name, as the CLI writes them).
inline std::map<std::string, Tensor> runOrtOnFiles(const std::string& model,
                                                   const std::map<std::string, std::string>& inputs,
                                                   const std::filesystem::path& dir) {
    const std::filesystem::path outDir = dir / "ort";
    std::string args = quote(model) + " --threads 1 --warmup 0 --iterations 1 --outputs " +
                       quote(outDir.string()) + " --json " + quote((dir / "ort.json").string());
    for (const auto& [name, file] : inputs)
        args += " --input " + quote(name + "=" + file);
    runOrtScript(args, dir);
    std::map<std::string, Tensor> outputs;
    for (const auto& entry : std::filesystem::directory_iterator(outDir))
        outputs[entry.path().stem().string()] = onnx::readNpy(entry.path().string());
    return outputs;
}

// The same, writing `feeds` as DIR/<name>.npy first.
inline std::map<std::string, Tensor> runOrt(const std::string& model,
                                            const std::map<std::string, Tensor>& feeds,
                                            const std::filesystem::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& [name, tensor] : feeds) {
        const std::filesystem::path file = dir / (name + ".npy");
        onnx::writeNpy(file.string(), tensor);
        files[name] = file.string();
    }
    return runOrtOnFiles(model, files, dir);
}

// The largest |ours - reference| (a non-finite value of ours counts as infinite), where it is,
// and the largest |reference|.
struct MaxDiff {
    double maxAbs = 0;
    double maxRef = 0;
    int64_t worst = -1;
    double relative() const { return maxRef > 0 ? maxAbs / maxRef : maxAbs; }
};

inline MaxDiff maxDiff(const Tensor& ours, const Tensor& reference) {
    MaxDiff d;
    for (int64_t i = 0; i < reference.numel(); ++i) {
        const double r = reference.valueAsDouble(i);
        const double o = ours.valueAsDouble(i);
        d.maxRef = std::max(d.maxRef, std::fabs(r));
        const double e = std::isfinite(o) ? std::fabs(o - r) : INFINITY;
        if (e > d.maxAbs || d.worst < 0) {
            d.maxAbs = e;
            d.worst = i;
        }
    }
    return d;
}

} // namespace lb::test
