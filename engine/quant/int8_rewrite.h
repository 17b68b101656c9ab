#pragma once

// Internal to quant/int8_transform*.cpp: the pieces every int8 rewrite shares. A rewrite turns one
// float node that sits between 8-bit per-tensor FakeQuants into an int8 node of ops/int8_ops.h
// on uint8 tensors, followed by a Dequantize that keeps the FakeQuant's output value for float
// readers (removed later when nobody reads it).

#include "ir/graph.h"
#include "quant/encoding_set.h"

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace lb::quant::int8 {

// An 8-bit per-tensor encoding: real = (q + offset) * scale.
struct Quantized {
    double scale = 0;
    int64_t offset = 0;
};

// The 8-bit per-tensor encoding a FakeQuant or Dequantize node applies, when it is one.
std::optional<Quantized> eightBit(const ir::Node& n);

using ir::floatAttribute;
using ir::floatsAttribute;
using ir::intAttribute;
using ir::intsAttribute;

// What a rewrite of node n found: empty reason = it can run in int8.
struct Plan {
    std::string reason;
    std::vector<ir::ValueId> inputs; // float inputs that become uint8 (in order)
    std::vector<Quantized> x;        // their encodings
    Quantized y;                     // the output's
    ir::NodeId outFq = ir::kNoNode;  // the output FakeQuant
    std::vector<ir::NodeId> consumed; // further nodes the int8 op stands for (removed with it)
};

// Thrown by Rewriter::replace when the backend lowering the graph does not take the int8 node
// (or a node it would replace is another backend's): the float node stays, simulated.
struct Declined {
    std::string reason;
};

// The s8 weights of a Conv-like node n (its float weights, after LayerBench's passes folded a
// BatchNorm or per-channel affine step into them, are the fake-quantized weights of the user's
// `originalOp` node times one factor per output channel, so they are still on a per-channel 8-bit
// grid, which is recovered exactly and checked). `axis` is the output-channel axis of the weights
// (0 for Conv, 1 for ConvTranspose). Empty when usable, else the reason.
struct WeightPlan {
    Tensor weights;            // int8, the layout of the float weights
    std::vector<float> scales; // one per output channel: real weight = q * scales[c]
};
class Rewriter;
std::string planWeights(const Rewriter& r, const ir::Node& n, const char* originalOp, int axis,
                        WeightPlan& plan);
// Replaces Conv-like node n (X, W[, B]) and its output FakeQuant by `op` (QConv or
// QConvTranspose): n's attributes, the s8 weights, the float bias, and the encodings as x_scale,
// x_offset, y_scale, y_offset, w_scales; with a second planned input (QConv's residual Z), that
// one as uint8 input 3 with z_scale, z_offset.
void replaceWeighted(Rewriter& r, const ir::Node& n, const char* op, const Plan& plan,
                     const WeightPlan& weights);

class Rewriter {
public:
    Rewriter(ir::Graph& graph, const ir::Graph& simulated, const EncodingSet& encodings)
        : g(graph), simulated(simulated), encodings(encodings) {}

    // Fills plan.x for `inputs` (each must come from an 8-bit FakeQuant or Dequantize) and plan.y
    // / plan.outFq from n's sole reader (an 8-bit FakeQuant); returns false with plan.reason set
    // otherwise.
    bool planInputsAndOutput(const ir::Node& n, const std::vector<ir::ValueId>& inputs, Plan& plan);

    // The uint8 form of float value `xf` (8-bit encoding `q`): the input of the Dequantize that
    // produced it, one made earlier, or a new Quantize.
    ir::ValueId u8Input(ir::ValueId xf, const Quantized& q);

    // Replaces node `id`, its output FakeQuant (plan.outFq) and plan.consumed by `q` (an int8 op
    // whose inputs the caller set, typically through u8Input) writing a new uint8 value, plus a
    // Dequantize that writes the FakeQuant's old output value. Counts one int8 node. Throws
    // Declined, changing nothing but unread Quantize nodes, when one of those nodes is not
    // `mine` or `accept` refuses q.
    void replace(ir::NodeId id, const Plan& plan, ir::Node q);

    ir::ValueId newValue(const std::string& base, DataType type, ir::ValueId like);

    ir::Graph& g;
    const ir::Graph& simulated; // the FakeQuant graph before LayerBench's passes
    const EncodingSet& encodings;
    int int8Nodes = 0;
    // The backend lowering the graph: the nodes it may replace, and the int8 nodes it runs.
    std::function<bool(ir::NodeId)> mine = [](ir::NodeId) { return true; };
    std::function<bool(const ir::Node&)> accept = [](const ir::Node&) { return true; };
    std::string backend; // for the reason of a decline

private:
    std::map<ir::ValueId, ir::ValueId> m_u8Of;
};

// Each returns std::nullopt when node `id` is not an op it handles; "" when it rewrote it, else
// the reason it stays simulated.
std::optional<std::string> rewriteConv(Rewriter& r, ir::NodeId id); // int8_transform.cpp
std::optional<std::string> rewriteData(Rewriter& r, ir::NodeId id); // int8_rewrite_data.cpp
std::optional<std::string> rewriteConvTranspose(Rewriter& r,
                                                ir::NodeId id);      // int8_rewrite_deconv.cpp
std::optional<std::string> rewriteUnary(Rewriter& r, ir::NodeId id); // int8_rewrite_unary.cpp

// After the rewrites and dead-node removal: a QResize read only by a QAdd or a channel QConcat
// is folded into that reader, which then reads the small tensor with per-input upsampling
// factors (x_upsample: [fy, fx] per input) and requantizes it with the QResize's table
// (x_pre_scales / x_pre_offsets: the encoding the bytes arrive in). Saves writing and reading
// the upsampled tensor. Returns the number of QResize folded (now dead).
// Only nodes `mine` accepts take part (both the QResize and its reader).
int foldResizes(ir::Graph& g, const std::function<bool(ir::NodeId)>& mine); // int8_rewrite_data.cpp

// Every node r.mine accepts, in topological order, through the rewrites above; then unread
// Quantize / Dequantize removed and QResize folded. Adds to `why` the reason of each node that
// stays simulated.
void rewriteAll(Rewriter& r, std::map<std::string, std::string>& why); // int8_transform.cpp

} // namespace lb::quant::int8
