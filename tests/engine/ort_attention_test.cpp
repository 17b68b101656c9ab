// ViT's self-attention (attention_graph_util.h) built in code, saved as ONNX and run through
// onnxruntime-node (bench/ort_run.js) and through the engine's own pipeline (profile::prepare:
// passes, backend auto = oneDNN with its attention lowering, and the reference backend alone):
// several head counts, odd sequence lengths, batch 2, the scale as Mul and as Div. Each output
// must agree with ORT's to max|ours - ort| / max|ort| <= 1e-5. A missing node or
// onnxruntime-node fails the test.
#include "attention_graph_util.h"
#include "onnx/exporter.h"
#include "onnx/importer.h"
#include "ort_run_util.h"
#include "profile/local_run.h"
#include "runtime/inputs.h"

#include <filesystem>
#include <iostream>
#include <unistd.h>

using namespace lb;
namespace fs = std::filesystem;

TEST_CASE("attention lowered on oneDNN agrees with ONNX Runtime", "[ort][attention]") {
    const std::vector<lbtest::AttentionSpec> specs = {
        {1, 197, 3, 64, false}, {2, 7, 4, 32, true}, {1, 50, 1, 16, false}, {2, 13, 6, 8, true}};
    for (const lbtest::AttentionSpec& a : specs) {
        DYNAMIC_SECTION("B" << a.batch << " S" << a.seq << " H" << a.heads << " D" << a.dim) {
            const fs::path dir =
                fs::temp_directory_path() / ("lb_ort_attention_" + std::to_string(::getpid()));
            fs::remove_all(dir);
            fs::create_directories(dir);
            const std::string model = (dir / "attention.onnx").string();
            onnx::saveModel(*lbtest::attentionGraph(a), model);
            const std::map<std::string, Tensor> feeds{
                {"qkv",
                 lbtest::randomTensor({a.batch, a.seq, 3 * a.heads * a.dim}, 21, -3.0f, 3.0f)}};
            const std::map<std::string, Tensor> ort = test::runOrt(model, feeds, dir);
            const auto y = ort.find("y");
            REQUIRE(y != ort.end());
            const onnx::ImportResult imported = onnx::importModel(model, {});
            for (const char* backend : {"auto", "reference"}) {
                profile::LocalRunOptions options;
                options.backend = backend;
                options.threads = 1;
                profile::PreparedModel prepared = profile::prepare(imported.graph, options);
                int strided = 0;
                for (const runtime::PlanStep& step : prepared.session->steps())
                    strided += prepared.session->graph().node(step.node).opType == "StridedMatMul";
                CHECK(strided == (std::string(backend) == "auto" ? 1 : 0));
                const std::vector<Tensor> outputs = prepared.session->run(feeds);
                REQUIRE(outputs.size() == 1);
                REQUIRE(outputs[0].shape() == y->second.shape());
                const test::MaxDiff d = test::maxDiff(outputs[0], y->second);
                std::cout << "ort_attention: " << backend
                          << ": max|ours-ort|/max|ort| = " << d.relative() << "\n";
                CHECK(d.maxRef > 0.05);
                CHECK(d.relative() <= 1e-5);
            }
            fs::remove_all(dir);
        }
    }
}
