// AIMET encodings 0.4-0.6.1 / QNN quantization_overrides: sections map tensor names to a list
// of encodings (one per channel), is_symmetric is the string "True"/"False".

#include "core/error.h"
#include "quant/encodings_json_detail.h"

namespace lb::quant::detail {

namespace {

using nlohmann::json;

std::optional<int> optionalBitwidth(const json& obj, const char* key, const std::string& file) {
    const auto it = obj.find(key);
    if (it == obj.end()) {
        return std::nullopt;
    }
    const JsonWhere at{file, "top level", {}};
    return static_cast<int>(integralValue(*it, key, at));
}

bool readSymmetric(const json& entry, const JsonWhere& at) {
    const auto it = entry.find("is_symmetric");
    if (it == entry.end()) {
        return false;
    }
    if (it->is_boolean()) {
        return it->get<bool>();
    }
    const std::string text = stringValue(*it, "is_symmetric", at);
    if (text == "True" || text == "true") {
        return true;
    }
    if (text == "False" || text == "false") {
        return false;
    }
    at.fail("key 'is_symmetric' must be \"True\" or \"False\", got \"" + text + "\"");
}

// One channel's object. Returns the channel params (absent for float encodings) and fills the
// encoding-wide fields.
std::optional<ChannelParams> readChannel(const json& entry, const JsonWhere& at,
                                         std::optional<int> defaultBitwidth, Encoding& e) {
    if (!entry.is_object()) {
        at.fail("each encoding must be an object, got " + typeName(entry));
    }
    const auto bw = entry.find("bitwidth");
    if (bw != entry.end()) {
        e.bitwidth = static_cast<int>(integralValue(*bw, "bitwidth", at));
    } else if (defaultBitwidth) {
        e.bitwidth = *defaultBitwidth;
    } else {
        at.fail("missing key 'bitwidth'");
    }
    const auto dtype = entry.find("dtype");
    const std::string dtypeText = dtype == entry.end() ? "int" : stringValue(*dtype, "dtype", at);
    if (dtypeText == "float" || dtypeText == "FLOAT") {
        e.dtype = EncodingDtype::Float;
        return std::nullopt;
    }
    if (dtypeText != "int" && dtypeText != "INT") {
        at.fail("key 'dtype' must be \"int\" or \"float\", got \"" + dtypeText + "\"");
    }
    e.symmetric = readSymmetric(entry, at);
    const bool hasScale = entry.contains("scale") || entry.contains("offset");
    const bool hasRange = entry.contains("min") || entry.contains("max");
    if (!hasScale && !hasRange) {
        at.fail("missing keys 'scale'/'offset' (or 'min'/'max')");
    }
    ChannelParams p;
    if (hasScale) {
        const double scale = numberValue(requireKey(entry, "scale", at), "scale", at);
        const int64_t offset = integralValue(requireKey(entry, "offset", at), "offset", at);
        p = paramsFromScaleOffset(scale, offset, e.bitwidth);
    }
    if (hasRange) {
        const double min = numberValue(requireKey(entry, "min", at), "min", at);
        const double max = numberValue(requireKey(entry, "max", at), "max", at);
        if (!hasScale) {
            if (max < min) {
                at.fail("max " + std::to_string(max) + " < min " + std::to_string(min));
            }
            return paramsFromMinMax(min, max, e.bitwidth, e.symmetric);
        }
        p.min = min;
        p.max = max;
    }
    return p;
}

void readSection(const json& root, const char* section, std::optional<int> defaultBitwidth,
                 const std::string& file, std::map<std::string, Encoding>& out) {
    const auto it = root.find(section);
    if (it == root.end()) {
        return;
    }
    if (!it->is_object()) {
        lb::fail(file, ": '", section, "' must map tensor names to encodings, got ",
                 it->type_name());
    }
    for (const auto& [name, value] : it->items()) {
        const JsonWhere at{file, section, name};
        Encoding e;
        const json list = value.is_array() ? value : json::array({value});
        if (list.empty()) {
            at.fail("empty encoding list");
        }
        for (size_t k = 0; k < list.size(); ++k) {
            Encoding channel;
            std::optional<ChannelParams> p = readChannel(list[k], at, defaultBitwidth, channel);
            if (k == 0) {
                e.bitwidth = channel.bitwidth;
                e.dtype = channel.dtype;
                e.symmetric = channel.symmetric;
            } else if (channel.bitwidth != e.bitwidth || channel.dtype != e.dtype ||
                       channel.symmetric != e.symmetric) {
                at.fail("per-channel encodings disagree on bitwidth/dtype/is_symmetric");
            }
            if (p) {
                e.channels.push_back(*p);
            }
        }
        if (e.dtype == EncodingDtype::Float && list.size() > 1) {
            at.fail("a float encoding must be a single entry");
        }
        try {
            validateEncoding(e, name, std::nullopt, /*checkOffsetRange=*/false);
        } catch (const Error& error) {
            lb::fail(file, ": ", section, " ", error.what());
        }
        out[name] = std::move(e);
    }
}

nlohmann::ordered_json channelJson(const Encoding& e, const ChannelParams& p) {
    nlohmann::ordered_json obj;
    obj["bitwidth"] = e.bitwidth;
    obj["dtype"] = "int";
    obj["is_symmetric"] = e.symmetric ? "True" : "False";
    obj["max"] = p.max;
    obj["min"] = p.min;
    obj["offset"] = p.offset;
    obj["scale"] = p.scale;
    return obj;
}

nlohmann::ordered_json writeSection(const std::map<std::string, Encoding>& encodings) {
    nlohmann::ordered_json section = nlohmann::ordered_json::object();
    for (const auto& [name, e] : encodings) {
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        if (e.dtype == EncodingDtype::Float) {
            list.push_back({{"bitwidth", e.bitwidth}, {"dtype", "float"}});
        }
        for (const ChannelParams& p : e.channels) {
            list.push_back(channelJson(e, p));
        }
        section[name] = std::move(list);
    }
    return section;
}

} // namespace

void read061(const json& root, const std::string& file, EncodingSet& out) {
    out.activationBitwidth = optionalBitwidth(root, "activation_bitwidth", file);
    out.paramBitwidth = optionalBitwidth(root, "param_bitwidth", file);
    out.biasBitwidth = optionalBitwidth(root, "bias_bitwidth", file);
    readSection(root, "activation_encodings", out.activationBitwidth, file, out.activations);
    readSection(root, "param_encodings", out.paramBitwidth, file, out.params);
}

nlohmann::ordered_json write061(const EncodingSet& set) {
    nlohmann::ordered_json root;
    root["version"] = "0.6.1";
    root["activation_encodings"] = writeSection(set.activations);
    root["param_encodings"] = writeSection(set.params);
    if (set.activationBitwidth) {
        root["activation_bitwidth"] = *set.activationBitwidth;
    }
    if (set.paramBitwidth) {
        root["param_bitwidth"] = *set.paramBitwidth;
    }
    if (set.biasBitwidth) {
        root["bias_bitwidth"] = *set.biasBitwidth;
    }
    return root;
}

} // namespace lb::quant::detail
