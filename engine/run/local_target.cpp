#include "run/local_target.h"

#include "run/targets.h"

#include "backends/registry.h"
#include "core/error.h"
#include "core/sha256.h"
#include "onnx/importer.h"
#include "onnx/tensor_io.h"
#include "profile/local_run.h"
#include "quant/encodings_json.h"
#include "quant/fake_quant_transform.h"
#include "quant/int8_lowering.h"
#include "quant/name_check.h"
#include "runtime/inputs.h"

#include <chrono>
#include <filesystem>
#include <random>
#include <sstream>

namespace lb::run {

namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string shapesKey(const std::map<std::string, Shape>& shapes) {
    std::ostringstream s;
    for (const auto& [name, shape] : shapes)
        s << name.size() << ':' << name << '=' << shapeToString(shape) << ';';
    return s.str();
}

} // namespace

// One imported model (the graph as the user's names have it) and one session built from it.
struct LocalTarget::Entry {
    std::string importKey;  // model hash + input shapes
    std::string sessionKey; // importKey + everything else that shapes the session
    std::shared_ptr<const ir::Graph> imported;
    double importMs = 0;
    std::vector<std::string> importWarnings;
    profile::PreparedModel prepared;
    std::vector<std::string> notes;                  // from building the session (encodings, int8)
    std::vector<std::string> warnings;               // idem
    std::map<std::string, std::string> int8Declined; // node name -> why it runs simulated
};

LocalTarget::LocalTarget(size_t cachedSessions) : m_capacity(std::max<size_t>(1, cachedSessions)) {}

LocalTarget::~LocalTarget() = default;

void LocalTarget::clearCache() {
    m_cache.clear();
    m_hashes.clear();
}

std::string LocalTarget::hashOf(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code sizeError, timeError;
    const uintmax_t size = fs::file_size(path, sizeError);
    const fs::file_time_type modified = fs::last_write_time(path, timeError);
    if (!sizeError && !timeError)
        if (auto it = m_hashes.find(path);
            it != m_hashes.end() && it->second.size == size && it->second.modified == modified)
            return it->second.sha256;
    std::string sha = sha256File(path); // names the file when it cannot be read
    ++m_hashed;
    if (!sizeError && !timeError)
        m_hashes[path] = {size, modified, sha};
    return sha;
}

