#pragma once

#include "core/error.h"

#include <optional>
#include <string>

namespace lb::runtime {

// Why a backend declines a node it could run in principle. The codes are stable: reports carry
// them (report::Fallback) and tools group by them.
enum class Decline {
    Op,        // "unsupported-op": the op (or its domain) is not in the backend's table
    Dtype,     // "unsupported-dtype": an input or output type the backend does not run
    Attribute, // "unsupported-attribute": a valid attribute value the backend does not implement
    Shape,     // "unsupported-shape": a rank, a broadcast or a size the backend cannot express,
               // or a shape it needs to know and does not
    Input,     // "unsupported-input": an input it needs constant is not, or an optional input or
               // output it does not produce
};

// "unsupported-op", "unsupported-dtype", ...
const char* declineCode(Decline reason);

// A backend's answer to "can you run this node?" (Backend::capability): a claim, or a decline
// with its code and a short text for people ("mode 'cubic' is not implemented").
class Claim {
public:
    static Claim claimed() { return Claim(); }
    template <typename... Args> static Claim declined(Decline reason, const Args&... text) {
        Claim c;
        c.m_reason = reason;
        c.m_text = detail::concat(text...);
        return c;
    }

    explicit operator bool() const { return !m_reason; }
    // Only for a decline.
    Decline reason() const { return *m_reason; }
    // "" for a claim.
    std::string code() const { return m_reason ? declineCode(*m_reason) : std::string(); }
    const std::string& text() const { return m_text; }

private:
    Claim() = default;
    std::optional<Decline> m_reason;
    std::string m_text;
};

} // namespace lb::runtime
