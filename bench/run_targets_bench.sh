#!/usr/bin/env bash
# The local targets side by side (issue #12): `layerbench-cli bench` on PaddleOCR's cls, rec and
# det (1x3x640x640) with cpu-fp32, mobile-cpu (when this build has XNNPACK), gpu-fp16 and npu-int8
# (encodings from `quantize --per-channel --samples 1 --seed 3`) in one comparison per model, the
# targets rotating between rounds; then the reference target in a second, short bench (it is 40-50
# times slower) against the same cpu-fp32 outputs. Prints a markdown table (p50 over every timed
# run, ratio to cpu-fp32's p50, output SQNR and max error against cpu-fp32, fallbacks) and writes
# the "Targets" section of bench/RESULTS.md (between the targets-bench markers).
#   bench/run_targets_bench.sh [BUILD_DIR]      (default: build)
# Env: LB_MODELS (cls,rec,det640), LB_ROUNDS (3), LB_WARMUP (3), LB_ITERATIONS (20),
#      LB_THREADS (1), LB_REF_ITERATIONS (2), LB_MODELS_DIR, LB_OUT (scratch folder, default
#      /tmp/lb_targets_bench), LB_RESULTS (RESULTS.md path; empty = do not write).
set -euo pipefail
source "$(dirname "$0")/bench_env.sh" "${1:-}"
rounds="${LB_ROUNDS:-3}"
warmup="${LB_WARMUP:-3}"
iters="${LB_ITERATIONS:-20}"
threads="${LB_THREADS:-1}"
ref_iters="${LB_REF_ITERATIONS:-2}"
out="${LB_OUT:-/tmp/lb_targets_bench}"
results="${LB_RESULTS-$here/RESULTS.md}"
[ -x "$cli" ] || ninja -C "$build" -j 2 layerbench-cli >/dev/null
mkdir -p "$out"

targets=cpu-fp32
"$cli" backends --json | python3 -c 'import json,sys; sys.exit(0 if any(b["name"] == "xnnpack"
    for b in json.load(sys.stdin)["backends"]) else 1)' && targets+=,mobile-cpu
targets+=,gpu-fp16,npu-int8

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
IFS=, read -ra wanted <<<"${LB_MODELS:-cls,rec,det640}"
for m in "${wanted[@]}"; do
    case "$m" in
    cls) file=ch_ppocr_mobile_v2.0_cls_infer.onnx shape=1x3x48x192 ;;
    rec) file=ch_PP-OCRv4_rec_infer.onnx shape=1x3x48x320 ;;
    det640) file=ch_PP-OCRv4_det_infer.onnx shape=1x3x640x640 ;;
    *) echo "run_targets_bench.sh: unknown model '$m' (cls, rec, det640)" >&2; exit 2 ;;
    esac
    model="$models/$file"
    enc="$out/${m}_encodings.json"
    if [ ! -f "$enc" ]; then
        echo "$m: quantize" >&2
        "$cli" quantize "$model" --shape "x=$shape" --per-channel --samples 1 --seed 3 \
            --isolated 0 --analysis-samples 1 --encodings "$enc" >"$out/${m}_quantize.log" 2>&1
    fi
    echo "$m: bench $targets" >&2
    "$cli" bench "$model" --shape "x=$shape" --targets "$targets" --encodings "$enc" \
        --threads "$threads" --warmup "$warmup" --iterations "$iters" --rounds "$rounds" \
        --seed 1 --json "$out/$m.json" >"$out/$m.txt" 2>"$out/$m.log"
    echo "$m: bench reference" >&2
    "$cli" bench "$model" --shape "x=$shape" --targets reference --reference cpu-fp32 \
        --threads "$threads" --warmup 0 --iterations "$ref_iters" --rounds 1 --seed 1 \
        --json "$out/${m}_reference.json" >"$out/${m}_reference.txt" 2>"$out/${m}_reference.log"
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

