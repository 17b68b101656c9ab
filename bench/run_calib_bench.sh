#!/usr/bin/env bash
# Calibration speed (issue 4: "calibration over 100 det samples at 640x640 in a few times the fp32
# inference time, not more"). Writes LB_SAMPLES random 1x3x640x640 float32 .raw files (values
# like normalized images, in [-2.1, 2.6]) and an input_list.txt, then measures
#   - fp32 inference: median of `layerbench-cli run` over LB_SAMPLES iterations (optimized graph,
#     and --no-optimize: the graph as imported, which is what calibration runs);
#   - calibration: the time `quantize` reports for the calibration pass alone, and the whole
#     quantize command (calibration + encodings + the fp32-vs-simulation comparison, --isolated 0).
# Prints a markdown table (calibration / (samples x fp32 median)).
#   bench/run_calib_bench.sh [BUILD_DIR]      (default: build)
# Env: LB_SAMPLES (100), LB_THREADS (1), LB_BACKEND (auto), LB_CALIBRATOR (minmax),
#      LB_MODELS_DIR, LB_OUT (scratch folder, default /tmp/lb_calib_bench).
set -euo pipefail
source "$(dirname "$0")/bench_env.sh" "${1:-}"
det="$models/ch_PP-OCRv4_det_infer.onnx"
samples="${LB_SAMPLES:-100}"
threads="${LB_THREADS:-1}"
backend="${LB_BACKEND:-auto}"
calibrator="${LB_CALIBRATOR:-minmax}"
out="${LB_OUT:-/tmp/lb_calib_bench}"
[ -x "$cli" ] || ninja -C "$build" -j 2 layerbench-cli >/dev/null
mkdir -p "$out"

# Inputs: one .raw per sample (smooth random fields, so histograms see image-like data).
if [ ! -f "$out/input_list.txt" ] || [ "$(wc -l <"$out/input_list.txt")" -ne "$samples" ]; then
    node -e '
const fs = require("fs"), path = require("path");
const [out, n] = [process.argv[1], Number(process.argv[2])];
const plane = 640 * 640, lines = [];
let seed = 12345;
const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
for (let s = 0; s < n; ++s) {
  const a = new Float32Array(3 * plane);
  const fx = 1 + 6 * rnd(), fy = 1 + 6 * rnd(), ph = 6.28 * rnd();
  for (let c = 0; c < 3; ++c)
    for (let y = 0; y < 640; ++y)
      for (let x = 0; x < 640; ++x) {
        const v = 0.5 + 0.35 * Math.sin(fx * x / 100 + ph + c) * Math.cos(fy * y / 100) + 0.15 * (rnd() - 0.5);
        a[c * plane + y * 640 + x] = (Math.min(1, Math.max(0, v)) - 0.45) / 0.225;
      }
  const f = `s${String(s).padStart(3, "0")}.raw`;
  fs.writeFileSync(path.join(out, f), Buffer.from(a.buffer));
  lines.push(f);
}
fs.writeFileSync(path.join(out, "input_list.txt"), lines.join("\n") + "\n");
' "$out" "$samples"
fi

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
median_ms() { node -e 'const j = require(process.argv[1]); const s = [...j.runs_ms].sort((a, b) => a - b);
  const n = s.length; console.log((n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2).toFixed(2));' "$1"; }
run_fp32() { # $1 tag, $2 iterations, rest: extra args
    local tag=$1 iterations=$2; shift 2
    "$cli" run "$det" --shape x=1x3x640x640 --backend "$backend" --threads "$threads" --warmup 1 \
        --iterations "$iterations" --input "x=$out/s000.raw" --no-profile-nodes --json "$out/$tag.json" "$@" >/dev/null
    median_ms "$out/$tag.json"
}
fp32=$(run_fp32 fp32 "$samples")
# `run --no-optimize` keeps Constant nodes, so oneDNN claims few nodes there: a few runs suffice.
fp32_noopt=$(run_fp32 fp32_noopt 3 --no-optimize)

start=$(date +%s.%N)
"$cli" quantize "$det" --shape x=1x3x640x640 --calib "$out/input_list.txt" --calibrator "$calibrator" \
    --backend "$backend" --threads "$threads" --isolated 0 --encodings "$out/enc.json" \
    >"$out/quantize.txt" 2>"$out/quantize.err"
total=$(echo "$(date +%s.%N) - $start" | bc)
calib=$(sed -n 's/.*calibration took \([0-9.e+-]*\) s.*/\1/p' "$out/quantize.err")

ratio() { echo "scale=2; $1 / ($samples * $2 / 1000)" | bc; }
cat <<EOF
| det 1x3x640x640, $samples samples, $backend, $threads thread(s), $calibrator | seconds | / ($samples x fp32 median) |
| --- | ---: | ---: |
| fp32 inference, median ${fp32} ms (optimized graph) x $samples | $(echo "scale=2; $samples * $fp32 / 1000" | bc) | 1.00 |
| fp32 inference, median ${fp32_noopt} ms (run --no-optimize: graph as imported, 3 runs) x $samples | $(echo "scale=2; $samples * $fp32_noopt / 1000" | bc) | $(ratio "$(echo "$samples * $fp32_noopt / 1000" | bc -l)" "$fp32") |
| calibration pass (quantize's own timing) | $(printf '%.2f' "$calib") | $(ratio "$calib" "$fp32") |
| whole quantize command (load + calibration + simulation comparison, --isolated 0) | $(printf '%.2f' "$total") | $(ratio "$total" "$fp32") |
EOF
