// AIMET encodings 1.0.0: sections are lists of named entries with bw, dtype ("INT"/"FLOAT"),
// enc_type ("PER_TENSOR"/"PER_CHANNEL"; "PER_BLOCK" is not supported), is_sym (a bool) and
// scale[]/offset[] lists. min/max are not stored; they follow from scale/offset.

#include "core/error.h"
#include "quant/encodings_json_detail.h"

namespace lb::quant::detail {

namespace {

using nlohmann::json;

std::vector<double> numberList(const json& entry, const char* key, const JsonWhere& at) {
    const json& value = requireKey(entry, key, at);
    if (!value.is_array()) {
        at.fail(std::string("key '") + key + "' must be a list of numbers, got " + typeName(value));
    }
    std::vector<double> out;
    for (const json& item : value) {
        out.push_back(numberValue(item, key, at));
    }
    return out;
}

std::vector<int64_t> integerList(const json& entry, const char* key, const JsonWhere& at) {
    const json& value = requireKey(entry, key, at);
    if (!value.is_array()) {
        at.fail(std::string("key '") + key + "' must be a list of integers, got " +
                typeName(value));
    }
    std::vector<int64_t> out;
    for (const json& item : value) {
        out.push_back(integralValue(item, key, at));
    }
    return out;
}

Encoding readEntry(const json& entry, const JsonWhere& at) {
    Encoding e;
    e.bitwidth = static_cast<int>(integralValue(requireKey(entry, "bw", at), "bw", at));
    const std::string dtype = stringValue(requireKey(entry, "dtype", at), "dtype", at);
    if (dtype == "FLOAT") {
        e.dtype = EncodingDtype::Float;
        return e;
    }
    if (dtype != "INT") {
        at.fail("key 'dtype' must be \"INT\" or \"FLOAT\", got \"" + dtype + "\"");
    }
    const std::string encType = stringValue(requireKey(entry, "enc_type", at), "enc_type", at);
    if (encType == "PER_BLOCK" || encType == "LPBQ") {
        at.fail("enc_type \"" + encType +
                "\" (block-wise quantization) is not supported; expected PER_TENSOR or "
                "PER_CHANNEL");
    }
    if (encType != "PER_TENSOR" && encType != "PER_CHANNEL") {
        at.fail("unknown enc_type \"" + encType + "\" (expected PER_TENSOR or PER_CHANNEL)");
    }
    const json& sym = requireKey(entry, "is_sym", at);
    if (!sym.is_boolean()) {
        at.fail("key 'is_sym' must be true or false, got " + typeName(sym));
    }
    e.symmetric = sym.get<bool>();
    const std::vector<double> scales = numberList(entry, "scale", at);
    const std::vector<int64_t> offsets = integerList(entry, "offset", at);
    if (scales.empty() || scales.size() != offsets.size()) {
        at.fail("'scale' has " + std::to_string(scales.size()) + " values and 'offset' has " +
                std::to_string(offsets.size()) + " (expected the same non-zero count)");
    }
    if (encType == "PER_TENSOR" && scales.size() != 1) {
        at.fail("PER_TENSOR encoding with " + std::to_string(scales.size()) +
                " scales (expected 1)");
    }
    if (const auto axis = entry.find("axis"); axis != entry.end()) {
        e.axis = static_cast<int>(integralValue(*axis, "axis", at));
    } else if (encType == "PER_CHANNEL" && scales.size() == 1) {
        e.axis = 0; // keep a one-channel PER_CHANNEL entry per-channel on the way back out
    }
    for (size_t c = 0; c < scales.size(); ++c) {
        e.channels.push_back(paramsFromScaleOffset(scales[c], offsets[c], e.bitwidth));
    }
    return e;
}

void readSection(const json& root, const char* section, const std::string& file,
                 std::map<std::string, Encoding>& out) {
    const auto it = root.find(section);
    if (it == root.end()) {
        return;
    }
    if (!it->is_array()) {
        lb::fail(file, ": '", section, "' must be a list of encodings in version 1.0.0, got ",
                 it->type_name());
    }
    for (size_t i = 0; i < it->size(); ++i) {
        const json& entry = (*it)[i];
        JsonWhere at{file, std::string(section) + "[" + std::to_string(i) + "]", {}};
        if (!entry.is_object()) {
            at.fail("expected an object, got " + typeName(entry));
        }
        at.tensor = stringValue(requireKey(entry, "name", at), "name", at);
        at.section = section;
        if (out.count(at.tensor)) {
            at.fail("listed twice");
        }
        Encoding e = readEntry(entry, at);
        try {
            validateEncoding(e, at.tensor, std::nullopt, /*checkOffsetRange=*/false);
        } catch (const Error& error) {
            lb::fail(file, ": ", section, " ", error.what());
        }
        out[at.tensor] = std::move(e);
    }
}

nlohmann::ordered_json writeSection(const std::map<std::string, Encoding>& encodings) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& [name, e] : encodings) {
        nlohmann::ordered_json entry;
        entry["name"] = name;
        entry["bw"] = e.bitwidth;
        if (e.dtype == EncodingDtype::Float) {
            entry["dtype"] = "FLOAT";
            list.push_back(std::move(entry));
            continue;
        }
        entry["dtype"] = "INT";
        entry["enc_type"] = e.isPerChannel() ? "PER_CHANNEL" : "PER_TENSOR";
        entry["is_sym"] = e.symmetric;
        nlohmann::ordered_json scales = nlohmann::ordered_json::array();
        nlohmann::ordered_json offsets = nlohmann::ordered_json::array();
        for (const ChannelParams& p : e.channels) {
            scales.push_back(p.scale);
            offsets.push_back(p.offset);
        }
        entry["scale"] = std::move(scales);
        entry["offset"] = std::move(offsets);
        list.push_back(std::move(entry));
    }
    return list;
}

} // namespace

void read100(const json& root, const std::string& file, EncodingSet& out) {
    readSection(root, "activation_encodings", file, out.activations);
    readSection(root, "param_encodings", file, out.params);
}

nlohmann::ordered_json write100(const EncodingSet& set) {
    nlohmann::ordered_json root;
    root["version"] = "1.0.0";
    root["activation_encodings"] = writeSection(set.activations);
    root["param_encodings"] = writeSection(set.params);
    return root;
}

} // namespace lb::quant::detail
