#include "project/model_version.h"

#include <array>
#include <utility>

namespace lb::project {

namespace {
constexpr std::array<std::pair<EncodingsOrigin, const char*>, 5> kOrigins{{
    {EncodingsOrigin::Calibrated, "calibrated"},
    {EncodingsOrigin::MixedPrecision, "mixed-precision"},
    {EncodingsOrigin::Edited, "edited"},
    {EncodingsOrigin::Imported, "imported"},
    {EncodingsOrigin::Recovered, "recovered"},
}};
} // namespace

std::string originName(EncodingsOrigin origin) {
    for (const auto& [value, name] : kOrigins)
        if (value == origin)
            return name;
    return "calibrated";
}

std::optional<EncodingsOrigin> originFromName(const std::string& name) {
    for (const auto& [value, text] : kOrigins)
        if (name == text)
            return value;
    return std::nullopt;
}

std::string EncodingsVersion::label() const {
    if (origin == EncodingsOrigin::Imported && !source.empty())
        return "imported from " + source;
    return originName(origin);
}

ModelVersion::ModelVersion(std::string path, std::string sha256,
                           std::map<std::string, Shape> inputShapes)
    : m_path(std::move(path)), m_sha256(std::move(sha256)), m_inputShapes(std::move(inputShapes)) {}

void ModelVersion::setGraph(std::shared_ptr<const ir::Graph> graph,
                            std::shared_ptr<const report::ModelSummary> summary) {
    m_graph = std::move(graph);
    m_summary = std::move(summary);
    m_nodeMap = std::make_shared<const NodeMap>(m_graph);
    for (Run& run : m_runs)
        run.nodes = m_graph ? std::make_shared<const NodeMap>(m_graph, run.report) : nullptr;
}

const Run& ModelVersion::addRun(run::RunSpec spec,
                                std::shared_ptr<const report::ProfileReport> report) {
    Run run{std::move(spec), std::move(report), nullptr};
    if (m_graph)
        run.nodes = std::make_shared<const NodeMap>(m_graph, run.report);
    m_runs.push_back(std::move(run));
    return m_runs.back();
}

const EncodingsVersion* ModelVersion::currentEncodings() const {
    return m_encodings.empty() ? nullptr : &m_encodings.back();
}

const EncodingsVersion& ModelVersion::addEncodings(EncodingsVersion version) {
    m_encodings.push_back(std::move(version));
    m_editing = false;
    return m_encodings.back();
}

void ModelVersion::recordEdit(const quant::EncodingSet& encodings) {
    if (m_editing) {
        // The snapshot the edits started from is the one before the Edited version.
        const EncodingsVersion* base =
            m_encodings.size() >= 2 ? &m_encodings[m_encodings.size() - 2] : nullptr;
        if (base && base->encodings && *base->encodings == encodings) {
            m_encodings.pop_back(); // every edit undone
            m_editing = false;
            return;
        }
        m_encodings.back().encodings = std::make_shared<const quant::EncodingSet>(encodings);
        m_encodings.back().report.reset();
        return;
    }
    const EncodingsVersion* base = currentEncodings();
    if (!base)
        return; // no snapshot to edit (an empty table on a fresh version)
    if (base->encodings && *base->encodings == encodings)
        return; // nothing changed (a save's clean state, an undo to it)
    EncodingsVersion edited;
    edited.origin = EncodingsOrigin::Edited;
    edited.encodings = std::make_shared<const quant::EncodingSet>(encodings);
    edited.file = base->file;
    edited.format = base->format;
    m_encodings.push_back(std::move(edited));
    m_editing = true;
}

void ModelVersion::setEncodingsSaved(const std::string& file, quant::EncodingsFormat format) {
    if (m_encodings.empty())
        return;
    m_encodings.back().file = file;
    m_encodings.back().format = format;
    m_editing = false;
}

void ModelVersion::setEncodingsReport(const quant::EncodingSet& measured,
                                      std::shared_ptr<const report::QuantReport> report) {
    if (m_encodings.empty() || !m_encodings.back().encodings ||
        !(*m_encodings.back().encodings == measured))
        return;
    m_encodings.back().report = std::move(report);
}

} // namespace lb::project
