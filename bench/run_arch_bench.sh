#!/usr/bin/env bash
# Architecture benchmark (issue #13): fifteen networks beyond PaddleOCR (classification,
# detection, segmentation, a transformer encoder, recurrent nets), exported from PyTorch with
# random weights by bench/make_arch_models.py into a cache folder, each run by layerbench-cli
# (backend auto) and by ONNX Runtime side by side (bench/arch_bench.js), threads 1 and 2.
# Writes the "Architectures" section of bench/RESULTS.md (between the arch-bench markers).
#   bench/run_arch_bench.sh [BUILD_DIR]        (default: build; configured Release if new)
# Env: LB_ROUNDS (3), LB_WARMUP (3), LB_ITERATIONS (20), LB_THREADS (1,2), LB_ARCHS (keys, default
#      all), LB_ARCH_DIR (default ~/.cache/layerbench/archs), LB_NODE_MODULES, LB_RESULTS,
#      LB_RESULTS_TAG, LB_JOBS (ninja -j, 2).
set -euo pipefail
source "$(dirname "$0")/bench_env.sh" "${1:-}"
export LB_ARCH_DIR="${LB_ARCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/layerbench/archs}"

# Set-up: Debian's PyTorch and torchvision (seen by /usr/bin/python3 only) export the models.
missing=()
for p in python3-torch python3-torchvision; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "run_arch_bench.sh: installing ${missing[*]}" >&2
    as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
/usr/bin/python3 "$here/make_arch_models.py" "$LB_ARCH_DIR"

if [ ! -f "$build/build.ninja" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
ninja -C "$build" -j "${LB_JOBS:-2}" layerbench-cli >/dev/null
node -e "require(process.env.LB_NODE_MODULES ? process.env.LB_NODE_MODULES + '/onnxruntime-node' \
    : require('os').homedir() + '/.cache/layerbench/npm/node_modules/onnxruntime-node')" ||
    { echo "run_arch_bench.sh: onnxruntime-node does not load (set LB_NODE_MODULES)" >&2; exit 1; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (the numbers are only as quiet as the machine)" >&2
LB_BUILD="$build" node "$here/arch_bench.js"
