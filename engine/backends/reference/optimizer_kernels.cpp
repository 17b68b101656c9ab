// The optimizers of ai.onnx.preview.training: one update step of Adagrad, Adam and Momentum
// (standard or Nesterov) over n tensors at once. Inputs R (learning rate) and T (update count),
// then n X, n G and one or two groups of n state tensors; outputs n new X, then the new states.

#include "backends/reference/kernel_util.h"
#include "backends/reference/kernels.h"

#include <cmath>

namespace lb::backends::reference {

namespace {

enum class Optimizer { Adagrad, Adam, Momentum, Nesterov };

struct OptimizerAttrs {
    Optimizer kind = Optimizer::Adagrad;
    double alpha = 0, beta = 0, epsilon = 0, decay = 0, norm = 0, normPost = 0;
    size_t states = 1; // state groups after X and G: H (Adagrad), V (Momentum), V and H (Adam)
};

OptimizerAttrs parseOptimizer(const NodeAttrs& a) {
    OptimizerAttrs o;
    const std::string& op = a.node().opType;
    o.norm = a.getFloat("norm_coefficient", 0.0f);
    if (op == "Adagrad") {
        o.epsilon = a.getFloat("epsilon", 0.0f);
        o.decay = a.getFloat("decay_factor", 0.0f);
    } else if (op == "Adam") {
        o.kind = Optimizer::Adam;
        o.states = 2;
        o.alpha = a.getFloat("alpha", 0.9f);
        o.beta = a.getFloat("beta", 0.999f);
        o.epsilon = a.getFloat("epsilon", 0.0f);
        o.normPost = a.getFloat("norm_coefficient_post", 0.0f);
    } else if (op == "Momentum") {
        for (const char* name : {"alpha", "beta", "mode", "norm_coefficient"})
            if (!a.has(name))
                a.fail("attribute '", name, "' is required");
        const std::string mode = a.getString("mode", "");
        if (mode != "standard" && mode != "nesterov")
            a.fail("mode should be 'standard' or 'nesterov', got '", mode, "'");
        o.kind = mode == "standard" ? Optimizer::Momentum : Optimizer::Nesterov;
        o.alpha = a.getFloat("alpha", 0.0f);
        o.beta = a.getFloat("beta", 0.0f);
    } else {
        a.fail("not an optimizer");
    }
    const size_t groups = 2 + o.states; // X, G and the states
    const size_t inputs = a.node().inputs.size(), outputs = a.node().outputs.size();
    if (inputs < 2 + groups || (inputs - 2) % groups != 0 ||
        outputs != (inputs - 2) / groups * (1 + o.states))
        a.fail("expected R, T, then ", groups, " groups of n tensors (", 2 + groups, ", ",
               2 + 2 * groups, ", ... inputs) and ", 1 + o.states, " groups of n outputs; got ",
               inputs, " inputs and ", outputs, " outputs");
    return o;
}

float scalarFloat(const Tensor& t, const char* what) {
    if (t.numel() != 1 || t.dtype() != DataType::Float32)
        fail(what, " should be one float32 value, got ", dtypeName(t.dtype()), " ",
             shapeToString(t.shape()));
    return t.data<float>()[0];
}

} // namespace

std::unique_ptr<Kernel> makeOptimizer(const KernelInfo& info) {
    NodeAttrs a(info.graph, info.node);
    const OptimizerAttrs o = parseOptimizer(a);
    const size_t n = (info.node.inputs.size() - 2) / (2 + o.states);
    return makeKernel([o, n](KernelContext& ctx) {
        const double r = scalarFloat(ctx.in(0), "R (learning rate)");
        const std::vector<int64_t> tv = toInt64s(ctx.in(1), "T (update count)");
        if (tv.size() != 1)
            fail("T should be one value, got ", shapeToString(ctx.in(1).shape()));
        const double t = static_cast<double>(tv[0]);
        for (size_t k = 0; k < n; ++k) {
            const Tensor &x = ctx.in(2 + k), &g = ctx.in(2 + n + k);
            const Tensor& s1 = ctx.in(2 + 2 * n + k);
            const Tensor* s2 = o.states > 1 ? &ctx.in(2 + 3 * n + k) : nullptr;
            for (const Tensor* each : {&x, &g, &s1, s2})
                if (each && (each->dtype() != DataType::Float32 || each->shape() != x.shape()))
                    fail("tensor group ", k,
                         ": X, G and the states should be float32 of one "
                         "shape; X is ",
                         shapeToString(x.shape()), ", got ", dtypeName(each->dtype()), " ",
                         shapeToString(each->shape()));
            Tensor& xNew = ctx.output(k, DataType::Float32, x.shape());
            Tensor& s1New = ctx.output(n + k, DataType::Float32, x.shape());
            Tensor* s2New = s2 ? &ctx.output(2 * n + k, DataType::Float32, x.shape()) : nullptr;
            for (int64_t i = 0; i < x.numel(); ++i) {
                const double xi = x.data<float>()[i];
                const double gr = o.norm * xi + g.data<float>()[i]; // gradient of the L2 term
                const double v = s1.data<float>()[i];
                double xn = 0, v1 = 0, v2 = 0;
                switch (o.kind) {
                case Optimizer::Adagrad: {
                    v1 = v + gr * gr; // accumulated squared gradient
                    xn = xi - r / (1 + t * o.decay) * gr / (std::sqrt(v1) + o.epsilon);
                    break;
                }
                case Optimizer::Momentum:
                case Optimizer::Nesterov: {
                    v1 = o.alpha * v + (t > 0 ? o.beta : 1.0) * gr;
                    xn = xi - r * (o.kind == Optimizer::Momentum ? v1 : gr + o.alpha * v1);
                    break;
                }
                case Optimizer::Adam: {
                    v1 = o.alpha * v + (1 - o.alpha) * gr;
                    v2 = o.beta * s2->data<float>()[i] + (1 - o.beta) * gr * gr;
                    // bias correction of both moments folded into the learning rate
                    const double rAdjusted =
                        t > 0 ? r * std::sqrt(1 - std::pow(o.beta, t)) / (1 - std::pow(o.alpha, t))
                              : r;
                    xn = (1 - o.normPost) * (xi - rAdjusted * v1 / (std::sqrt(v2) + o.epsilon));
                    break;
                }
                }
                xNew.data<float>()[i] = static_cast<float>(xn);
                s1New.data<float>()[i] = static_cast<float>(v1);
                if (s2New)
                    s2New->data<float>()[i] = static_cast<float>(v2);
            }
        }
    });
}

} // namespace lb::backends::reference
