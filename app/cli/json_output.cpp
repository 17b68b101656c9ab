#include "json_output.h"

#include "core/error.h"

#include <fstream>
#include <nlohmann/json.hpp>

namespace lb::cli {

void writeJsonOutput(const std::string& path, const nlohmann::json& j, std::ostream& out) {
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

} // namespace lb::cli
