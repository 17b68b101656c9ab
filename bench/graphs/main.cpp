// lb-bench-graphs: writes the synthetic benchmark graphs as ONNX files and reads each back
// through the importer (onnx checker + shape inference).
//   lb-bench-graphs OUT_DIR [--sizes 1000,10000,100000] [--families chain,residual,transformer]
#include "core/error.h"
#include "onnx/exporter.h"
#include "onnx/importer.h"
#include "synthetic_graphs.h"

#include <filesystem>
#include <iostream>
#include <sstream>

namespace {

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> items;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty())
            items.push_back(item);
    return items;
}

} // namespace

int main(int argc, char** argv) {
    try {
        if (argc < 2) {
            std::cerr << "usage: lb-bench-graphs OUT_DIR [--sizes N,...] [--families F,...]\n";
            return 2;
        }
        const std::filesystem::path outDir = argv[1];
        std::vector<std::string> sizes = {"1000", "10000", "100000"};
        std::vector<std::string> families = {"chain", "residual", "transformer"};
        for (int i = 2; i + 1 < argc; i += 2) {
            const std::string flag = argv[i];
            if (flag == "--sizes")
                sizes = splitList(argv[i + 1]);
            else if (flag == "--families")
                families = splitList(argv[i + 1]);
            else
                lb::fail("lb-bench-graphs: unknown option ", lb::quoted(flag));
        }
        std::filesystem::create_directories(outDir);
        for (const std::string& familyText : families) {
            for (const std::string& sizeText : sizes) {
                const auto family = lb::bench::parseFamily(familyText);
                const size_t size = std::stoul(sizeText);
                const lb::ir::Graph graph = lb::bench::makeSyntheticGraph(family, size);
                const auto path = outDir / (lb::bench::syntheticGraphName(family, size) + ".onnx");
                lb::onnx::saveModel(graph, path.string());
                // Read it back through the importer: onnx checker and shape inference.
                const lb::onnx::ImportResult check = lb::onnx::importModel(path.string());
                if (check.graph.nodeCount() != graph.nodeCount())
                    lb::fail(lb::quoted(path.string()), ": wrote ", graph.nodeCount(),
                             " nodes, read back ", check.graph.nodeCount());
                std::cout << path.string() << '\t' << graph.nodeCount() << " nodes\t"
                          << std::filesystem::file_size(path) << " bytes\t" << check.warnings.size()
                          << " import warnings" << std::endl;
                for (const std::string& warning : check.warnings)
                    std::cout << "  warning: " << warning << '\n';
            }
        }
    } catch (const std::exception& e) {
        std::cerr << "lb-bench-graphs: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
