#!/usr/bin/env bash
# Open-to-interactive benchmark of the GUI on big synthetic models: runs
#   LB_TIMINGS=1 QT_QPA_PLATFORM=offscreen layerbench FILE --screenshot out.png
# three times per file, takes the median of each "timing <phase> <ms>" line the app prints to
# stderr, prints a markdown table and writes it to bench/RESULTS.md.
#   bench/run_open_bench.sh [BUILD_DIR]     (default: build; needs lb-bench-graphs and layerbench)
# Env: LB_OPEN_REPS (3), LB_OPEN_SIZES (10000,100000), LB_OPEN_FAMILIES (chain,residual,transformer)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
build="${1:-$root/build}"
reps="${LB_OPEN_REPS:-3}"
sizes="${LB_OPEN_SIZES:-10000,100000}"
families="${LB_OPEN_FAMILIES:-chain,residual,transformer}"
out="$here/out/open"
mkdir -p "$out"

ninja -C "$build" lb-bench-graphs layerbench >/dev/null
"$build/bench/lb-bench-graphs" "$out" --sizes "$sizes" --families "$families" >"$out/graphs.txt"
gui="$build/app/layerbench"

phases=(import summary layout first_paint total)
table="$out/table.md"
{
    printf '| model | nodes |'; printf ' %s ms |' "${phases[@]}"; echo
    printf '| --- | ---: |'; printf ' ---: |%.0s' "${phases[@]}"; echo
} >"$table"
while IFS=$'\t' read -r file nodes_text _; do
    name="$(basename "$file" .onnx)"
    : >"$out/$name.timings"
    for ((r = 0; r < reps; ++r)); do
        if ! LB_TIMINGS=1 QT_QPA_PLATFORM=offscreen "$gui" "$file" --screenshot "$out/$name.png" \
            2>"$out/$name.stderr" >/dev/null; then
            echo "layerbench failed on $file:" >&2
            cat "$out/$name.stderr" >&2
            exit 1
        fi
        grep '^timing ' "$out/$name.stderr" >>"$out/$name.timings" || true
    done
    row="| $name | ${nodes_text% nodes} |"
    for phase in "${phases[@]}"; do
        median="$(awk -v p="$phase" '$2 == p { print $3 }' "$out/$name.timings" | sort -g |
                  awk '{ v[NR] = $1 } END { if (NR) printf "%.0f", v[int((NR + 1) / 2)]; else printf "-" }')"
        row+=" $median |"
    done
    echo "$row" >>"$table"
    echo "done: $name" >&2
done <"$out/graphs.txt"
cat "$table"

results="$here/RESULTS.md"
section="$out/section.md"
{
    echo "<!-- open-bench:begin -->"
    echo "## GUI open to interactive"
    echo
    echo "Command: \`LB_OPEN_REPS=$reps LB_OPEN_SIZES=$sizes LB_OPEN_FAMILIES=$families" \
         "bench/run_open_bench.sh $build\`"
    echo
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')," \
         "$(date -u '+%Y-%m-%d %H:%M UTC'). \`QT_QPA_PLATFORM=offscreen\`, \`LB_TIMINGS=1\`,"
    echo "median of $reps runs per phase as the app prints them (targets: 10k nodes < 1 s, 100k < 10 s"
    echo "total). Files from lb-bench-graphs; the machine was shared with other builds."
    echo
    cat "$table"
    echo "<!-- open-bench:end -->"
} >"$section"
python3 - "$results" "$section" <<'PY'
import re, sys, os
path, section = sys.argv[1], open(sys.argv[2]).read()
text = open(path).read() if os.path.exists(path) else "# LayerBench benchmark results\n"
pattern = re.compile(r"<!-- open-bench:begin -->.*?<!-- open-bench:end -->\n?", re.S)
text = pattern.sub(lambda m: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
open(path, "w").write(text)
PY
echo "wrote $results" >&2
