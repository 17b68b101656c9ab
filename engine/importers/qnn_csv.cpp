// qnn-profile-viewer's CSV: one line per profiling event of a QNN run (qnn-net-run
// --profiling_level basic|detailed), with the columns ONNX Runtime's QNN execution provider
// writes too ("in a similar format to QNN SDK Tools", ORT commit e833d22, qnn_backend_manager.cc):
//   Msg Timestamp,Message,Time,Unit of Measurement,Timing Source,Event Level,Event Identifier
//   0,EXECUTE,3100,US,BACKEND,ROOT,NULL                          <- one graph execution
//   0,BACKEND,2800,US,BACKEND,SUB-EVENT,Accelerator (execute) time
//   0,BACKEND,5600000,CYCLES,BACKEND,SUB-EVENT,Accelerator (execute) time (cycles)
//   0,NODE,6000,CYCLES,BACKEND,SUB-EVENT,conv1:OpId_7 (cycles)    <- one op of that execution
// Units: US, CYCLES, COUNT, BYTES. Op rows in cycles (the HTP's detailed level) become time
// through the same run's accelerator time / accelerator cycles. Columns are found by name; any
// order and extra columns are accepted.
#include "core/error.h"
#include "importers/import_util.h"
#include "importers/profile_import.h"

#include <map>

namespace lb::importers {

namespace {

// One CSV record (RFC 4180 quotes; no line breaks inside fields, as QNN writes none).
std::vector<std::string> splitCsv(const std::string& line, const std::string& where) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"')
                fields.back() += line[++i];
            else if (c == '"')
                quoted = false;
            else
                fields.back() += c;
        } else if (c == '"')
            quoted = true;
        else if (c == ',')
            fields.emplace_back();
        else if (c != '\r')
            fields.back() += c;
    }
    if (quoted)
        fail(where, ": unterminated quote");
    for (std::string& f : fields) {
        const size_t b = f.find_first_not_of(' '), e = f.find_last_not_of(' ');
        f = b == std::string::npos ? "" : f.substr(b, e - b + 1);
    }
    return fields;
}

// "conv1:OpId_7 (cycles)" -> "conv1"; "Input OpId_2 (cycles)" -> "Input"
std::string opName(std::string id) {
    for (const char* unit : {" (cycles)", " (us)", " (US)"})
        if (id.size() > std::string(unit).size() &&
            id.compare(id.size() - std::string(unit).size(), std::string::npos, unit) == 0)
            id.resize(id.size() - std::string(unit).size());
    for (const char* sep : {":OpId_", " OpId_"})
        if (const size_t at = id.rfind(sep); at != std::string::npos && at > 0) {
            id.resize(at);
            break;
        }
    return id;
}

struct Op {
    double us = 0, cycles = 0;
};

} // namespace

