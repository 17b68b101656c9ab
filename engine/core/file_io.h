#pragma once

#include <string>

namespace lb {

// A whole file's bytes. Fails with "'<path>'<openError>" when it cannot be opened and
// "<path>: read error" when reading stops early; `openError` says what the file was expected to
// be (": cannot open encodings file").
std::string readFileBytes(const std::string& path,
                          const std::string& openError = ": cannot open file");

// Replaces the file's contents with `bytes`; fails with "<path>: cannot write file".
void writeFileBytes(const std::string& path, const std::string& bytes);

} // namespace lb
