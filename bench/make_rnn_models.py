#!/usr/bin/python3
# Writes the recurrent benchmark models (random weights, fixed seed) into DIR:
#   lstm2.onnx  two stacked LSTMs, hidden 256, input 256: X [64, 1, 256] -> Y [64, 1, 256]
#   gru2.onnx   the same with GRUs (linear_before_reset=1, as PyTorch exports them)
#   bilstm.onnx one bidirectional LSTM, hidden 256: X [64, 1, 256] -> Y [64, 2, 1, 256]
# Opset 14. Uses Debian's python3-onnx and python3-numpy (/usr/bin/python3).
#   /usr/bin/python3 bench/make_rnn_models.py DIR
import sys
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SEQ, BATCH, INPUT, HIDDEN = 64, 1, 256, 256
rng = np.random.default_rng(20261207)


def weights(name, shape):
    bound = 1.0 / np.sqrt(HIDDEN)  # PyTorch's default init range
    return numpy_helper.from_array(rng.uniform(-bound, bound, shape).astype(np.float32), name)


def stacked(op, layers, direction, extra):
    gates = {"LSTM": 4, "GRU": 3}[op]
    dirs = 2 if direction == "bidirectional" else 1
    nodes, inits = [], []
    if dirs == 1:
        inits.append(numpy_helper.from_array(np.array([1], dtype=np.int64), "axes"))
    x = "X"
    for l in range(layers):
        w = weights(f"W{l}", [dirs, gates * HIDDEN, INPUT if l == 0 else HIDDEN * dirs])
        r = weights(f"R{l}", [dirs, gates * HIDDEN, HIDDEN])
        b = weights(f"B{l}", [dirs, 2 * gates * HIDDEN])
        inits += [w, r, b]
        y = f"Y{l}" if l + 1 < layers or dirs == 1 else "Y"
        nodes.append(helper.make_node(op, [x, w.name, r.name, b.name], [y], name=f"{op.lower()}{l}",
                                      hidden_size=HIDDEN, direction=direction, **extra))
        if dirs == 1:  # [seq, 1, batch, hidden] -> [seq, batch, hidden]
            out = "Y" if l + 1 == layers else f"X{l + 1}"
            nodes.append(helper.make_node("Squeeze", [y, "axes"], [out], name=f"squeeze{l}"))
            x = out
    out_shape = [SEQ, BATCH, HIDDEN] if dirs == 1 else [SEQ, 2, BATCH, HIDDEN]
    graph = helper.make_graph(
        nodes, f"{op.lower()}{layers}",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [SEQ, BATCH, INPUT])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, out_shape)], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
    onnx.checker.check_model(model)
    return model


out = sys.argv[1]
onnx.save(stacked("LSTM", 2, "forward", {}), f"{out}/lstm2.onnx")
onnx.save(stacked("GRU", 2, "forward", {"linear_before_reset": 1}), f"{out}/gru2.onnx")
onnx.save(stacked("LSTM", 1, "bidirectional", {}), f"{out}/bilstm.onnx")