report::ProfileReport importQnnCsv(const std::string& file, const std::string& text) {
    std::vector<std::string> lines;
    for (size_t at = 0; at < text.size();) {
        const size_t end = std::min(text.find('\n', at), text.size());
        lines.push_back(text.substr(at, end - at));
        at = end + 1;
    }
    if (lines.empty())
        fail(file, ": empty");
    if (lines[0].rfind("\xEF\xBB\xBF", 0) == 0)
        lines[0].erase(0, 3);
    const std::vector<std::string> header = splitCsv(lines[0], file + ": line 1");
    const auto column = [&](const char* name) {
        for (size_t i = 0; i < header.size(); ++i)
            if (header[i] == name)
                return i;
        fail(file, ": line 1: no column \"", name,
             "\" (qnn-profile-viewer's CSV has Message, Time, "
             "Unit of Measurement, Event Level, Event Identifier)");
    };
    const size_t cMessage = column("Message"), cTime = column("Time"),
                 cUnit = column("Unit of Measurement"), cLevel = column("Event Level"),
                 cId = column("Event Identifier");

    std::vector<std::string> order; // ops in first-seen order
    std::map<std::string, Op> ops;
    std::vector<double> runsUs;
    double accelUs = 0, accelCycles = 0;
    bool htp = false;
    for (size_t n = 1; n < lines.size(); ++n) {
        const std::string where = file + ": line " + std::to_string(n + 1);
        if (lines[n].find_first_not_of(" \r") == std::string::npos)
            continue;
        const std::vector<std::string> f = splitCsv(lines[n], where);
        if (f.size() < header.size())
            fail(where, ": ", f.size(), " fields, the header has ", header.size());
        double value = 0;
        try {
            size_t used = 0;
            value = std::stod(f[cTime], &used);
            if (used != f[cTime].size())
                throw std::invalid_argument(f[cTime]);
        } catch (const std::exception&) {
            fail(where, ": Time ", quoted(f[cTime]), " is not a number");
        }
        const std::string& unit = f[cUnit];
        if (unit != "US" && unit != "CYCLES" && unit != "COUNT" && unit != "BYTES")
            fail(where, ": Unit of Measurement ", quoted(unit),
                 " is not US, CYCLES, COUNT or BYTES");
        const std::string& message = f[cMessage];
        const std::string& id = f[cId];
        if (id.find("HVX") != std::string::npos || id.find("Accelerator") != std::string::npos)
            htp = true;
        if (message == "EXECUTE" && f[cLevel] == "ROOT") {
            if (unit != "US")
                fail(where, ": EXECUTE time in ", unit, ", expected US");
            runsUs.push_back(value);
        } else if (message == "NODE") {
            const std::string name = opName(id);
            if (name.empty() || name == "NULL")
                fail(where, ": NODE event without an Event Identifier (the op's name)");
            auto [it, added] = ops.try_emplace(name);
            if (added)
                order.push_back(name);
            (unit == "US" ? it->second.us : it->second.cycles) += value;
        } else if (id == "Accelerator (execute) time" && unit == "US") {
            accelUs += value;
        } else if (id == "Accelerator (execute) time (cycles)" && unit == "CYCLES") {
            accelCycles += value;
        }
    }
    if (ops.empty() && runsUs.empty())
        fail(file, ": no EXECUTE or NODE events (was the run profiled with --profiling_level?)");

    const std::string target = htp ? "qnn-htp" : "qnn";
    report::ProfileReport r = detail::importedReport(file, target);
    r.backend = "qnn";
    for (double us : runsUs)
        r.runsMs.push_back(us / 1000.0);
    const double runs = runsUs.empty() ? 1.0 : static_cast<double>(runsUs.size());
    const double usPerCycle = accelCycles > 0 && accelUs > 0 ? accelUs / accelCycles : 0.0;
    bool unconverted = false;
    for (const std::string& name : order) {
        const Op& op = ops.at(name);
        report::NodeProfile node;
        node.id = static_cast<uint32_t>(r.nodes.size());
        node.name = name;
        node.covers = {name};
        node.backend = target;
        node.macs = -1;
        double us = op.us + op.cycles * usPerCycle;
        if (op.cycles > 0 && usPerCycle == 0)
            unconverted = true;
        node.timeMs = us / runs / 1000.0;
        r.nodes.push_back(std::move(node));
    }
    if (unconverted)
        r.warnings.push_back(file + ": op times are in cycles and the file has no accelerator "
                                    "time to convert them; those rows show 0 ms");
    if (runsUs.empty())
        r.warnings.push_back(file + ": no EXECUTE events; the latency is unknown");
    r.notes.push_back(
        "imported from a qnn-profile-viewer CSV: " + std::to_string(r.nodes.size()) + " ops over " +
        std::to_string(runsUs.size()) + " executions" +
        (usPerCycle > 0 ? ", op cycles converted at the accelerator's us per cycle" : ""));
    detail::finishReport(r);
    return r;
}

} // namespace lb::importers
