#!/bin/sh
# The engine and the CLI must not depend on Qt: no Qt includes under engine/, no libQt in the CLI.
set -u
src="$1"; cli="$2"
if grep -rnE '#\s*include\s*[<"](Q[A-Z]|Qt)' "$src/engine" "$src/app/cli"; then
    echo "Qt include found in engine/ or app/cli/"; exit 1
fi
if ! ldd "$cli" >/dev/null 2>&1; then echo "ldd failed on $cli"; exit 1; fi
if ldd "$cli" | grep -i 'libQt'; then echo "layerbench-cli links Qt"; exit 1; fi
echo "no Qt in engine/ sources or layerbench-cli"
