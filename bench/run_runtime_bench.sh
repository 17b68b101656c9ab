#!/usr/bin/env bash
# Runtime benchmark: layerbench-cli run (backend auto; also reference for context) against ONNX
# Runtime (onnxruntime-node via ort_run.js) on the PaddleOCR models, threads 1 and 2, ours and
# ORT alternating for LB_ROUNDS rounds in one run; plus this machine's fp32 limit
# (lb-bench-fp32-peak) and the per-node profiler's overhead. Prints a markdown table and writes
# the "Runtime" section of bench/RESULTS.md (between the runtime-bench markers).
#   bench/run_runtime_bench.sh [BUILD_DIR]        (default: build; configured Release if new)
# Env: LB_ROUNDS (5), LB_WARMUP (5), LB_ITERATIONS (30), LB_THREADS (1,2),
#      LB_MODELS (cls,rec,det640,det320), LB_REF_ITERATIONS (3), LB_MODELS_DIR, LB_NODE_MODULES,
#      LB_RESULTS (RESULTS.md path; empty = do not write), LB_JOBS (ninja -j, 2).
# LB_BACKEND=xnnpack (the mobile-cpu target): instead, that backend's fp32 and int8 against ORT
# and against oneDNN fp32, written to its own section (<!-- mobile-cpu-bench:begin -->).
set -euo pipefail
source "$(dirname "$0")/bench_env.sh" "${1:-}"

if [ ! -f "$build/build.ninja" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
ninja -C "$build" -j "${LB_JOBS:-2}" layerbench-cli lb-bench-fp32-peak lb-bench-observer-overhead >/dev/null
node -e "require(process.env.LB_NODE_MODULES ? process.env.LB_NODE_MODULES + '/onnxruntime-node' \
    : require('os').homedir() + '/.cache/layerbench/npm/node_modules/onnxruntime-node')" ||
    { echo "run_runtime_bench.sh: onnxruntime-node does not load (set LB_NODE_MODULES)" >&2; exit 1; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (the numbers are only as quiet as the machine)" >&2
LB_BUILD="$build" node "$here/ort_bench.js"