report::ProfileReport LocalTarget::run(const RunSpec& spec, const TaskContext& task) {
    const ResolvedTarget target = resolveTarget(spec.target, spec.int8, !spec.encodings.empty());
    if (!spec.inputList.empty() && !spec.inputFiles.empty())
        fail("run: give either input files or an input list, not both");
    task.report(0.0, "import");
    const std::string hash = hashOf(spec.model);
    const std::string encodingsHash = spec.encodings.empty() ? "" : hashOf(spec.encodings);

    // The imported graph: from the cache when this file (by hash) was imported with these shapes.
    auto findImport = [&](const std::string& key) -> const Entry* {
        for (const auto& e : m_cache)
            if (e->importKey == key)
                return e.get();
        return nullptr;
    };
    std::map<std::string, Shape> shapes = spec.inputShapes;
    std::shared_ptr<const ir::Graph> imported;
    double importMs = 0;
    std::vector<std::string> importWarnings;
    auto importWith = [&](const std::map<std::string, Shape>& s) {
        const std::string key = hash + '|' + shapesKey(s);
        if (const Entry* e = findImport(key)) {
            imported = e->imported;
            importWarnings = e->importWarnings;
            return;
        }
        const auto start = Clock::now();
        onnx::ImportOptions options;
        options.inputShapes = s;
        onnx::ImportResult result = onnx::importModel(spec.model, options, task.phase(0.0, 0.05));
        imported = std::make_shared<const ir::Graph>(std::move(result.graph));
        importWarnings = std::move(result.warnings);
        importMs += msSince(start);
    };
    importWith(shapes);
    task.checkCancelled();

    // Inputs from files fix the model's symbolic dims: import again with them so every
    // activation has a static size for the memory plan.
    std::map<std::string, Tensor> inputs;
    if (!spec.inputList.empty())
        inputs = runtime::loadInputList(*imported, spec.inputList, onnx::readValueFile).front();
    else if (!spec.inputFiles.empty())
        inputs = runtime::loadInputFiles(*imported, spec.inputFiles, onnx::readValueFile);
    bool reimport = false;
    for (const auto& [name, tensor] : inputs)
        if (tensor.kind() == ValueKind::Tensor && !shapes.count(name)) { // a sequence's vary
            shapes[name] = tensor.shape();
            reimport = true;
        }
    if (reimport)
        importWith(shapes);
    const std::string importKey = hash + '|' + shapesKey(shapes);

    std::ostringstream sessionKey;
    sessionKey << importKey << "|target=" << spec.target << "|threads=" << spec.threads
               << "|optimize=" << spec.optimize << "|encodings=" << encodingsHash
               << "|int8=" << target.int8;
    auto found = std::find_if(m_cache.begin(), m_cache.end(),
                              [&](const auto& e) { return e->sessionKey == sessionKey.str(); });
    Entry* entry = nullptr;
    const bool reused = found != m_cache.end();
    if (reused) {
        m_cache.splice(m_cache.begin(), m_cache, found); // most recent first
        entry = m_cache.front().get();
        ++m_reused;
    } else {
        auto fresh = std::make_unique<Entry>();
        fresh->importKey = importKey;
        fresh->sessionKey = sessionKey.str();
        fresh->imported = imported;
        fresh->importMs = importMs;
        fresh->importWarnings = importWarnings;
        profile::LocalRunOptions options;
        options.backend = target.backend;
        options.threads = spec.threads;
        options.optimize = spec.optimize || target.int8; // int8 is a lowering: it needs the passes
        options.roundFp16 = target.roundFp16;
        ir::Graph graph = *imported;
        std::shared_ptr<quant::Int8Lowering> int8;
        quant::FakeQuantResult int8Simulation;
        if (!spec.encodings.empty()) { // on the user's tensor names, before any pass
            const quant::EncodingSet set = quant::readEncodingsFile(spec.encodings);
            for (const auto& issues : {set.issues, quant::checkNames(set, graph)})
                for (const quant::EncodingIssue& i : issues)
                    fresh->warnings.push_back(spec.encodings + ": " + i.message);
            quant::FakeQuantResult simulation = quant::applyFakeQuant(graph, set);
            for (const std::string& s : simulation.skipped)
                fresh->warnings.push_back(spec.encodings + ": " + s);
            fresh->notes.push_back(
                "simulating quantization: " + std::to_string(simulation.activations) +
                " activations, " + std::to_string(simulation.params) + " params");
            if (target.int8) { // each backend lowers its own nodes to int8 (quant/int8_lowering.h)
                int8Simulation = std::move(simulation);
                int8 = std::make_shared<quant::Int8Lowering>(graph, set);
                options.int8 = int8;
            }
        }
        task.checkCancelled();
        fresh->prepared = profile::prepare(graph, options, task.phase(0.1, 0.2));
        if (int8) {
            const quant::Int8Result result =
                int8->result(fresh->prepared.session->graph(), std::move(int8Simulation));
            fresh->notes.push_back("int8: " + result.summary());
            fresh->int8Declined = result.simulated;
        }
        if (target.roundFp16)
            fresh->notes.push_back(
                "fp16 storage: " + std::to_string(fresh->prepared.session->roundedWeights()) +
                " weights and every float tensor a node writes rounded to fp16; the kernels "
                "compute in fp32");
        for (const runtime::LoweringReport& l : fresh->prepared.session->lowerings()) {
            std::string line = l.backend + " lowering:";
            for (const runtime::LoweringCount& c : l.rewrites)
                line += " " + c.rewrite + " " + std::to_string(c.count) + ",";
            line.pop_back();
            fresh->notes.push_back(line);
        }
        ++m_built;
        m_cache.push_front(std::move(fresh));
        while (m_cache.size() > m_capacity)
            m_cache.pop_back();
        entry = m_cache.front().get();
    }

    std::vector<std::string> notes = entry->notes;
    if (inputs.empty()) {
        const uint64_t seed = spec.seed ? *spec.seed : std::random_device{}();
        inputs = runtime::randomInputs(*imported, seed);
        notes.push_back("inputs: random, seed " + std::to_string(seed));
    } else {
        // Random values only when a file left an input out: every input given by file must run
        // whatever dtype or dims the random generator cannot make (int16, uint64, symbolic).
        bool missing = false;
        for (ir::ValueId v : runtime::realInputs(*imported))
            missing = missing || !inputs.count(imported->value(v).name);
        if (missing)
            for (auto& [name, tensor] :
                 runtime::randomInputs(*imported, spec.seed.value_or(1), inputs))
                inputs.emplace(name, std::move(tensor)); // files win
    }
    if (reused)
        notes.push_back("session reused: the model (same SHA-256) and settings ran before, so "
                        "import_ms and session_create_ms are 0");

    profile::LocalRunOptions options;
    options.backend = target.backend;
    options.threads = spec.threads;
    options.warmup = spec.warmup;
    options.iterations = spec.iterations;
    options.perNode = spec.perNode;
    report::ProfileReport r =
        profile::profileLocal(entry->prepared, spec.model, inputs, options, task.phase(0.2, 1.0));
    r.modelSha256 = hash;
    r.target = spec.target;
    r.precision = target.precision;
    r.importMs = reused ? 0.0 : entry->importMs;
    if (reused)
        r.sessionCreateMs = 0;
    r.notes = std::move(notes);
    r.warnings = entry->importWarnings;
    r.warnings.insert(r.warnings.end(), entry->warnings.begin(), entry->warnings.end());
    for (report::NodeProfile& n : r.nodes) {
        if (auto it = entry->int8Declined.find(n.name); it != entry->int8Declined.end())
            n.fallback = {"int8-declined", it->second};
        if (target.roundFp16 && n.precision == "fp32")
            n.precision = "fp16";
    }

    if (!spec.outputsDir.empty()) {
        namespace fs = std::filesystem;
        fs::create_directories(spec.outputsDir);
        runtime::Session& session = *entry->prepared.session;
        const std::vector<Tensor> outputs = session.run(inputs, nullptr, task);
        const std::vector<std::string> names = session.outputNames();
        // numpy has no sequences or optionals: those are written as ONNX's SequenceProto /
        // OptionalProto, the form ONNX's test data and onnx.numpy_helper use.
        for (size_t k = 0; k < outputs.size(); ++k) {
            const fs::path stem = fs::path(spec.outputsDir) / runtime::safeFileName(names[k]);
            if (outputs[k].kind() == ValueKind::Tensor)
                onnx::writeNpy(stem.string() + ".npy", outputs[k]);
            else
                onnx::writeValueProtoFile(stem.string() + ".pb", outputs[k], names[k]);
        }
    }
    return r;
}

} // namespace lb::run
