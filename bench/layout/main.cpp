// lb-bench-layout: times layeredLayout on the synthetic graphs and on real models, and writes each
// LayoutGraph as JSON for bench/dagre_layout.js. One tab-separated line per graph on stdout:
//   name  nodes  edges  median_ms  min_ms  layout_width  layout_height  json_path
// Usage: lb-bench-layout JSON_DIR [--reps 5] [--sizes 1000,...] [--families chain,...]
//                                 [--model FILE.onnx]...
#include "core/error.h"
#include "layout/ir_layout_graph.h"
#include "onnx/importer.h"
#include "synthetic_graphs.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace {

using lb::layout::LayoutGraph;

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> items;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty())
            items.push_back(item);
    return items;
}

void writeJson(const LayoutGraph& g, const lb::layout::LayoutOptions& options,
               const std::filesystem::path& path) {
    nlohmann::json nodes = nlohmann::json::array();
    for (size_t i = 0; i < g.widths.size(); ++i)
        nodes.push_back({{"width", g.widths[i]}, {"height", g.heights[i]}});
    nlohmann::json edges = nlohmann::json::array();
    for (const auto& [a, b] : g.edges)
        edges.push_back({a, b});
    const nlohmann::json doc = {{"rankSeparation", options.rankSeparation},
                                {"nodeSeparation", options.nodeSeparation},
                                {"nodes", std::move(nodes)},
                                {"edges", std::move(edges)}};
    std::ofstream out(path);
    out << doc.dump();
    if (!out)
        lb::fail("lb-bench-layout: cannot write ", lb::quoted(path.string()));
}

void bench(const std::string& name, const LayoutGraph& g, int reps,
           const std::filesystem::path& jsonDir) {
    const lb::layout::LayoutOptions options;
    const auto jsonPath = jsonDir / (name + ".json");
    writeJson(g, options, jsonPath);
    std::vector<double> ms;
    lb::layout::LayoutResult result;
    for (int r = 0; r < reps; ++r) {
        const auto start = std::chrono::steady_clock::now();
        result = lb::layout::layeredLayout(g, options);
        const auto stop = std::chrono::steady_clock::now();
        ms.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
    }
    std::sort(ms.begin(), ms.end());
    std::cout << name << '\t' << g.widths.size() << '\t' << g.edges.size() << '\t'
              << ms[ms.size() / 2] << '\t' << ms.front() << '\t' << result.width << '\t'
              << result.height << '\t' << jsonPath.string() << std::endl;
}

} // namespace

int main(int argc, char** argv) {
    try {
        if (argc < 2) {
            std::cerr << "usage: lb-bench-layout JSON_DIR [--reps N] [--sizes N,...] "
                         "[--families F,...] [--model FILE.onnx]...\n";
            return 2;
        }
        const std::filesystem::path jsonDir = argv[1];
        int reps = 5;
        std::vector<std::string> sizes = {"1000", "10000", "100000"};
        std::vector<std::string> families = {"chain", "residual", "transformer"};
        std::vector<std::string> models;
        for (int i = 2; i + 1 < argc; i += 2) {
            const std::string flag = argv[i];
            if (flag == "--reps")
                reps = std::max(1, std::stoi(argv[i + 1]));
            else if (flag == "--sizes")
                sizes = splitList(argv[i + 1]);
            else if (flag == "--families")
                families = splitList(argv[i + 1]);
            else if (flag == "--model")
                models.push_back(argv[i + 1]);
            else
                lb::fail("lb-bench-layout: unknown option ", lb::quoted(flag));
        }
        std::filesystem::create_directories(jsonDir);
        for (const std::string& model : models) {
            const lb::onnx::ImportResult imported = lb::onnx::importModel(model);
            const auto g = lb::layout::layoutGraphFromIr(imported.graph);
            bench(std::filesystem::path(model).stem().string(), g.graph, reps, jsonDir);
        }
        for (const std::string& familyText : families) {
            for (const std::string& sizeText : sizes) {
                const auto family = lb::bench::parseFamily(familyText);
                const size_t size = std::stoul(sizeText);
                const auto g =
                    lb::layout::layoutGraphFromIr(lb::bench::makeSyntheticGraph(family, size));
                bench(lb::bench::syntheticGraphName(family, size), g.graph, reps, jsonDir);
            }
        }
    } catch (const std::exception& e) {
        std::cerr << "lb-bench-layout: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
