#!/bin/sh
# Usage: check_run_screenshot.sh LAYERBENCH MODEL. --run --screenshot profiles once and saves the
# window with the profile view; a bad backend is a one-line command-line error.
set -eu
bin=$1
model=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$bin" "$model" --shape x=1x3x48x192 --run --backend reference --threads 1 \
    --screenshot "$out/run.png" 2>"$out/err.txt" || {
    echo "layerbench --run --screenshot failed:"; cat "$out/err.txt"; exit 1; }
head -c 8 "$out/run.png" | od -An -tx1 | grep -q '89 50 4e 47 0d 0a 1a 0a' || {
    echo "run.png is not a PNG"; exit 1; }
size=$(wc -c <"$out/run.png")
[ "$size" -gt 20000 ] || { echo "run.png is only $size bytes"; exit 1; }
if "$bin" "$model" --run --backend gpu --screenshot "$out/bad.png" 2>"$out/err.txt"; then
    echo "--backend gpu was accepted"; exit 1
fi
grep -q "Unknown backend 'gpu'" "$out/err.txt" || { echo "unexpected error:"; cat "$out/err.txt"; exit 1; }
echo ok
