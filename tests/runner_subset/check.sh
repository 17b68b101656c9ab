#!/bin/sh
# The runner subset (core, ir, ops, runtime, backends/reference, report) configured, built and
# tested on its own with LB_RUNNER_SUBSET=ON, then checked: the configuration never looked for
# oneDNN, protobuf/onnx, stb or Qt, and the test executable needs none of their libraries.
#   sh tests/runner_subset/check.sh SOURCE_DIR BUILD_DIR [BUILD_TYPE] [SANITIZERS] [TYPE_FLAGS]
# TYPE_FLAGS are the main build's CMAKE_CXX_FLAGS_<BUILD_TYPE>, so the compile commands, and with
# them ccache's entries, are the main build's.
# ctest runs it from the main build with BUILD_DIR beside that build (see CMakeLists.txt here).
set -eu
src=$1
dir=$2
type=${3:-RelWithDebInfo}
sanitize=${4:-}
type_flags=${5:-}

say() { echo "[runner subset] $*"; }
die() { echo "[runner subset] FAILED: $*"; exit 1; }

launcher=
if command -v ccache >/dev/null 2>&1; then
    launcher=-DCMAKE_CXX_COMPILER_LAUNCHER=ccache
    # Paths relative to the source tree, as packaging/lb.sh builds: the main build's objects hit.
    export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$src}" CCACHE_NOHASHDIR=1
fi

say "configuring $dir"
mkdir -p "$dir"
cmake -S "$src" -B "$dir" -G Ninja -DLB_RUNNER_SUBSET=ON -DCMAKE_BUILD_TYPE="$type" \
    -DLB_SANITIZE="$sanitize" $launcher \
    ${type_flags:+"-DCMAKE_CXX_FLAGS_$(echo "$type" | tr '[:lower:]' '[:upper:]')=$type_flags"} \
    >"$dir/configure.log" 2>&1 ||
    { cat "$dir/configure.log"; die "configure"; }
say "building (-j2)"
cmake --build "$dir" -j2 || die "build"
say "testing"
(cd "$dir" && ctest --output-on-failure) || die "the subset's tests"

# Nothing found or cached for the heavy dependencies: the subset's CMake never asked for them.
if grep -E '^(dnnl_DIR|ONNX_DIR|Protobuf_[A-Z_]*|Qt6_DIR|Qt6Core_DIR|pkgcfg_lib_STB_[a-z]*|QCustomPlotQt6_DIR)[:=]' \
    "$dir/CMakeCache.txt"; then
    die "the subset's configuration looked for the package(s) above"
fi
# Every module library of this build is one of the subset's.
libs=$(cd "$dir/engine" && ls ./*.a | sed 's|^\./||' | sort | tr '\n' ' ')
[ "$libs" = "liblb_backend_reference.a liblb_core.a liblb_ir.a liblb_lowering.a liblb_ops.a liblb_report.a liblb_runtime.a " ] ||
    die "unexpected engine libraries: $libs"

exe=$dir/tests/runner_subset/runner_subset_test
[ -x "$exe" ] || die "no $exe"
needed=$(readelf -d "$exe" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
resolved=$(ldd "$exe") || die "ldd failed on $exe"
say "runner_subset_test needs: $needed"
if printf '%s\n%s\n' "$needed" "$resolved" | grep -iE 'libdnnl|libprotobuf|libonnx|libQt|libstb'; then
    die "runner_subset_test links a library the runner subset must not need (above)"
fi
say "ok: built and tested without oneDNN, protobuf/onnx, stb or Qt"
