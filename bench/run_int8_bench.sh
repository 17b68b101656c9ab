#!/usr/bin/env bash
# Real int8 vs fp32 on the oneDNN backend (issue 4: "int8 >= 2x faster than fp32 on det at 1
# thread"). Calibrates det at 1x3x640x640 (random inputs, fixed seed, per-channel weights), then
# alternates `layerbench-cli run` fp32 / `run --encodings --int8` LB_RUNS times per thread count
# (same backend, threads, warm-up and iterations), and prints a markdown table of the medians of
# each run's p50 and the ratio fp32 / int8.
#   bench/run_int8_bench.sh [BUILD_DIR]      (default: build)
# Env: LB_RUNS (5), LB_ITERS (10), LB_THREADS ("1 2"), LB_SHAPE (1x3x640x640), LB_MODELS_DIR,
#      LB_OUT (scratch folder, default /tmp/lb_int8_bench).
set -euo pipefail
source "$(dirname "$0")/bench_env.sh" "${1:-}"
det="$models/ch_PP-OCRv4_det_infer.onnx"
runs="${LB_RUNS:-5}"
iters="${LB_ITERS:-10}"
shape="${LB_SHAPE:-1x3x640x640}"
out="${LB_OUT:-/tmp/lb_int8_bench}"
[ -x "$cli" ] || ninja -C "$build" -j 2 layerbench-cli >/dev/null
mkdir -p "$out"
enc="$out/det_encodings.json"
if [ ! -f "$enc" ]; then
    "$cli" quantize "$det" --shape "x=$shape" --per-channel --samples 1 --seed 3 --isolated 0 \
        --encodings "$enc" >"$out/quantize.log" 2>&1
fi

p50() { # mode threads -> p50 ms of one `run`
    local extra=()
    [ "$1" = int8 ] && extra=(--encodings "$enc" --int8)
    "$cli" run "$det" --shape "x=$shape" --backend onednn --threads "$2" --warmup 2 \
        --iterations "$iters" --seed 1 "${extra[@]}" --json - 2>/dev/null |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["latency_ms"]["p50"])'
}
median() { sort -g | awk '{a[NR]=$1} END {printf "%.1f\n", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "| det $shape | threads | fp32 p50 ms | int8 p50 ms | fp32 / int8 |"
echo "| --- | --- | --- | --- | --- |"
for t in ${LB_THREADS:-1 2}; do
    : >"$out/fp32_$t"
    : >"$out/int8_$t"
    for ((r = 0; r < runs; ++r)); do
        p50 fp32 "$t" >>"$out/fp32_$t"
        p50 int8 "$t" >>"$out/int8_$t"
    done
    f=$(median <"$out/fp32_$t")
    i=$(median <"$out/int8_$t")
    echo "| onednn | $t | $f | $i | $(python3 -c "print(f'{$f / $i:.2f}')") |"
done
