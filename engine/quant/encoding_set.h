#pragma once

#include "quant/encoding.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lb::quant {

// The section of an encodings file an entry is listed in.
enum class EncodingSection { None, Activation, Param };

// Something a reader or a check found wrong with one tensor's entry. Issues are reported, never
// silently dropped; the caller decides which kinds are fatal (leavesEntryOut in name_check.h says
// which keep an entry out of an import).
struct EncodingIssue {
    enum class Kind {
        Warning,                // file-level leniency (a stripped comment line, ...)
        UnknownTensor,          // the graph has no value of that name
        ActivationFiledAsParam, // a node output listed under param_encodings
        ParamFiledAsActivation, // an initializer / Constant output under activation_encodings
        OppositeOffsetSign,     // offset is a zero_point (positive); fixOffsetSigns() flips it
        InconsistentMinMax,     // min/max disagree with scale/offset under QNN's convention
        ChannelCountMismatch,   // per-channel count != the tensor's channel dimension
        NotFloatTensor,         // the tensor is not float32 (int64 indices, shapes, bool, ...)
        UnusualBitwidth,        // a 32-bit integer encoding on anything but a bias
        ParamRangeMismatch,     // a weight's values and its encoding's range far apart
    };
    Kind kind = Kind::Warning;
    std::string tensor;  // empty for file-level issues
    std::string message; // one line, names the tensor
    // The section of the entry the issue is about; None for file-level issues.
    EncodingSection section = EncodingSection::None;
    // The facts behind `message`, for a caller that words the issue itself (the GUI, in the
    // user's language). found/expected: ChannelCountMismatch's channel counts (file, tensor),
    // ParamRangeMismatch's channels off and channels, UnusualBitwidth's and OppositeOffsetSign's
    // bitwidth and offset (found).
    // range/values: InconsistentMinMax's stated and implied [min, max]; ParamRangeMismatch's
    // encoding range and the weight's [min, max] (of the first channel that is off).
    // detail: the tensor's shape (ChannelCountMismatch), its dtype (NotFloatTensor), the ignored
    // line (Warning).
    int64_t found = 0;
    int64_t expected = 0;
    std::pair<double, double> range{0.0, 0.0};
    std::pair<double, double> values{0.0, 0.0};
    std::string detail = {}; // an initializer keeps {kind, tensor, message} free of warnings
};

std::string issueKindName(EncodingIssue::Kind kind);

// The contents of a quantization_overrides / AIMET encodings file.
struct EncodingSet {
    std::string version; // "0.6.1", "1.0.0", or "" when the file had none
    std::map<std::string, Encoding> activations;
    std::map<std::string, Encoding> params;
    // Top-level defaults the QNN converter reads (the tutorial's activation_bitwidth, ...).
    std::optional<int> activationBitwidth;
    std::optional<int> paramBitwidth;
    std::optional<int> biasBitwidth;
    // Filled by the readers; not part of equality.
    std::vector<EncodingIssue> issues;

    bool operator==(const EncodingSet& other) const {
        return version == other.version && activations == other.activations &&
               params == other.params && activationBitwidth == other.activationBitwidth &&
               paramBitwidth == other.paramBitwidth && biasBitwidth == other.biasBitwidth;
    }
};

// Offsets given with the opposite sign (a zero_point such as 127 instead of QNN's -127): the
// file's min/max disagree with scale/offset under QNN's convention but agree once the offset's
// sign is flipped (within one quantization step). Encodings without a stated min/max cannot be
// judged this way; a positive offset there is reported as OppositeOffsetSign too, since under
// QNN's convention it would put 0 outside the range.
std::vector<EncodingIssue> checkOffsetSigns(const EncodingSet& set);
// Flips the offsets checkOffsetSigns() reports and recomputes min/max from scale/offset so each
// fixed encoding is self-consistent. Returns the number of tensors changed.
int fixOffsetSigns(EncodingSet& set);

// min/max stated in a file that disagree with scale/offset by more than one step.
std::vector<EncodingIssue> checkMinMaxConsistency(const EncodingSet& set);

} // namespace lb::quant
