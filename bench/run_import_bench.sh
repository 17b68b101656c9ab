#!/usr/bin/env bash
# Import speed: `layerbench-cli info` on 100,000-node chains against Python onnx's load + check +
# shape inference of the same files (bench/import_bench.py says how each side is timed): the two
# chains bench/make_chain_model.py writes with onnx's own helpers, and lb-bench-graphs' chain-100k
# (written by our exporter).
#   bench/run_import_bench.sh [BUILD_DIR] [import_bench.py options, e.g. --rounds 7 --update-results]
# Needs Debian's python3-onnx and python3-numpy (packaging/lb.sh installs them).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="$(dirname "$here")/build"
if [ $# -gt 0 ] && [ -d "$1" ]; then
    build="$1"
    shift
fi
out="$here/out/import"
mkdir -p "$out"
nice -n 10 ninja -C "$build" layerbench-cli lb-bench-graphs >/dev/null
[ -f "$out/chain-100k.onnx" ] ||
    "$build/bench/lb-bench-graphs" "$out" --sizes 100000 --families chain >/dev/null
exec /usr/bin/python3 "$here/import_bench.py" --cli "$build/app/cli/layerbench-cli" \
    --extra-models "$out/chain-100k.onnx" "$@"
