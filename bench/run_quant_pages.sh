#!/usr/bin/env bash
# PaddleOCR det calibrated on generated text pages: quantize's output SQNR and top-1, the tensors
# its per-layer analysis names, the other calibrations it measures below 20 dB, the 16-bit
# tensors that lift it to 20 dB, and each setting's QDQ model in ONNX Runtime against fp32.
#
# Pages: bench/qdq_check.js --make-page --style strokes (rows of stroke glyphs, det's own
# normalisation: det marks about 22% of each page as text). LB_PAGE_STYLE=blocks gives the QDQ
# check's pages instead, on which det's map stays ~0 (0.01% of pixels above 0.3): the SQNR
# there measures noise on a handful of pixels (-17.41 dB per-tensor in the first run of this
# bench).
#
#   bench/run_quant_pages.sh [BUILD_DIR] [OUT_DIR]
#       (LB_SIZE=640, LB_PAGES=4, LB_PAGE_STYLE=strokes, LB_BEST="--calibrator percentile
#        --per-channel": the setting analysed second and planned to 20 dB)
set -eu
source "$(dirname "$0")/bench_env.sh" "${1:-}"
out=${2:-$here/out/quant_pages}
size=${LB_SIZE:-640}
pages=${LB_PAGES:-4}
style=${LB_PAGE_STYLE:-strokes}
best=${LB_BEST:---calibrator percentile --per-channel}
shape=1x3x${size}x${size}
model="$models/ch_PP-OCRv4_det_infer.onnx"
mkdir -p "$out/pages"
inputs=()
for seed in $(seq 1 "$pages"); do
    node "$here/qdq_check.js" --make-page "$out/pages/page$seed.npy" --shape "$shape" \
        --seed "$seed" --style "$style"
    inputs+=(--input "x=$out/pages/page$seed.npy")
done

# $1 tag, then quantize's options. Full analysis (every tensor isolated), the QDQ model, and
# ORT's fp32 vs QDQ next to ours (simulation, then real int8) on the same pages.
quantize() {
    local tag=$1
    shift
    echo "== det $shape, $pages $style pages: $tag ($*)"
    local start
    start=$(date +%s.%N)
    "$cli" quantize "$model" --shape "x=$shape" --calib "$out/pages" --worst 12 \
        --encodings "$out/$tag.json" --report "$out/$tag.report.json" --qdq "$out/$tag.qdq.onnx" \
        "$@" 2> "$out/$tag.err" | tee "$out/$tag.txt"
    echo "quantize took $(echo "$(date +%s.%N) - $start" | bc) s"
    local sim="" int8=""
    for seed in $(seq 1 "$pages"); do
        for mode in sim int8; do
            local flags=""
            [ $mode = int8 ] && flags=--int8
            # shellcheck disable=SC2086
            "$cli" run "$model" --shape "x=$shape" --input "x=$out/pages/page$seed.npy" \
                --encodings "$out/$tag.json" $flags --warmup 0 --iterations 1 \
                --outputs "$out/$tag.$mode$seed" > /dev/null 2>> "$out/$tag.err"
        done
        sim="$sim,$out/$tag.sim$seed"
        int8="$int8,$out/$tag.int8$seed"
    done
    echo "-- ONNX Runtime: fp32 vs QDQ (optimization all), ours vs the same fp32"
    node "$here/qdq_sqnr.js" "$model" "$out/$tag.qdq.onnx" "${inputs[@]}" --ours "${sim#,}" \
        --json "$out/$tag.ort_sim.json" 2>&1 | sed 's/ ours:/ ours (simulation):/'
    node "$here/qdq_sqnr.js" "$model" "$out/$tag.qdq.onnx" "${inputs[@]}" --ours "${int8#,}" \
        --json "$out/$tag.ort_int8.json" 2>&1 | grep ' ours:' | sed 's/ ours:/ ours (int8):/'
}

quantize default
# shellcheck disable=SC2086
quantize best $best
# shellcheck disable=SC2086
quantize best_20db $best --target-sqnr 20 --isolated 0