LB_OUT="$out" LB_WANTED="${LB_MODELS:-cls,rec,det640}" LB_RESULTS_PATH="$results" \
LB_COMMAND="LB_ROUNDS=$rounds LB_WARMUP=$warmup LB_ITERATIONS=$iters LB_THREADS=$threads LB_REF_ITERATIONS=$ref_iters LB_MODELS=${LB_MODELS:-cls,rec,det640} bench/run_targets_bench.sh" \
LB_LOAD="$load_before / $load_after" LB_ROUNDS="$rounds" LB_TARGETS="$targets" python3 - <<'EOF'
import json, math, os, re, subprocess, datetime

out = os.environ["LB_OUT"]
shapes = {"cls": "1x3x48x192", "rec": "1x3x48x320", "det640": "1x3x640x640"}

def db(v):
    if isinstance(v, str):
        return v
    return f"{v:.1f}"

def err(v):
    return v if isinstance(v, str) else f"{v:.3g}"

rows = []
for m in os.environ["LB_WANTED"].split(","):
    main = json.load(open(f"{out}/{m}.json"))
    ref = json.load(open(f"{out}/{m}_reference.json"))
    reports = main["reports"] + ref["reports"]
    base = next(r for r in main["reports"] if r["target"] == "cpu-fp32")["latency_ms"]["p50"]
    for r in reports:
        lat = r["latency_ms"]
        acc = r.get("accuracy") or {}
        fallbacks = sum(1 for n in r["nodes"] if "fallback" in n)
        runs = len(r["runs_ms"])
        rows.append(f"| {m} | {shapes[m]} | {r['target']} | {r['precision']} | {runs} | "
                    f"{lat['p50']:.2f} | {lat['p95']:.2f} | {lat['p50'] / base:.2f} | "
                    f"{db(acc.get('sqnr_db', '-'))} | {err(acc.get('max_abs_error', '-'))} | "
                    f"{fallbacks} |")

missing = "" if "mobile-cpu" in os.environ["LB_TARGETS"] else \
    " (mobile-cpu is not in this build: no XNNPACK backend)"
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"],
                     capture_output=True, text=True).stdout.strip()
now = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC")
section = f"""<!-- targets-bench:begin -->
## Targets: cpu-fp32, mobile-cpu, gpu-fp16, npu-int8 and reference side by side

Command: `{os.environ['LB_COMMAND']}`

Machine: {os.cpu_count()} cores, {cpu}, {now}. Load average before / after: {os.environ['LB_LOAD']}.

One `layerbench-cli bench` per model with the targets {os.environ['LB_TARGETS']}{missing}: every
target on the same fixed-seed random input, {os.environ['LB_ROUNDS']} rounds whose order rotates by
one target, each round warm-up then the timed runs; p50 and p95 over every timed run of the
target. npu-int8 runs the encodings of `layerbench-cli quantize MODEL --shape
x=SHAPE --per-channel --samples 1 --seed 3` (random calibration data). The reference target runs
in a second bench of its own with few iterations (it is the slow, plain kernels) against the same
cpu-fp32 outputs; its ratio is to the first bench's cpu-fp32 p50. SQNR and max error: the worst
output against cpu-fp32's on the same input. Fallbacks: rows that did not run as the target asked
(an op the backend lacks; for npu-int8 also nodes left in the int8 simulation).

| model | input | target | precision | timed runs | p50 ms | p95 ms | p50 / cpu-fp32 | SQNR dB | max error | fallbacks |
| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
""" + "\n".join(rows) + "\n<!-- targets-bench:end -->"
print(section)

path = os.environ["LB_RESULTS_PATH"]
if path:
    text = open(path).read()
    begin, end = "<!-- targets-bench:begin -->", "<!-- targets-bench:end -->"
    if begin in text:
        text = text[: text.index(begin)] + section + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    open(path, "w").write(text)
EOF
