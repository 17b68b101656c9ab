#!/usr/bin/env bash
# CPU time per inference at 1 thread, ours (layerbench-cli run, backend auto) against ONNX Runtime
# (bench/ort_run.js), on the architecture set of run_arch_bench.sh (run that first: it exports the
# models). For a machine other sessions load: wall times there include the time slices a run
# waited, CPU times do not, and at 1 thread a run's CPU time is the latency a quiet machine shows.
# Per run: (CPU of a process with N runs - CPU of one with 1 run) / (N - 1), so import, session
# creation and the first run cancel out; N is chosen per model so the difference is >= ~1 s of
# CPU (bash's `times` counts in 10 ms ticks).
#   bench/run_arch_cpu_bench.sh [BUILD_DIR]     prints a markdown table
# Env: LB_ARCH_DIR (default ~/.cache/layerbench/archs), LB_ARCHS (keys, default all),
#      LB_BEFORE_CLI (another layerbench-cli as a third column), LB_CPU_SECONDS (1.0).
set -euo pipefail
source "$(dirname "$0")/bench_env.sh" "${1:-}"
arch_dir="${LB_ARCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/layerbench/archs}"
[ -f "$arch_dir/manifest.json" ] || { echo "run_arch_cpu_bench.sh: no $arch_dir/manifest.json (run bench/run_arch_bench.sh first)" >&2; exit 1; }
[ -x "$cli" ] || { echo "run_arch_cpu_bench.sh: $cli is missing (build it first)" >&2; exit 1; }
out="$here/out/arch_cpu"
mkdir -p "$out"
before="${LB_BEFORE_CLI:-}"
keys="${LB_ARCHS:-$(node -e "console.log(Object.keys(require('$arch_dir/manifest.json')).join(','))")}"

cpu_ms() { # CPU (user + sys, ms) of the command's process tree; "" when it failed
    local t
    t=$(bash -c '"$@" >/dev/null 2>&1 || exit 1; times' cpu "$@" | tail -1) || return 0
    awk '{split($1,a,"m"); split($2,b,"m"); sub("s","",a[2]); sub("s","",b[2]);
          printf "%.1f", (a[1]*60+a[2]+b[1]*60+b[2])*1000}' <<< "$t"
}
per_run() { # N COMMAND... (the command takes --iterations last)
    local n=$1; shift
    local long short
    long=$(cpu_ms "$@" "$n"); short=$(cpu_ms "$@" 1)
    [ -n "$long" ] && [ -n "$short" ] || { echo "-"; return; }
    awk -v l="$long" -v s="$short" -v n="$n" 'BEGIN { printf "%.2f", (l - s) / (n - 1) }'
}
ours_cmd() { echo "$1" run "$2" --backend auto --threads 1 --warmup 0 --json "$out/run.json" --input "x=$3" --iterations; }
ort_cmd() { echo node "$here/ort_run.js" "$1" --threads 1 --warmup 0 --json "$out/ort.json" --input "x=$2" --iterations; }

export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
header="| model | ours CPU ms | ORT CPU ms | ours/ORT |"; rule="| --- | ---: | ---: | ---: |"
[ -n "$before" ] && header+=" before CPU ms | before/ORT |" && rule+=" ---: | ---: |"
echo "$header"; echo "$rule"
for key in ${keys//,/ }; do
    read -r file shape < <(node -e "const m=require('$arch_dir/manifest.json')['$key']; console.log(m.file, m.shape)")
    model="$arch_dir/$file"; input="$out/${key}_x.npy"
    node "$here/ort_run.js" --make-input "$input" --shape "$shape" --seed 7
    # N from one ORT run's time, so every side gets the same N.
    node "$here/ort_run.js" "$model" --threads 1 --warmup 1 --iterations 3 --input "x=$input" --json "$out/probe.json" >/dev/null
    n=$(node -e "const j=require('$out/probe.json'); const ms=Math.min(...j.runs_ms);
                 console.log(Math.max(10, Math.min(200, Math.ceil(1000 * ${LB_CPU_SECONDS:-1.0} / ms))))")
    # shellcheck disable=SC2046
    o=$(per_run "$n" $(ours_cmd "$cli" "$model" "$input"))
    # shellcheck disable=SC2046
    r=$(per_run "$n" $(ort_cmd "$model" "$input"))
    ratio=$(awk -v o="$o" -v r="$r" 'BEGIN { if (o == "-" || r == "-") print "-"; else printf "%.2f", o / r }')
    row="| $key | $o | $r | $ratio |"
    if [ -n "$before" ]; then
        # shellcheck disable=SC2046
        b=$(per_run "$n" $(ours_cmd "$before" "$model" "$input"))
        row+=" $b | $(awk -v b="$b" -v r="$r" 'BEGIN { if (b == "-" || r == "-") print "-"; else printf "%.2f", b / r }') |"
    fi
    echo "$row"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
