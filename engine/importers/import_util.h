#pragma once

// Helpers the importers share (internal to engine/importers).

#include "report/profile_report.h"

#include <string>

namespace lb::importers::detail {

// A report as every importer starts it: source "imported", the file named in `model` until a
// model is known, one thread, no warm-up.
report::ProfileReport importedReport(const std::string& file, const std::string& target);
// Fills what follows from runs and rows: latency statistics and throughput from runsMs,
// iterations, each row's share of the summed row time.
void finishReport(report::ProfileReport& report);

} // namespace lb::importers::detail
