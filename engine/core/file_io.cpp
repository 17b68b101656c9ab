#include "core/file_io.h"

#include "core/error.h"

#include <fstream>
#include <sstream>

namespace lb {

std::string readFileBytes(const std::string& path, const std::string& openError) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        fail(quoted(path), openError);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad())
        fail(quoted(path), ": read error");
    return buffer.str();
}

void writeFileBytes(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out || !out.write(bytes.data(), static_cast<std::streamsize>(bytes.size())))
        fail(quoted(path), ": cannot write file");
}

} // namespace lb
