#pragma once

#include "ir/graph.h"
#include "quant/encoding_set.h"

#include <string>
#include <vector>

namespace lb::quant {

// Checks each entry of an encodings file against a graph: a name the graph does not know
// (UnknownTensor), a node output filed under param_encodings (ActivationFiledAsParam), an
// initializer or Constant output filed under activation_encodings (ParamFiledAsActivation),
// per-channel encodings whose count does not match the weight's channel dimension (the axis
// from weightChannelAxis when the file does not state it), a tensor that is not float32
// (NotFloatTensor), a 32-bit integer encoding on anything but a bias (UnusualBitwidth), and a
// weight whose values lie far from its encoding's range (ParamRangeMismatch: values reaching
// over 1.5 times beyond it, or a range over 1.5 times what they need, as a file made for another
// model whose tensor names happen to match gives). One issue per tensor and problem.
std::vector<EncodingIssue> checkNames(const EncodingSet& set, const ir::Graph& graph);

// True for initializers and Constant outputs: what QNN calls params.
bool isParamValue(const ir::Graph& graph, ir::ValueId value);

// Whether an issue of this kind keeps its entry out of an import: the tensor is not in the
// model, or the entry cannot apply to it (a node output filed as a param, a channel count that
// does not fit, a tensor that is not float32). The simulation would ignore or reject such an
// entry; the other kinds are advice and the entry is kept.
bool leavesEntryOut(EncodingIssue::Kind kind);

// An encodings file checked against the model it is about to be applied to (an import into the
// GUI, `layerbench-cli encodings check`): the reader's issues and checkNames', how many entries
// match the model and which the model's activations the file leaves without an encoding.
struct EncodingsCheck {
    std::vector<EncodingIssue> issues; // the reader's (EncodingSet::issues), then checkNames'
    size_t entries = 0;                // activation + param entries in the file
    size_t unmatched = 0;              // entries naming no tensor of the graph
    size_t leftOut = 0;                // entries with a leavesEntryOut issue (unmatched included)
    // The activations calibration would encode (float32 graph inputs and the node outputs
    // LayerBench's passes leave: materializedActivations) that have no entry in the file, in
    // graph order. They stay in float when the file replaces the encodings.
    std::vector<std::string> missingActivations;

    size_t matching() const { return entries - unmatched; }
    size_t usable() const { return entries - leftOut; }
    bool isClean() const { return issues.empty() && missingActivations.empty(); }
};
EncodingsCheck checkEncodings(const EncodingSet& set, const ir::Graph& graph);

// `set` without the entries `check` leaves out (leavesEntryOut): what an import may apply. The
// issues of the entries left out go with them.
EncodingSet usableEntries(const EncodingSet& set, const EncodingsCheck& check);

} // namespace lb::quant
