#!/usr/bin/env bash
# QDQ export vs our quantization simulation in ONNX Runtime (bench/qdq_check.js) at its four graph
# optimization levels (disabled, basic, extended, all), on the PaddleOCR cls model (per-tensor and
# per-channel weights), det at 160x160 and rec. Encodings calibrated (MinMax) on 4 synthetic text
# pages (qdq_check.js --make-page), a 5th page is the input both run; the *_random cases calibrate
# on 8 uniform random inputs (quantize without --calib) instead. Then ORT's fused QLinear kernels
# one by one (bench/qdq_kernels.js on lb-bench-qdq-probe's models): each kernel fed the integers
# the unfused graph computes from, within 1 LSB of it at every level.
#   bench/run_qdq_check.sh [BUILD_DIR] [OUT_DIR]
set -eu
source "$(dirname "$0")/bench_env.sh" "${1:-}"
out=${2:-$here/out/qdq}
mkdir -p "$out"
status=0
check() { # tag model shape [quantize options]
    tag=$1 model=$2 shape=$3
    shift 3
    mkdir -p "$out/$tag.calib"
    for seed in 1 2 3 4; do
        node "$here/qdq_check.js" --make-page "$out/$tag.calib/page$seed.npy" --shape "$shape" \
            --seed $seed
    done
    node "$here/qdq_check.js" --make-page "$out/$tag.x.npy" --shape "$shape" --seed 7
    calib="--calib $out/$tag.calib"
    case $tag in *_random) calib="--samples 8 --seed 1" ;; esac
    # shellcheck disable=SC2086
    "$cli" quantize "$models/$model" --shape "x=$shape" $calib --isolated 0 \
        --encodings "$out/$tag.json" --qdq "$out/$tag.onnx" "$@" > "$out/$tag.quantize.txt" 2>&1
    # The simulation as `run --encodings` does it by default (passes, oneDNN where it can), and
    # on the reference backend without passes (the float ops computed as plainly as ORT does).
    for sim in default reference; do
        flags=
        [ $sim = reference ] && flags="--backend reference --no-optimize"
        # shellcheck disable=SC2086
        "$cli" run "$models/$model" --shape "x=$shape" --encodings "$out/$tag.json" \
            --input "x=$out/$tag.x.npy" --outputs "$out/$tag.sim_$sim" --warmup 0 \
            --iterations 1 --no-profile-nodes $flags > /dev/null
        echo "== $tag, simulation: $sim"
        node "$here/qdq_check.js" "$out/$tag.onnx" --encodings "$out/$tag.json" \
            --reference "$out/$tag.sim_$sim" --input "x=$out/$tag.x.npy" \
            --json "$out/$tag.check_$sim.json" || status=1
    done
    echo "== $tag, fused kernels one by one"
    "$build/bench/lb-bench-qdq-probe" "$out/$tag.onnx" "$out/$tag" > /dev/null
    node "$here/qdq_kernels.js" "$out/$tag.probe.onnx" "$out/$tag.islands.onnx" \
        --tensors "$out/$tag.tensors.json" --input "x=$out/$tag.x.npy" \
        --json "$out/$tag.kernels.json" || status=1
}
check cls_per_tensor ch_ppocr_mobile_v2.0_cls_infer.onnx 1x3x48x192
check cls_per_channel ch_ppocr_mobile_v2.0_cls_infer.onnx 1x3x48x192 --per-channel
check det160_per_tensor ch_PP-OCRv4_det_infer.onnx 1x3x160x160
check det160_per_channel ch_PP-OCRv4_det_infer.onnx 1x3x160x160 --per-channel
check cls_random ch_ppocr_mobile_v2.0_cls_infer.onnx 1x3x48x192
check det160_random ch_PP-OCRv4_det_infer.onnx 1x3x160x160
check rec_per_tensor ch_PP-OCRv4_rec_infer.onnx 1x3x48x320
check rec_random ch_PP-OCRv4_rec_infer.onnx 1x3x48x320
exit $status
