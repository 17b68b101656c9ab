#pragma once

#include "quant/encoding_set.h"

#include <string>

namespace lb::quant {

// The two AIMET/QNN quantization_overrides forms.
// V061: {"version": "0.6.1", "activation_encodings": {name: [{bitwidth, dtype, is_symmetric,
//        min, max, scale, offset}, ...one per channel]}, "param_encodings": {...}}
// V100: {"version": "1.0.0", "activation_encodings": [{name, bw, dtype, enc_type, is_sym,
//        scale: [...], offset: [...]}], "param_encodings": [...]}
enum class EncodingsFormat { V061, V100 };

// Reads either form (1.0.0 when "version" starts with "1." or the sections are lists). Lenient
// where files in the wild are: a single object instead of a one-element list, missing
// dtype/is_symmetric (int, asymmetric), is_symmetric as a bool, min/max without scale/offset
// (nudged), and leading `//` comment lines (stripped with a Warning issue). Offset-sign and
// min/max consistency problems are reported in EncodingSet::issues, not thrown.
// Throws lb::Error with one line naming `fileName` (and the byte position for malformed JSON, or
// the section, tensor and key for a bad entry). PER_BLOCK encodings are rejected.
EncodingSet parseEncodingsJson(const std::string& text, const std::string& fileName);
EncodingSet readEncodingsFile(const std::string& path);

// Writes exactly the chosen form (indented, keys in the specification's order). Stable: reading the
// text back gives an equal EncodingSet, and writing that again gives the same text. The per-channel
// axis is not part of either form; recover it from the graph (weightChannelAxis).
std::string writeEncodingsJson(const EncodingSet& set, EncodingsFormat format);
void writeEncodingsFile(const std::string& path, const EncodingSet& set, EncodingsFormat format);

} // namespace lb::quant
