#include "quant/encodings_json.h"

#include "core/error.h"
#include "core/file_io.h"
#include "quant/encodings_json_detail.h"

#include <cmath>
#include <fstream>
#include <sstream>

namespace lb::quant {

namespace detail {

std::string JsonWhere::prefix() const {
    std::string text = file + ": " + section;
    if (!tensor.empty()) {
        text += " " + quoted(tensor);
    }
    return text;
}

void JsonWhere::fail(const std::string& what) const {
    lb::fail(prefix(), ": ", what);
}

std::string typeName(const nlohmann::json& value) {
    return value.type_name();
}

const nlohmann::json& requireKey(const nlohmann::json& obj, const char* key, const JsonWhere& at) {
    const auto it = obj.find(key);
    if (it == obj.end()) {
        at.fail(std::string("missing key '") + key + "'");
    }
    return *it;
}

double numberValue(const nlohmann::json& value, const char* key, const JsonWhere& at) {
    if (!value.is_number()) {
        at.fail(std::string("key '") + key + "' must be a number, got " + typeName(value));
    }
    return value.get<double>();
}

int64_t integralValue(const nlohmann::json& value, const char* key, const JsonWhere& at) {
    if (value.is_number_integer()) {
        return value.get<int64_t>();
    }
    const double v = numberValue(value, key, at);
    if (!std::isfinite(v) || v != std::floor(v) || std::abs(v) > 9.0e15) {
        at.fail(std::string("key '") + key + "' must be an integer, got " + value.dump());
    }
    return static_cast<int64_t>(v);
}

std::string stringValue(const nlohmann::json& value, const char* key, const JsonWhere& at) {
    if (!value.is_string()) {
        at.fail(std::string("key '") + key + "' must be a string, got " + typeName(value));
    }
    return value.get<std::string>();
}

} // namespace detail

namespace {

// The tutorial captions its example with `// quantization_config.json`; people copy that line
// into the file. Blank the leading comment lines (keeping byte positions) and warn.
std::string stripLeadingComments(const std::string& text, const std::string& fileName,
                                 std::vector<EncodingIssue>& issues) {
    std::string out = text;
    size_t pos = 0;
    while (true) {
        const size_t start = out.find_first_not_of(" \t\r\n", pos);
        if (start == std::string::npos || out.compare(start, 2, "//") != 0) {
            break;
        }
        size_t end = out.find('\n', start);
        end = end == std::string::npos ? out.size() : end;
        EncodingIssue issue{EncodingIssue::Kind::Warning,
                            {},
                            fileName + ": ignored comment line '" + out.substr(start, end - start) +
                                "' (JSON has no comments)"};
        issue.detail = out.substr(start, end - start);
        issues.push_back(std::move(issue));
        for (size_t i = start; i < end; ++i) {
            out[i] = ' ';
        }
        pos = end;
    }
    return out;
}

bool isVersion1(const nlohmann::json& root) {
    const auto version = root.find("version");
    if (version != root.end() && version->is_string()) {
        return version->get<std::string>().rfind("1.", 0) == 0;
    }
    for (const char* section : {"activation_encodings", "param_encodings"}) {
        const auto it = root.find(section);
        if (it != root.end() && it->is_array()) {
            return true;
        }
    }
    return false;
}

} // namespace

EncodingSet parseEncodingsJson(const std::string& text, const std::string& fileName) {
    EncodingSet set;
    const std::string cleaned = stripLeadingComments(text, fileName, set.issues);
    nlohmann::json root;
    try {
        root = nlohmann::json::parse(cleaned);
    } catch (const nlohmann::json::parse_error& e) {
        std::string what = e.what();
        // nlohmann prefixes "[json.exception.parse_error.101] parse error at line 1, column 5: ".
        const size_t colon = what.find(": ");
        what = colon == std::string::npos ? what : what.substr(colon + 2);
        fail(fileName, ": malformed JSON at byte ", e.byte, ": ", what);
    }
    if (!root.is_object()) {
        fail(fileName, ": expected a JSON object with activation_encodings/param_encodings, got ",
             root.type_name());
    }
    if (!root.contains("activation_encodings") && !root.contains("param_encodings")) {
        fail(fileName, ": neither 'activation_encodings' nor 'param_encodings' is present");
    }
    const auto version = root.find("version");
    if (version != root.end()) {
        if (!version->is_string()) {
            fail(fileName, ": key 'version' must be a string, got ", version->type_name());
        }
        set.version = version->get<std::string>();
    }
    if (isVersion1(root)) {
        detail::read100(root, fileName, set);
    } else {
        detail::read061(root, fileName, set);
    }
    for (auto& issue : checkOffsetSigns(set)) {
        set.issues.push_back(std::move(issue));
    }
    for (auto& issue : checkMinMaxConsistency(set)) {
        set.issues.push_back(std::move(issue));
    }
    return set;
}

EncodingSet readEncodingsFile(const std::string& path) {
    return parseEncodingsJson(readFileBytes(path, ": cannot open encodings file"), path);
}

std::string writeEncodingsJson(const EncodingSet& set, EncodingsFormat format) {
    const nlohmann::ordered_json root =
        format == EncodingsFormat::V061 ? detail::write061(set) : detail::write100(set);
    return root.dump(4) + "\n";
}

void writeEncodingsFile(const std::string& path, const EncodingSet& set, EncodingsFormat format) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << writeEncodingsJson(set, format);
    if (!out) {
        fail(path, ": cannot write encodings file");
    }
}

} // namespace lb::quant
