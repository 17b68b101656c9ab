#pragma once

#include "core/shape.h"
#include "ir/graph.h"
#include "project/node_map.h"
#include "quant/encoding_probe.h"
#include "quant/encoding_set.h"
#include "quant/encodings_json.h"
#include "report/model_summary.h"
#include "report/profile_report.h"
#include "report/quant_report.h"
#include "run/run_spec.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lb::project {

// One timed run of a model version: what was asked and what came back.
struct Run {
    run::RunSpec spec;
    std::shared_ptr<const report::ProfileReport> report;
    // The report's rows on the version's graph (null while the version's graph is not loaded).
    std::shared_ptr<const NodeMap> nodes;
};

// Where a set of encodings came from. Kept as a kind, not as words, so each front end says it in
// its user's language.
enum class EncodingsOrigin {
    Calibrated,     // computed from calibration data
    MixedPrecision, // calibrated, then tensors promoted to 16 bit until a target SQNR
    Edited,         // the user's edits of the version before it
    Imported,       // read from an encodings file (`source`)
    Recovered,      // unsaved edits an earlier session left in its autosave
};
std::string originName(EncodingsOrigin origin); // "calibrated", "mixed-precision", ...
std::optional<EncodingsOrigin> originFromName(const std::string& name);

// One snapshot in a model version's history of encodings.
struct EncodingsVersion {
    EncodingsOrigin origin = EncodingsOrigin::Calibrated;
    std::shared_ptr<const quant::EncodingSet> encodings;
    std::string source; // Imported: the file read
    // The file a save writes without asking ("" asks where): the one they were imported from
    // whole or last written to, carried over to the edits that follow.
    std::string file;
    quant::EncodingsFormat format = quant::EncodingsFormat::V100; // of `file`
    // Their analysis on the calibration data, when measured (a re-analysis of an import, the
    // calibration's own); re-measures of single tensors do not replace it.
    std::shared_ptr<const report::QuantReport> report;

    // "calibrated", "edited", "imported from cls_encodings.json", ...: for logs and the CLI.
    std::string label() const;
};

// A model as one file's bytes: the file, its SHA-256, the graph imported from it with the input
// shapes it was opened with, its summary, and what was done with it: runs and encodings. The
// graph and summary are immutable snapshots shared with the views and the engine worker; the
// lists grow on the one thread that owns the project. A version read from a project file has
// no graph until loadModelVersion() reads the model again (project/open_model.h).
class ModelVersion {
public:
    ModelVersion() = default;
    ModelVersion(std::string path, std::string sha256, std::map<std::string, Shape> inputShapes);

    const std::string& path() const { return m_path; }
    const std::string& sha256() const { return m_sha256; }
    const std::map<std::string, Shape>& inputShapes() const { return m_inputShapes; }
    // What sets the version apart ("original", or the change the advisor made); its parent is the
    // index in the project of the version it was made from (-1: none).
    const std::string& label() const { return m_label; }
    void setLabel(std::string label) { m_label = std::move(label); }
    int parent() const { return m_parent; }
    void setParent(int parent) { m_parent = parent; }

    bool isLoaded() const { return m_graph != nullptr; }
    const std::shared_ptr<const ir::Graph>& graph() const { return m_graph; }
    const std::shared_ptr<const report::ModelSummary>& summary() const { return m_summary; }
    // The graph alone (names, tensors): what the quantization views map tensors with.
    const std::shared_ptr<const NodeMap>& nodeMap() const { return m_nodeMap; }
    // Sets the graph and summary (an open, or a load of a version read from a project file) and
    // maps every run's report onto the graph.
    void setGraph(std::shared_ptr<const ir::Graph> graph,
                  std::shared_ptr<const report::ModelSummary> summary);

    // Runs, oldest first.
    const std::vector<Run>& runs() const { return m_runs; }
    const Run* lastRun() const { return m_runs.empty() ? nullptr : &m_runs.back(); }
    // Records a finished run, its rows mapped onto the graph.
    const Run& addRun(run::RunSpec spec, std::shared_ptr<const report::ProfileReport> report);

    // Encodings versions, oldest first; the last is the current one.
    const std::vector<EncodingsVersion>& encodingsVersions() const { return m_encodings; }
    const EncodingsVersion* currentEncodings() const;
    // A new snapshot (a calibration, an import, a recovery). Edits after it start a new
    // Edited version.
    const EncodingsVersion& addEncodings(EncodingsVersion version);
    // The encodings after an edit (or an undo). The first edit after a snapshot appends an Edited
    // version (its file and format carried over); later ones replace its encodings, so a drag of
    // a hundred steps is one version. Undone back to the snapshot's encodings, it goes again.
    // Without a snapshot there is nothing to edit: ignored.
    void recordEdit(const quant::EncodingSet& encodings);
    // The current encodings were written to `file`: a save writes there again, and the next edit
    // starts a new Edited version.
    void setEncodingsSaved(const std::string& file, quant::EncodingsFormat format);
    // An analysis of `measured`: kept with the current version if those are its encodings.
    void setEncodingsReport(const quant::EncodingSet& measured,
                            std::shared_ptr<const report::QuantReport> report);

    // The calibration samples and fp32 reference re-measures run against (null before a
    // calibration). Only the engine worker calls it; never saved in a project file.
    const std::shared_ptr<quant::EncodingProbe>& probe() const { return m_probe; }
    void setProbe(std::shared_ptr<quant::EncodingProbe> probe) { m_probe = std::move(probe); }

private:
    std::string m_path;
    std::string m_sha256;
    std::map<std::string, Shape> m_inputShapes;
    std::string m_label = "original";
    int m_parent = -1;
    std::shared_ptr<const ir::Graph> m_graph;
    std::shared_ptr<const report::ModelSummary> m_summary;
    std::shared_ptr<const NodeMap> m_nodeMap;
    std::vector<Run> m_runs;
    std::vector<EncodingsVersion> m_encodings;
    bool m_editing = false; // the last encodings version is Edited and takes further edits
    std::shared_ptr<quant::EncodingProbe> m_probe;
};

} // namespace lb::project
