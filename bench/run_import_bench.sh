#!/usr/bin/env bash
# Import speed: `layerbench-cli info` on 100,000-node chains against Python onnx's load + check +
# shape inference of the same files (bench/import_bench.py says how each side is timed).
#   bench/run_import_bench.sh [BUILD_DIR] [import_bench.py options, e.g. --rounds 7 --update-results]
# Needs Debian's python3-onnx and python3-numpy (packaging/lb.sh installs them).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="$(dirname "$here")/build"
if [ $# -gt 0 ] && [ -d "$1" ]; then
    build="$1"
    shift
fi
nice -n 10 ninja -C "$build" layerbench-cli >/dev/null
exec /usr/bin/python3 "$here/import_bench.py" --cli "$build/app/cli/layerbench-cli" "$@"
