#pragma once

// The attributes of ONNX's recurrent ops (RNN, GRU, LSTM), parsed once the same way for the
// reference kernels and the oneDNN backend's claim and kernel.

#include "ops/node_attrs.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lb::ops {

enum class RecurrentCell { Rnn, Gru, Lstm };

// The activation functions the recurrent ops' `activations` attribute may name (ONNX spec).
enum class RecurrentActivationKind {
    Relu,
    Tanh,
    Sigmoid,
    Affine,          // alpha * x + beta
    LeakyRelu,       // x >= 0 ? x : alpha * x
    ThresholdedRelu, // x > alpha ? x : 0
    ScaledTanh,      // alpha * tanh(beta * x)
    HardSigmoid,     // clamp(alpha * x + beta, 0, 1)
    Elu,             // x >= 0 ? x : alpha * (e^x - 1)
    Softsign,        // x / (1 + |x|)
    Softplus,        // log(1 + e^x)
};

struct RecurrentActivation {
    RecurrentActivationKind kind;
    float alpha = 0.0f;
    float beta = 0.0f;
    float operator()(float x) const;
};

struct RecurrentAttrs {
    RecurrentCell cell = RecurrentCell::Lstm;
    int64_t hiddenSize = -1;        // -1 when the attribute is absent (W's shape says)
    int64_t directions = 1;         // 2 for "bidirectional"
    bool reverse = false;           // direction "reverse"
    int64_t layout = 0;             // 0: X [seq, batch, input]; 1: X [batch, seq, input]
    float clip = 0.0f;              // > 0: gate pre-activations are clipped to [-clip, clip]
    bool inputForget = false;       // LSTM: f = 1 - i
    bool linearBeforeReset = false; // GRU
    // activationsPerDirection() entries per direction, the forward direction's first.
    std::vector<RecurrentActivation> activations;

    // Gates per direction in W: RNN 1, GRU 3 (z, r, h), LSTM 4 (i, o, f, c).
    int64_t gates() const;
    // RNN f; GRU f, g; LSTM f, g, h.
    size_t activationsPerDirection() const;
    const RecurrentActivation& activation(int64_t direction, size_t index) const {
        return activations[static_cast<size_t>(direction) * activationsPerDirection() + index];
    }
    // Whether every activation is the op's default (and both directions use the same ones).
    bool defaultActivations() const;
};

// "RNN", "GRU" or "LSTM"; fails naming the node for a malformed attribute (an unknown direction or
// activation, a wrong activation count, layout other than 0/1).
RecurrentAttrs parseRecurrentAttrs(const NodeAttrs& a);

} // namespace lb::ops
