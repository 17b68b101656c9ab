#!/usr/bin/python3
"""Writes a long chain model with ONNX's own Python helpers (not our exporter), for
bench/run_import_bench.sh: Conv (3x3, 8 channels, shared weights) -> Relu -> Add (shared bias)
repeated until the graph has at least NODES nodes, on a 1x8x16x16 input, opset 13.

    /usr/bin/python3 bench/make_chain_model.py OUT.onnx [--nodes 100000] [--value-info]

--value-info stores every intermediate tensor's type and shape in graph.value_info (as exporters
that run shape inference before saving do); without it, shape inference has all of them to find.
Debian's python3-onnx and numpy are visible to /usr/bin/python3 only.
"""

import argparse

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--nodes", type=int, default=100000)
    p.add_argument("--value-info", action="store_true")
    a = p.parse_args()

    c, h, w = 8, 16, 16
    shape = [1, c, h, w]
    rng = np.random.default_rng(1)
    inits = [
        numpy_helper.from_array((rng.standard_normal((c, c, 3, 3)) * 0.1).astype(np.float32), "w"),
        numpy_helper.from_array((rng.standard_normal((c,)) * 0.1).astype(np.float32), "b"),
        numpy_helper.from_array((rng.standard_normal((1, c, 1, 1)) * 0.1).astype(np.float32),
                                "bias"),
    ]
    nodes, value_info = [], []
    x = "x"
    i = 0
    while len(nodes) < a.nodes:
        conv, relu, add = f"conv_{i}", f"relu_{i}", f"add_{i}"
        nodes.append(helper.make_node("Conv", [x, "w", "b"], [conv + "_out"], name=conv,
                                      kernel_shape=[3, 3], pads=[1, 1, 1, 1]))
        nodes.append(helper.make_node("Relu", [conv + "_out"], [relu + "_out"], name=relu))
        nodes.append(helper.make_node("Add", [relu + "_out", "bias"], [add + "_out"], name=add))
        x = add + "_out"
        i += 1
    if a.value_info:
        for n in nodes[:-1]:
            value_info.append(helper.make_tensor_value_info(n.output[0], TensorProto.FLOAT, shape))
    graph = helper.make_graph(
        nodes, f"chain-{len(nodes)}",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info(x, TensorProto.FLOAT, shape)], inits, value_info=value_info)
    model = helper.make_model(graph, producer_name="layerbench-bench",
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.save(model, a.out)
    print(f"{a.out}: {len(nodes)} nodes")


if __name__ == "__main__":
    main()
