#!/usr/bin/env bash
# Control-flow benchmark: a Loop's cost per iteration (a tiny body, where the per-iteration
# overhead is all there is), a Loop whose body is a 256x256 MatMul + Tanh (where the body's
# kernels matter, oneDNN with auto), and a Scan over 512 rows, in LayerBench (`run`, backends
# auto and reference) and ONNX Runtime (onnxruntime-node, bench/ort_run.js), 1 thread, side by
# side. The models are written with Debian's python3-onnx into bench/out/control_flow.
#   bench/run_control_flow_bench.sh [BUILD_DIR]        (default: build)
# Env: LB_ITERATIONS (50), LB_WARMUP (5), LB_NODE_MODULES, LB_NO_BUILD (set: use the CLI as built).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
build="${1:-$root/build}"
iterations="${LB_ITERATIONS:-50}"
warmup="${LB_WARMUP:-5}"
out="$here/out/control_flow"
mkdir -p "$out"
[[ -n "${LB_NO_BUILD:-}" ]] || ninja -C "$build" layerbench-cli >/dev/null

/usr/bin/python3 - "$out" <<'EOF'
import sys
import numpy as np
from onnx import TensorProto, helper, numpy_helper, save

out = sys.argv[1]
rng = np.random.default_rng(7)

def loop_model(name, size, body_nodes, inits):
    body = helper.make_graph(
        [helper.make_node("Identity", ["cond_in"], ["cond_out"])] + body_nodes, "body",
        [helper.make_tensor_value_info("i", TensorProto.INT64, []),
         helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
         helper.make_tensor_value_info("y_in", TensorProto.FLOAT, [1, size])],
        [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
         helper.make_tensor_value_info("y_out", TensorProto.FLOAT, [1, size])])
    graph = helper.make_graph(
        [helper.make_node("Loop", ["M", "", "y0"], ["y"], body=body)], name,
        [helper.make_tensor_value_info("M", TensorProto.INT64, []),
         helper.make_tensor_value_info("y0", TensorProto.FLOAT, [1, size])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, size])], inits)
    save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]),
         f"{out}/{name}.onnx")

# y = y + 1 per iteration: the loop's own cost.
loop_model("loop_add", 2, [helper.make_node("Add", ["y_in", "one"], ["y_out"])],
           [numpy_helper.from_array(np.ones((1, 2), np.float32), "one")])
# y = tanh(y W): a real kernel in the body.
w = (rng.standard_normal((256, 256)) / 16).astype(np.float32)
loop_model("loop_matmul", 256,
           [helper.make_node("MatMul", ["y_in", "W"], ["m"]),
            helper.make_node("Tanh", ["m"], ["y_out"])], [numpy_helper.from_array(w, "W")])
np.save(f"{out}/M.npy", np.array(200, np.int64))
np.save(f"{out}/y0_2.npy", np.zeros((1, 2), np.float32))
np.save(f"{out}/y0_256.npy", rng.standard_normal((1, 256)).astype(np.float32))

# Scan: running sum over 512 rows of 64, each row's sum as scan output.
body = helper.make_graph(
    [helper.make_node("Add", ["s_in", "row"], ["s_out"]),
     helper.make_node("Identity", ["s_out"], ["scan"])], "scan_body",
    [helper.make_tensor_value_info("s_in", TensorProto.FLOAT, [64]),
     helper.make_tensor_value_info("row", TensorProto.FLOAT, [64])],
    [helper.make_tensor_value_info("s_out", TensorProto.FLOAT, [64]),
     helper.make_tensor_value_info("scan", TensorProto.FLOAT, [64])])
graph = helper.make_graph(
    [helper.make_node("Scan", ["s0", "x"], ["s", "all"], body=body, num_scan_inputs=1)],
    "scan_sum",
    [helper.make_tensor_value_info("s0", TensorProto.FLOAT, [64]),
     helper.make_tensor_value_info("x", TensorProto.FLOAT, [512, 64])],
    [helper.make_tensor_value_info("s", TensorProto.FLOAT, [64]),
     helper.make_tensor_value_info("all", TensorProto.FLOAT, [512, 64])])
save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), f"{out}/scan_sum.onnx")
np.save(f"{out}/s0.npy", np.zeros(64, np.float32))
np.save(f"{out}/x.npy", rng.standard_normal((512, 64)).astype(np.float32))
EOF

median() { # report.json -> median latency in ms (ours: p50; ORT: median)
    /usr/bin/python3 -c 'import json,sys; l=json.load(open(sys.argv[1]))["latency_ms"]; print("%.4f" % l.get("median", l["p50"]))' "$1"
}
echo "| model | iterations per run | ours auto ms | ours reference ms | ORT ms | auto / ORT |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
run_case() { # name, per-run iterations, inputs...
    local name="$1" per="$2"
    shift 2
    local inputs=()
    for i in "$@"; do inputs+=(--input "$i"); done
    for b in auto reference; do
        "$build/app/cli/layerbench-cli" run "$out/$name.onnx" "${inputs[@]}" --backend "$b" \
            --threads 1 --warmup "$warmup" --iterations "$iterations" \
            --json "$out/$name.$b.json" >/dev/null
    done
    node "$here/ort_run.js" "$out/$name.onnx" "${inputs[@]}" --threads 1 --warmup "$warmup" \
        --iterations "$iterations" --json "$out/$name.ort.json"
    local a r o
    a="$(median "$out/$name.auto.json")"
    r="$(median "$out/$name.reference.json")"
    o="$(median "$out/$name.ort.json")"
    printf '| %s | %s | %s | %s | %s | %s |\n' "$name" "$per" "$a" "$r" "$o" \
        "$(awk -v a="$a" -v o="$o" 'BEGIN { printf "%.2f", a / o }')"
}
run_case loop_add 200 "M=$out/M.npy" "y0=$out/y0_2.npy"
run_case loop_matmul 200 "M=$out/M.npy" "y0=$out/y0_256.npy"
run_case scan_sum 512 "s0=$out/s0.npy" "x=$out/x.npy"
