#!/bin/sh
# layerbench without a display (no DISPLAY, WAYLAND_DISPLAY or QT_QPA_PLATFORM): --help and
# --version answer, a wrong argument is one line and exit 2, and asking for a window says there is
# no display in one line and exits 2, where QApplication used to abort with half a page.
# Usage: check_no_display.sh LAYERBENCH
set -u
bin=$1
unset DISPLAY WAYLAND_DISPLAY QT_QPA_PLATFORM
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0

expect() { # NAME EXPECTED_CODE GREP_PATTERN STREAM -- ARGS...
    name=$1 code=$2 pattern=$3 stream=$4
    shift 5
    "$bin" "$@" >"$out/stdout" 2>"$out/stderr"
    got=$?
    if [ "$got" -ne "$code" ]; then
        echo "FAIL $name: exit $got, expected $code"; cat "$out/stderr"; status=1; return
    fi
    if ! grep -q -- "$pattern" "$out/$stream"; then
        echo "FAIL $name: $stream lacks '$pattern'"; cat "$out/$stream"; status=1; return
    fi
    if [ "$stream" = stderr ] && [ "$(wc -l <"$out/stderr")" -ne 1 ]; then
        echo "FAIL $name: expected one line on stderr"; cat "$out/stderr"; status=1; return
    fi
    echo "ok $name"
}

expect help 0 --recover stdout -- --help
expect version 0 '^layerbench ' stdout -- --version
expect "wrong option" 2 'bogus' stderr -- --bogus
expect "bad shape" 2 "'abc'" stderr -- model.onnx --shape x=abc
expect "no display" 2 'no display' stderr -- model.onnx
expect "no display, Spanish" 2 'pantalla' stderr -- model.onnx --lang es
exit $status
