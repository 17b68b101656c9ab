#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace lb {

// SHA-256 (FIPS 180-4), incremental. Identifies a model version by its bytes: reports carry it,
// and sessions are cached under it.
class Sha256 {
public:
    Sha256();
    void update(const void* data, size_t size);
    void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
    // The digest as 64 lowercase hex digits. Ends the hash: call once.
    std::string hexDigest();

private:
    void block(const uint8_t* p);

    std::array<uint32_t, 8> m_state;
    std::array<uint8_t, 64> m_buffer{};
    size_t m_buffered = 0;
    uint64_t m_bytes = 0;
};

std::string sha256Hex(std::string_view bytes);
// Of a file's contents; throws lb::Error naming the file when it cannot be read.
std::string sha256File(const std::string& path);

} // namespace lb
