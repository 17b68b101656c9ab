#pragma once

// Shared by the 0.6.1 and 1.0.0 readers/writers; not part of the module's interface.

#include "quant/encoding_set.h"

#include <nlohmann/json.hpp>
#include <string>

namespace lb::quant::detail {

// Where a value sits, for one-line errors: "<file>: param_encodings 'conv1.weight': ...".
struct JsonWhere {
    const std::string& file;
    std::string section;
    std::string tensor; // may be empty (then an index is in `section`)

    std::string prefix() const;
    [[noreturn]] void fail(const std::string& what) const;
};

const nlohmann::json& requireKey(const nlohmann::json& obj, const char* key, const JsonWhere& at);
double numberValue(const nlohmann::json& value, const char* key, const JsonWhere& at);
int64_t integralValue(const nlohmann::json& value, const char* key, const JsonWhere& at);
std::string stringValue(const nlohmann::json& value, const char* key, const JsonWhere& at);
std::string typeName(const nlohmann::json& value);

void read061(const nlohmann::json& root, const std::string& file, EncodingSet& out);
void read100(const nlohmann::json& root, const std::string& file, EncodingSet& out);
nlohmann::ordered_json write061(const EncodingSet& set);
nlohmann::ordered_json write100(const EncodingSet& set);

} // namespace lb::quant::detail
