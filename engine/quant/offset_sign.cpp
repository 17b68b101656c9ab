#include "core/error.h"
#include "quant/encoding_set.h"

#include <cmath>
#include <sstream>

namespace lb::quant {

namespace {

// Stated and implied range ends may differ by rounding of the file's printed scale and by the
// nudge that makes 0 representable: up to one quantization step.
bool closeWithinStep(double a, double b, double scale) {
    return std::abs(a - b) <= scale * (1.0 + 1e-6) + 1e-12;
}

bool agrees(const ChannelParams& p, int64_t offset, int bitwidth) {
    const ChannelParams implied = paramsFromScaleOffset(p.scale, offset, bitwidth);
    return closeWithinStep(p.min, implied.min, p.scale) &&
           closeWithinStep(p.max, implied.max, p.scale);
}

bool hasPositiveOffset(const Encoding& e) {
    if (e.dtype != EncodingDtype::Int) {
        return false;
    }
    for (const ChannelParams& p : e.channels) {
        if (p.offset > 0) {
            return true;
        }
    }
    return false;
}

template <typename Visit> void forEachEncoding(const EncodingSet& set, Visit visit) {
    for (const auto& [name, e] : set.activations) {
        visit(name, e, "activation_encodings", EncodingSection::Activation);
    }
    for (const auto& [name, e] : set.params) {
        visit(name, e, "param_encodings", EncodingSection::Param);
    }
}

} // namespace

std::string issueKindName(EncodingIssue::Kind kind) {
    switch (kind) {
    case EncodingIssue::Kind::Warning:
        return "warning";
    case EncodingIssue::Kind::UnknownTensor:
        return "unknown tensor";
    case EncodingIssue::Kind::ActivationFiledAsParam:
        return "activation filed as param";
    case EncodingIssue::Kind::ParamFiledAsActivation:
        return "param filed as activation";
    case EncodingIssue::Kind::OppositeOffsetSign:
        return "opposite offset sign";
    case EncodingIssue::Kind::InconsistentMinMax:
        return "inconsistent min/max";
    case EncodingIssue::Kind::ChannelCountMismatch:
        return "channel count mismatch";
    case EncodingIssue::Kind::NotFloatTensor:
        return "not a float tensor";
    case EncodingIssue::Kind::UnusualBitwidth:
        return "unusual bitwidth";
    case EncodingIssue::Kind::ParamRangeMismatch:
        return "param range mismatch";
    }
    return "issue";
}

std::vector<EncodingIssue> checkOffsetSigns(const EncodingSet& set) {
    std::vector<EncodingIssue> issues;
    forEachEncoding(set, [&](const std::string& name, const Encoding& e, const char* section,
                             EncodingSection where) {
        if (!hasPositiveOffset(e)) {
            return;
        }
        bool confirmed = true;
        for (const ChannelParams& p : e.channels) {
            confirmed = confirmed && (p.offset <= 0 || agrees(p, -p.offset, e.bitwidth));
        }
        const ChannelParams& first = e.channels.front();
        std::ostringstream msg;
        msg << "tensor " << quoted(name) << " (" << section << "): offset " << first.offset
            << " looks like a zero_point; QNN's offset is -zero_point ("
            << (confirmed ? "min/max agree with " : "0 lies outside the range; expected ")
            << -first.offset << ")";
        EncodingIssue issue{EncodingIssue::Kind::OppositeOffsetSign, name, msg.str(), where};
        issue.found = first.offset;
        issues.push_back(std::move(issue));
    });
    return issues;
}

int fixOffsetSigns(EncodingSet& set) {
    int changed = 0;
    auto fix = [&](std::map<std::string, Encoding>& encodings) {
        for (auto& [name, e] : encodings) {
            if (!hasPositiveOffset(e)) {
                continue;
            }
            for (ChannelParams& p : e.channels) {
                if (p.offset > 0) {
                    p = paramsFromScaleOffset(p.scale, -p.offset, e.bitwidth);
                }
            }
            ++changed;
        }
    };
    fix(set.activations);
    fix(set.params);
    return changed;
}

std::vector<EncodingIssue> checkMinMaxConsistency(const EncodingSet& set) {
    std::vector<EncodingIssue> issues;
    forEachEncoding(set, [&](const std::string& name, const Encoding& e, const char* section,
                             EncodingSection where) {
        if (e.dtype != EncodingDtype::Int || hasPositiveOffset(e)) {
            return; // positive offsets are checkOffsetSigns()'s to report
        }
        for (size_t c = 0; c < e.channels.size(); ++c) {
            const ChannelParams& p = e.channels[c];
            if (agrees(p, p.offset, e.bitwidth)) {
                continue;
            }
            const ChannelParams implied = paramsFromScaleOffset(p.scale, p.offset, e.bitwidth);
            std::ostringstream msg;
            msg << "tensor " << quoted(name) << " (" << section << ")"
                << (e.channels.size() > 1 ? " channel " + std::to_string(c) : std::string())
                << ": min/max [" << p.min << ", " << p.max << "] disagree with scale " << p.scale
                << " and offset " << p.offset << " (QNN's convention gives [" << implied.min << ", "
                << implied.max << "])";
            EncodingIssue issue{EncodingIssue::Kind::InconsistentMinMax, name, msg.str(), where};
            issue.range = {p.min, p.max};
            issue.values = {implied.min, implied.max};
            issues.push_back(std::move(issue));
            break;
        }
    });
    return issues;
}

} // namespace lb::quant
