#!/bin/sh
# Usage: check_screenshot.sh LAYERBENCH MODEL. Screenshot in English and Spanish with timings on.
set -eu
bin=$1
model=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for lang in en es; do
    LB_TIMINGS=1 "$bin" "$model" --lang "$lang" --screenshot "$out/$lang.png" 2>"$out/err.txt" || {
        echo "layerbench --lang $lang --screenshot failed:"; cat "$out/err.txt"; exit 1; }
    # A PNG signature and a plausible size for a 1280x800 window with content.
    head -c 8 "$out/$lang.png" | od -An -tx1 | grep -q '89 50 4e 47 0d 0a 1a 0a' || {
        echo "$lang.png is not a PNG"; exit 1; }
    size=$(wc -c <"$out/$lang.png")
    [ "$size" -gt 20000 ] || { echo "$lang.png is only $size bytes"; exit 1; }
    for phase in import summary layout first_paint total; do
        grep -Eq "^timing $phase [0-9]+(\.[0-9]+)?$" "$out/err.txt" || {
            echo "no 'timing $phase' line:"; cat "$out/err.txt"; exit 1; }
    done
done
echo ok
