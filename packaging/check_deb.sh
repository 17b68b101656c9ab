#!/bin/sh
# Usage: check_deb.sh BUILD_DIR GUI(0|1). Runs cpack -G DEB in BUILD_DIR, extracts the package
# into a temporary folder and checks what a user would get.
set -eu
build=$1
gui=$2
cpack=${CPACK:-cpack}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$build"
"$cpack" -G DEB -B "$work/out" >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/out/layerbench_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || { echo "no layerbench_*.deb in $work/out"; cat "$work/cpack.log"; exit 1; }

status=0
expect() { [ -e "$work/root/$1" ] || { echo "missing in package: $1"; status=1; }; }

dpkg-deb -x "$deb" "$work/root"
expect usr/bin/layerbench-cli
if [ "$gui" = 1 ]; then
    expect usr/bin/layerbench
    expect usr/share/applications/layerbench.desktop
    expect usr/share/icons/hicolor/scalable/apps/layerbench.svg
    expect usr/share/layerbench/translations/layerbench_es.qm
fi

version=$("$work/root/usr/bin/layerbench-cli" --version) || { echo "layerbench-cli --version failed"; status=1; }
case "$version" in
    "layerbench-cli "*) ;;
    *) echo "unexpected --version output: $version"; status=1 ;;
esac

info=$(dpkg-deb -I "$deb")
echo "$info" | grep -q '^ Package: layerbench$' || { echo "no 'Package: layerbench' line"; status=1; }
echo "$info" | grep -q '^ Depends: .*libc6' || { echo "no Depends line naming libc6:"; echo "$info"; status=1; }
echo "$info" | grep -q '^ Section: science$' || { echo "no Section line"; status=1; }
if [ "$status" = 0 ]; then
    echo "ok: $(basename "$deb"): $version"
fi
exit $status
