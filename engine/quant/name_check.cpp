#include "quant/name_check.h"

#include "core/error.h"
#include "quant/per_channel.h"

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

namespace {

void checkChannelCount(const std::string& name, const Encoding& e, const ir::Graph& graph,
                       ir::ValueId id, std::vector<EncodingIssue>& issues) {
    if (!e.isPerChannel() || e.dtype != EncodingDtype::Int) {
        return;
    }
    const ir::Value& value = graph.value(id);
    const Tensor* init = graph.initializer(id);
    Shape shape;
    if (init != nullptr) {
        shape = init->shape();
    } else if (value.shape && concreteShape(*value.shape)) {
        shape = *concreteShape(*value.shape);
    } else {
        return;
    }
    const auto fits = [&](int axis) {
        return axis >= 0 && axis < static_cast<int>(shape.size()) &&
               shape[axis] == static_cast<int64_t>(e.channels.size());
    };
    // The simulation's rule (fake_quant_transform.cpp): the stated axis when it fits, else the
    // weight reader's (files do not state one; 1.0.0's reader says 0 for a one-channel entry,
    // wrong for ConvTranspose's [C_in, C_out, kH, kW]).
    const int reader = weightChannelAxis(graph, id);
    const int axis = fits(e.axis) || reader < 0 ? e.axis : reader;
    if (axis < 0) {
        return;
    }
    if (!fits(axis)) {
        std::ostringstream msg;
        msg << "tensor " << quoted(name) << ": " << e.channels.size()
            << " per-channel encodings but its shape is " << shapeToString(shape)
            << " (channel axis " << axis << ")";
        issues.push_back({EncodingIssue::Kind::ChannelCountMismatch, name, msg.str()});
    }
}

} // namespace

std::vector<EncodingIssue> checkNames(const EncodingSet& set, const ir::Graph& graph) {
    std::vector<EncodingIssue> issues;
    auto check = [&](const std::map<std::string, Encoding>& encodings, bool asParam) {
        const char* section = asParam ? "param_encodings" : "activation_encodings";
        for (const auto& [name, e] : encodings) {
            const std::optional<ir::ValueId> id = graph.findValue(name);
            if (!id) {
                issues.push_back(
                    {EncodingIssue::Kind::UnknownTensor, name,
                     "tensor " + quoted(name) + " (" + section + ") is not in the graph"});
                continue;
            }
            const bool param = isParamValue(graph, *id);
            if (asParam && !param) {
                issues.push_back({EncodingIssue::Kind::ActivationFiledAsParam, name,
                                  "tensor " + quoted(name) +
                                      " is an activation (a node output or graph input) but is "
                                      "listed under param_encodings"});
            } else if (!asParam && param) {
                issues.push_back({EncodingIssue::Kind::ParamFiledAsActivation, name,
                                  "tensor " + quoted(name) +
                                      " is a param (an initializer or Constant output) but is "
                                      "listed under activation_encodings"});
            }
            checkChannelCount(name, e, graph, *id, issues);
        }
    };
    check(set.activations, false);
    check(set.params, true);
    return issues;
}

} // namespace lb::quant
