#include "report_output.h"

#include "core/error.h"

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

namespace lb::cli {

void writeJsonFile(const std::string& path, const nlohmann::json& j, std::ostream& out) {
    if (path == "-") {
        out << j.dump(2) << '\n';
        return;
    }
    std::ofstream f(path);
    if (!f)
        fail(path, ": cannot write");
    f << j.dump(2) << '\n';
    if (!f)
        fail(path, ": write failed");
}

std::string msText(double v) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(v < 10 ? 3 : 2) << v;
    return s.str();
}

std::string fallbackLine(const report::NodeProfile& n) {
    return n.name + " (" + n.op + "): " + n.fallback.code + " \u2014 " + n.fallback.text;
}

int fallbackCount(const report::ProfileReport& r) {
    return static_cast<int>(std::count_if(r.nodes.begin(), r.nodes.end(),
                                          [](const auto& n) { return !n.fallback.code.empty(); }));
}

} // namespace lb::cli
