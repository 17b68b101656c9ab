#!/bin/sh
# Usage: check_bad_model.sh LAYERBENCH. A file that is not ONNX must fail with exit status 1
# and a one-line message naming the file, not a crash or a hang.
set -u
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf 'this is not a model' >"$dir/bad.onnx"
"$bin" "$dir/bad.onnx" --screenshot "$dir/s.png" 2>"$dir/err.txt"
status=$?
[ "$status" = 1 ] || { echo "expected exit status 1, got $status"; cat "$dir/err.txt"; exit 1; }
[ ! -e "$dir/s.png" ] || { echo "a screenshot was written for a bad model"; exit 1; }
lines=$(grep -c '^layerbench: ' "$dir/err.txt")
[ "$lines" = 1 ] || { echo "expected one 'layerbench:' line:"; cat "$dir/err.txt"; exit 1; }
grep -q 'bad.onnx' "$dir/err.txt" || { echo "message does not name the file:"; cat "$dir/err.txt"; exit 1; }
echo ok
