// The int8 rewrite of unary elementwise ops between 8-bit FakeQuants (Relu, Sigmoid, Clip, ...):
// the output byte is a function of the input byte, so the op becomes QLut (ops/int8_ops.h) with
// a 256-entry table. The table is computed by running the node itself on the 256 dequantized
// input values in a session on the auto backend, the backend choice the simulation makes (the
// oneDNN eltwise primitive where it claims the op, the reference kernels elsewhere), and
// quantizing the results with ops/encoding.h's rule: the bytes the simulation's float kernel and
// FakeQuant give.
#include "core/error.h"
#include "lowering/rewrite_util.h"
#include "ops/fused_ops.h"
#include "ops/int8_ops.h"
#include "profile/local_run.h"
#include "quant/encoding.h"
#include "quant/int8_rewrite.h"

#include <set>

namespace lb::quant::int8 {

namespace {

// ONNX ops whose output element depends on the same input element only (extra inputs, like
// Clip's min / max, must be constant).
const std::set<std::string>& unaryOps() {
    static const std::set<std::string> ops = {
        "Relu",  "LeakyRelu", "Sigmoid", "Tanh",     "HardSigmoid", "HardSwish",  "Clip",
        "Elu",   "Selu",      "Celu",    "Softplus", "Softsign",    "Abs",        "Neg",
        "Exp",   "Log",       "Sqrt",    "Erf",      "Identity",    "Floor",      "Ceil",
        "Round", "Sign",      "Sin",     "Cos",      "Mish",        "Reciprocal", "ThresholdedRelu",
    };
    return ops;
}

// The output bytes of node n for the 256 input bytes, or the reason they cannot be computed.
std::string tabulate(const ir::Graph& g, const ir::Node& n, const Quantized& x, const Quantized& y,
                     Tensor& table) {
    const int64_t kCount = 256;
    ir::Graph one;
    one.opsetImports = g.opsetImports;
    const ir::ValueId in = one.addValue("x"), out = one.addValue("y");
    one.value(in).dtype = DataType::Float32;
    one.value(in).shape = symbolicShape({kCount});
    one.value(out).dtype = DataType::Float32;
    one.value(out).shape = symbolicShape({kCount});
    one.inputs().push_back(in);
    one.outputs().push_back(out);
    ir::Node op;
    op.name = n.name;
    op.opType = n.opType;
    op.domain = n.domain;
    op.attributes = n.attributes;
    op.inputs = {in};
    for (size_t k = 1; k < n.inputs.size(); ++k) {
        if (n.inputs[k] == ir::kNoValue) {
            op.inputs.push_back(ir::kNoValue);
            continue;
        }
        const Tensor* t = g.initializer(n.inputs[k]);
        if (!t)
            return "input " + quoted(g.value(n.inputs[k]).name) + " is not constant";
        const ir::ValueId v = one.addValue(one.uniqueValueName(g.value(n.inputs[k]).name));
        one.value(v).dtype = t->dtype();
        one.value(v).shape = symbolicShape(t->shape());
        one.setInitializer(v, *t);
        op.inputs.push_back(v);
    }
    op.outputs = {out};
    one.addNode(std::move(op));

    const ChannelParams xp = paramsFromScaleOffset(x.scale, x.offset, 8),
                        yp = paramsFromScaleOffset(y.scale, y.offset, 8);
    Tensor values(DataType::Float32, {kCount});
    for (int64_t v = 0; v < kCount; ++v)
        values.data<float>()[v] = static_cast<float>(dequantizeValue(v, xp));
    std::vector<Tensor> result;
    try {
        profile::LocalRunOptions options;
        options.backend = "auto";
        options.optimize = false;
        profile::PreparedModel prepared = profile::prepare(one, options);
        result = prepared.session->run({{"x", values}});
    } catch (const Error& e) {
        return std::string("the op could not be tabulated: ") + e.what();
    }
    if (result.size() != 1 || result[0].dtype() != DataType::Float32 || result[0].numel() != kCount)
        return "the op did not give one float32 value per input";
    table = Tensor(DataType::UInt8, {kCount});
    for (int64_t v = 0; v < kCount; ++v)
        table.data<uint8_t>()[v] =
            static_cast<uint8_t>(quantizeValue(result[0].data<float>()[v], yp, 8));
    return {};
}

} // namespace

// Unary elementwise op + its output FakeQuant -> QLut -> Dequantize.
std::optional<std::string> rewriteUnary(Rewriter& r, ir::NodeId id) {
    const ir::Node n = r.g.node(id); // a copy: adding nodes may move the graph's storage
    if (!(n.domain.empty() || n.domain == "ai.onnx") || !unaryOps().count(n.opType) ||
        n.inputs.empty() || n.outputs.size() != 1)
        return std::nullopt;
    Plan plan;
    if (!r.planInputsAndOutput(n, {n.inputs[0]}, plan))
        return plan.reason;
    if (r.g.value(n.outputs[0]).dtype != DataType::Float32)
        return "output " + quoted(r.g.value(n.outputs[0]).name) + " is not float32";
    Tensor table;
    if (std::string why = tabulate(r.g, n, plan.x[0], plan.y, table); !why.empty())
        return why;
    ir::Node q;
    q.name = n.name;
    q.opType = ops::kQLutOp;
    q.fusedFrom = n.fusedFrom.empty() ? std::vector<std::string>{n.name} : n.fusedFrom;
    const ir::ValueId t = lowering::addInitializer(r.g, n.name + "__table", std::move(table));
    q.inputs = {r.u8Input(n.inputs[0], plan.x[0]), t};
    ir::Attribute opName;
    opName.name = "op";
    opName.type = ir::AttributeType::String;
    opName.s = n.opType;
    q.attributes = {std::move(opName)};
    r.replace(id, plan, std::move(q));
    return std::string();
}

} // namespace lb::quant::int8
