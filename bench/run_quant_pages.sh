#!/usr/bin/env bash
# PaddleOCR det calibrated on generated text pages (bench/qdq_check.js --make-page, the pages the
# QDQ check uses), per-tensor and per-channel weights: quantize's output SQNR and its per-layer
# analysis (the isolated runs name the tensors that bring the output down), then each named
# tensor kept in float (an overrides file with a float encoding) to show what it costs.
#   bench/run_quant_pages.sh [BUILD_DIR] [OUT_DIR]     (LB_SIZE=640, LB_PAGES=4)
set -eu
source "$(dirname "$0")/bench_env.sh" "${1:-}"
out=${2:-$here/out/quant_pages}
size=${LB_SIZE:-640}
pages=${LB_PAGES:-4}
shape=1x3x${size}x${size}
mkdir -p "$out/pages"
for seed in $(seq 1 "$pages"); do
    node "$here/qdq_check.js" --make-page "$out/pages/page$seed.npy" --shape "$shape" --seed "$seed"
done
for weights in per-tensor per-channel; do
    flags=
    [ $weights = per-channel ] && flags=--per-channel
    echo "== det $shape, $pages pages, $weights"
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    "$cli" quantize "$models/ch_PP-OCRv4_det_infer.onnx" --shape "x=$shape" --calib "$out/pages" \
        --encodings "$out/det_$weights.json" --report "$out/det_$weights.report.json" --worst 12 \
        $flags 2> "$out/det_$weights.err" | tee "$out/det_$weights.txt"
    echo "quantize took $(echo "$(date +%s.%N) - $start" | bc) s"
done
