#include "quant/name_check.h"

#include "core/error.h"
#include "quant/calibration.h"
#include "quant/fake_quant_transform.h"
#include "quant/int8_transform.h"
#include "quant/per_channel.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>

namespace lb::quant {

bool isParamValue(const ir::Graph& graph, ir::ValueId value) {
    if (graph.isInitializer(value)) {
        return true;
    }
    const ir::NodeId producer = graph.value(value).producer;
    return producer != ir::kNoNode && graph.isAlive(producer) &&
           graph.node(producer).opType == "Constant";
}

bool leavesEntryOut(EncodingIssue::Kind kind) {
    switch (kind) {
    case EncodingIssue::Kind::UnknownTensor:
    case EncodingIssue::Kind::ActivationFiledAsParam:
    case EncodingIssue::Kind::ChannelCountMismatch:
    case EncodingIssue::Kind::NotFloatTensor:
        return true;
    default:
        return false;
    }
}

namespace {

// AIMET widens a degenerate range to 0.01 (encoding.cpp); a range up to twice that is what a
// near-zero weight channel gets, not a sign of a foreign file.
constexpr double kDegenerateRange = 0.02;
// How far a weight's encoding may be from its values before checkParamRange says so: calibration
// gives a reach of 1.00-1.14 times the largest magnitude (8-bit and 4-bit symmetric, 128 / 127
// and 8 / 7), asymmetric ranges the values' width; cls's own file is within 1.14 everywhere,
// cls's conv2d_10.w_0 against rec's tensor of that name is 1.79 off.
constexpr double kFar = 1.5;

struct EntryContext {
    const std::string& name;
    const Encoding& e;
    EncodingSection section;
    const char* sectionName;
    std::vector<EncodingIssue>& issues;

