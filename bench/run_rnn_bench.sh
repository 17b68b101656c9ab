#!/usr/bin/env bash
# Recurrent-model benchmark: layerbench-cli run (backend auto: oneDNN's RNN primitives) against
# ONNX Runtime (onnxruntime-node via ort_run.js) on models make_rnn_models.py writes (2-layer
# LSTM and GRU, one bidirectional LSTM; hidden 256, seq 64, batch 1), ours and ORT alternating
# for LB_ROUNDS rounds, each round LB_ITERATIONS timed runs after LB_WARMUP; prints the medians
# side by side (median over all timed runs of all rounds) and ours/ORT. Also our reference
# backend (LB_REF_ITERATIONS runs, one round) for context.
#   bench/run_rnn_bench.sh [BUILD_DIR]     (default: build)
# Env: LB_ROUNDS (5), LB_WARMUP (3), LB_ITERATIONS (20), LB_THREADS (1), LB_REF_ITERATIONS (3),
#      LB_RNN_MODELS (lstm2,gru2,bilstm), LB_OUT (bench/out/rnn), LB_JOBS (2).
set -euo pipefail
source "$(dirname "$0")/bench_env.sh" "${1:-}"
rounds="${LB_ROUNDS:-5}" warmup="${LB_WARMUP:-3}" iterations="${LB_ITERATIONS:-20}"
threads="${LB_THREADS:-1}" refIterations="${LB_REF_ITERATIONS:-3}"
out="${LB_OUT:-$here/out/rnn}"
mkdir -p "$out"
ninja -C "$build" -j "${LB_JOBS:-2}" layerbench-cli >/dev/null
/usr/bin/python3 "$here/make_rnn_models.py" "$out"
node "$here/ort_run.js" --make-input "$out/x.npy" --shape 64x1x256 --seed 7 >/dev/null

# runs_ms of a report as one number a line
runs() { node -e 'for (const v of JSON.parse(require("fs").readFileSync(process.argv[1])).runs_ms) console.log(v)' "$1"; }
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (the numbers are only as quiet as the machine)" >&2
per_round=""
printf '| model | threads | ours (auto) ms | ONNX Runtime ms | ours / ORT | ours (reference) ms |\n'
printf '| --- | --- | --- | --- | --- | --- |\n'
for m in $(echo "${LB_RNN_MODELS:-lstm2,gru2,bilstm}" | tr ',' ' '); do
    model="$out/$m.onnx"
    : >"$out/$m.ours" && : >"$out/$m.ort"
    rounds_ours="" rounds_ort=""
    for ((r = 0; r < rounds; ++r)); do
        "$cli" run "$model" --backend auto --threads "$threads" --warmup "$warmup" \
            --iterations "$iterations" --input "X=$out/x.npy" --json "$out/$m.ours.json" >/dev/null
        runs "$out/$m.ours.json" >>"$out/$m.ours"
        rounds_ours+=" $(runs "$out/$m.ours.json" | median)"
        node "$here/ort_run.js" "$model" --threads "$threads" --warmup "$warmup" \
            --iterations "$iterations" --input "X=$out/x.npy" --json "$out/$m.ort.json" >/dev/null
        runs "$out/$m.ort.json" >>"$out/$m.ort"
        rounds_ort+=" $(runs "$out/$m.ort.json" | median)"
    done
    per_round+="- $m: ours$rounds_ours | ORT$rounds_ort"$'\n'
    "$cli" run "$model" --backend reference --threads "$threads" --warmup 1 \
        --iterations "$refIterations" --input "X=$out/x.npy" --json "$out/$m.ref.json" >/dev/null
    ours=$(median <"$out/$m.ours") ort=$(median <"$out/$m.ort") ref=$(runs "$out/$m.ref.json" | median)
    printf '| %s | %s | %.2f | %.2f | %.2f | %.1f |\n' "$m" "$threads" "$ours" "$ort" \
        "$(echo "$ours / $ort" | bc -l)" "$ref"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
printf '\nPer-round medians (ms), ours | ORT:\n\n%s' "$per_round"
