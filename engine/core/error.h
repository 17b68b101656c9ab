#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace lb {

// Every engine failure is an Error whose message is one line naming the file, node or tensor
// at fault and what was expected. Callers show what() as it is.
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Thrown when a long operation notices its cancellation token.
class Cancelled : public Error {
public:
    Cancelled() : Error("cancelled") {}
};

namespace detail {
template <typename... Args> std::string concat(const Args&... args) {
    std::ostringstream out;
    (out << ... << args);
    return out.str();
}
} // namespace detail

// fail("node '", name, "' (", op, "): expected 2 inputs, got ", n);
template <typename... Args> [[noreturn]] void fail(const Args&... args) {
    throw Error(detail::concat(args...));
}

// Quotes a name for messages: 'name', with control characters escaped.
std::string quoted(const std::string& name);

} // namespace lb