    void add(EncodingIssue::Kind kind, std::string message, EncodingIssue facts = {}) const {
        facts.kind = kind;
        facts.tensor = name;
        facts.message = std::move(message);
        facts.section = section;
        issues.push_back(std::move(facts));
    }
};

// The tensor's element type as the model stores it: the initializer's or Constant's data, else
// the value's declared type (Undefined when shape inference did not say).
DataType storedType(const ir::Graph& graph, ir::ValueId id) {
    if (const Tensor* init = graph.initializer(id))
        return init->dtype();
    const ir::NodeId producer = graph.value(id).producer;
    if (producer != ir::kNoNode && graph.isAlive(producer) &&
        graph.node(producer).opType == "Constant")
        if (const ir::Attribute* a = graph.node(producer).attribute("value"))
            return a->t.dtype();
    return graph.value(id).dtype;
}

// The channel axis the simulation uses for a per-channel entry (fake_quant_transform.cpp): the
// stated axis when it fits, else the weight reader's (files do not state one; 1.0.0's reader
// says 0 for a one-channel entry, wrong for ConvTranspose's [C_in, C_out, kH, kW]). -1 when
// neither is known.
int channelAxis(const Encoding& e, const Shape& shape, const ir::Graph& graph, ir::ValueId id) {
    const auto fits = [&](int axis) {
        return axis >= 0 && axis < static_cast<int>(shape.size()) &&
               shape[axis] == static_cast<int64_t>(e.channels.size());
    };
    const int reader = weightChannelAxis(graph, id);
    return fits(e.axis) || reader < 0 ? e.axis : reader;
}

// False when the entry's channel count does not fit the tensor (reported).
bool checkChannelCount(const EntryContext& at, const ir::Graph& graph, ir::ValueId id) {
    const Encoding& e = at.e;
    if (!e.isPerChannel() || e.dtype != EncodingDtype::Int) {
        return true;
    }
    const ir::Value& value = graph.value(id);
    const Tensor* init = graph.initializer(id);
    Shape shape;
    if (init != nullptr) {
        shape = init->shape();
    } else if (value.shape && concreteShape(*value.shape)) {
        shape = *concreteShape(*value.shape);
    } else {
        return true;
    }
    const int axis = channelAxis(e, shape, graph, id);
    if (axis < 0) {
        return true;
    }
    const bool fits = axis < static_cast<int>(shape.size()) &&
                      shape[axis] == static_cast<int64_t>(e.channels.size());
    if (fits) {
        return true;
    }
    std::ostringstream msg;
    msg << "tensor " << quoted(at.name) << ": " << e.channels.size()
        << " per-channel encodings but its shape is " << shapeToString(shape) << " (channel axis "
        << axis << ")";
    EncodingIssue facts;
    facts.found = static_cast<int64_t>(e.channels.size());
    facts.expected = axis < static_cast<int>(shape.size()) ? shape[axis] : 0;
    facts.detail = shapeToString(shape);
    at.add(EncodingIssue::Kind::ChannelCountMismatch, msg.str(), std::move(facts));
    return false;
}

// A weight's values against its encoding's range, channel by channel. Calibration gives a weight
// the range of its values (symmetric: about twice the largest magnitude), so a file made for this
// model is close; one made for another model whose tensor names match is usually far off.
void checkParamRange(const EntryContext& at, const ir::Graph& graph, ir::ValueId id) {
    const Encoding& e = at.e;
    const Tensor* data = paramTensor(graph, id);
    if (e.dtype != EncodingDtype::Int || e.channels.empty() || data == nullptr ||
        data->numel() == 0) {
        return;
    }
    const Shape& shape = data->shape();
    int64_t channels = 1, inner = 1;
    if (e.channels.size() > 1) {
        const int axis = channelAxis(e, shape, graph, id);
        if (axis < 0 || axis >= static_cast<int>(shape.size()) ||
            shape[axis] != static_cast<int64_t>(e.channels.size())) {
            return; // checkChannelCount's to report
        }
        channels = shape[axis];
        for (size_t d = axis + 1; d < shape.size(); ++d) {
            inner *= shape[d];
        }
    }
    std::vector<double> lo(channels, std::numeric_limits<double>::infinity());
    std::vector<double> hi(channels, -std::numeric_limits<double>::infinity());
    const float* values = data->data<float>();
    for (int64_t i = 0; i < data->numel(); ++i) {
        const int64_t c = channels == 1 ? 0 : (i / inner) % channels;
        lo[c] = std::min(lo[c], static_cast<double>(values[i]));
        hi[c] = std::max(hi[c], static_cast<double>(values[i]));
    }
    int64_t off = 0, first = -1;
    for (int64_t c = 0; c < channels; ++c) {
        const ChannelParams& p = e.channels[channels == 1 ? 0 : c];
        const double width = p.max - p.min;
        const double beyond = std::max({p.min - lo[c], hi[c] - p.max, 0.0});
        // Symmetric ranges are compared by reach (their grid holds both signs whatever the
        // values' sign), asymmetric ones by width, both against what the values need.
        const double reach = std::max(std::abs(p.min), std::abs(p.max));
        const double absMax = std::max(std::abs(lo[c]), std::abs(hi[c]));
        const double needed = std::max(hi[c], 0.0) - std::min(lo[c], 0.0);
        // Values beyond the range by more than (kFar - 1) half-widths: for a symmetric range, a
        // largest magnitude over kFar times its reach.
        const bool clipped = beyond > std::max(p.scale, (kFar - 1.0) * 0.5 * width);
        // 32-bit (bias) grids are wide by design: only clipping tells there.
        const bool wide = e.bitwidth < 32 && width > kDegenerateRange &&
                          (e.symmetric ? reach > kFar * absMax : width > kFar * needed);
        if (clipped || wide) {
            ++off;
            first = first < 0 ? c : first;
        }
    }
    if (off == 0) {
        return;
    }
    const ChannelParams& p = e.channels[channels == 1 ? 0 : first];
    std::ostringstream msg;
    msg << "tensor " << quoted(at.name) << " (" << at.sectionName << "): its values span ["
        << lo[first] << ", " << hi[first] << "] but the encoding covers [" << p.min << ", " << p.max
        << "]";
    if (channels > 1) {
        msg << " (channel " << first << "; " << off << " of " << channels << " channels off)";
    }
    msg << ": made for another model?";
    EncodingIssue facts;
    facts.range = {p.min, p.max};
    facts.values = {lo[first], hi[first]};
    facts.found = off;
    facts.expected = channels;
    at.add(EncodingIssue::Kind::ParamRangeMismatch, msg.str(), std::move(facts));
}

} // namespace

std::vector<EncodingIssue> checkNames(const EncodingSet& set, const ir::Graph& graph) {
    std::vector<EncodingIssue> issues;
    std::set<ir::ValueId> biases;
    for (const ParamUse& use : quantizedParams(graph)) {
        if (use.bias) {
            biases.insert(use.value);
        }
    }
    auto check = [&](const std::map<std::string, Encoding>& encodings, bool asParam) {
        const char* sectionName = asParam ? "param_encodings" : "activation_encodings";
        const EncodingSection section =
            asParam ? EncodingSection::Param : EncodingSection::Activation;
        for (const auto& [name, e] : encodings) {
            const EntryContext at{name, e, section, sectionName, issues};
            const std::optional<ir::ValueId> id = graph.findValue(name);
            if (!id) {
                at.add(EncodingIssue::Kind::UnknownTensor,
                       "tensor " + quoted(name) + " (" + sectionName + ") is not in the graph");
                continue;
            }
            const bool param = isParamValue(graph, *id);
            if (asParam && !param) {
                at.add(EncodingIssue::Kind::ActivationFiledAsParam,
                       "tensor " + quoted(name) +
                           " is an activation (a node output or graph input) but is listed "
                           "under param_encodings");
            } else if (!asParam && param) {
                at.add(EncodingIssue::Kind::ParamFiledAsActivation,
                       "tensor " + quoted(name) +
                           " is a param (an initializer or Constant output) but is listed under "
                           "activation_encodings");
            }
            const DataType type = storedType(graph, *id);
            if (type != DataType::Float32 && type != DataType::Undefined) {
                EncodingIssue facts;
                facts.detail = dtypeName(type);
                at.add(EncodingIssue::Kind::NotFloatTensor,
                       "tensor " + quoted(name) + " (" + sectionName + ") is " + facts.detail +
                           " in the model; only float32 tensors are quantized",
                       std::move(facts));
                continue;
            }
            if (e.dtype == EncodingDtype::Int && e.bitwidth == 32 && !biases.count(*id)) {
                EncodingIssue facts;
                facts.found = e.bitwidth;
                at.add(EncodingIssue::Kind::UnusualBitwidth,
                       "tensor " + quoted(name) + " (" + sectionName +
                           "): 32-bit integer encoding, which QNN and AIMET give to biases only "
                           "(4, 8 or 16 bits elsewhere)",
                       std::move(facts));
            }
            if (checkChannelCount(at, graph, *id) && param) {
                checkParamRange(at, graph, *id);
            }
        }
    };
    check(set.activations, false);
    check(set.params, true);
    return issues;
}

EncodingsCheck checkEncodings(const EncodingSet& set, const ir::Graph& graph) {
    EncodingsCheck check;
    check.issues = set.issues;
    check.entries = set.activations.size() + set.params.size();
    std::set<std::pair<EncodingSection, std::string>> unmatched, leftOut;
    for (EncodingIssue& issue : checkNames(set, graph)) {
        const auto entry = std::make_pair(issue.section, issue.tensor);
        if (issue.kind == EncodingIssue::Kind::UnknownTensor) {
            unmatched.insert(entry);
        }
        if (leavesEntryOut(issue.kind)) {
            leftOut.insert(entry);
        }
        check.issues.push_back(std::move(issue));
    }
    check.unmatched = unmatched.size();
    check.leftOut = leftOut.size();

    const std::set<std::string> materialized = materializedActivations(graph);
    auto consider = [&](ir::ValueId v) {
        const ir::Value& value = graph.value(v);
        if (value.dtype == DataType::Float32 && materialized.count(value.name) &&
            !isParamValue(graph, v) && !set.activations.count(value.name) &&
            !set.params.count(value.name)) {
            check.missingActivations.push_back(value.name);
        }
    };
    for (ir::ValueId v : graph.inputs()) {
        if (!graph.isInitializer(v)) {
            consider(v);
        }
    }
    for (ir::NodeId id : graph.topologicalOrder()) {
        for (ir::ValueId v : graph.node(id).outputs) {
            if (v != ir::kNoValue) {
                consider(v);
            }
        }
    }
    return check;
}

EncodingSet usableEntries(const EncodingSet& set, const EncodingsCheck& check) {
    EncodingSet kept = set;
    std::set<std::pair<EncodingSection, std::string>> leftOut;
    for (const EncodingIssue& issue : check.issues) {
        if (leavesEntryOut(issue.kind)) {
            leftOut.insert({issue.section, issue.tensor});
            (issue.section == EncodingSection::Param ? kept.params : kept.activations)
                .erase(issue.tensor);
        }
    }
    std::erase_if(kept.issues, [&](const EncodingIssue& issue) {
        return leftOut.count({issue.section, issue.tensor}) > 0;
    });
    return kept;
}

} // namespace lb::quant
