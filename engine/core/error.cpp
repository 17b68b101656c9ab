#include "core/error.h"

#include <cstdio>

namespace lb {

std::string quoted(const std::string& name) {
    std::string out = "'";
    for (unsigned char c : name) {
        if (c < 0x20 || c == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    out += "'";
    return out;
}

} // namespace lb
