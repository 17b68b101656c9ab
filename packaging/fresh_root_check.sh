#!/usr/bin/env bash
# Proves the README's two commands on a machine that has nothing: builds a minimal Debian 12
# (bookworm) root with mmdebstrap, copies this checkout into it and, inside it as root, runs
#
#   bash packaging/lb.sh gui     (must write its screenshot under Xvfb)
#   bash packaging/lb.sh test    (must pass)
#
# The root gets the host's package-manager configuration (apt sources and options, npm's global
# configuration, the local CA certificates that Debian's ca-certificates adds to the system bundle
# when the set-up installs it) and the host's name resolution, nothing else: every package comes
# from lb.sh. The compiler cache, npm's download cache and apt's .deb cache are bind-mounted so a
# second run does not compile or download everything again; they hold no installed state.
#
# Everything runs in private mount and PID namespaces: when the check ends, however it ends, the
# kernel drops its mounts and ends every process it started; the trap then removes the root.
#
# Environment: LB_FRESH_DIR (parent of the temporary root, default /var/tmp),
# LB_FRESH_CACHE (the .deb cache, default /var/cache/layerbench-fresh),
# LB_FRESH_KEEP=1 (keep the root for a look afterwards),
# LB_FRESH_PACKAGES_DROP="pkg ..." (take packages out of lb.sh's list: shows that the check fails).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { printf '\033[1m[fresh-root]\033[0m %s\n' "$*" >&2; }
die() {
    log "FAILED: $*"
    exit 1
}

if [ "${1:-}" = --inside ]; then
    # Second stage, already in the new namespaces: mount, chroot, run the two commands.
    root=$2 ccache_dir=$3 npm_cache=$4 deb_cache=$5
    mount --make-rprivate /
    mount -t proc proc "$root/proc"
    mount --rbind /sys "$root/sys"
    mount --rbind /dev "$root/dev"
    mkdir -p "$root/root/.cache/ccache" "$root/root/.npm"
    mount --bind "$ccache_dir" "$root/root/.cache/ccache"
    mount --bind "$npm_cache" "$root/root/.npm"
    mount --bind "$deb_cache" "$root/var/cache/apt/archives"
    run_in_root() {
        chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
            PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
            CI="${CI:-}" bash -c "cd /root/layerbench && $1"
    }
    log "inside the root: bash packaging/lb.sh gui"
    start=$SECONDS
    run_in_root "bash packaging/lb.sh gui" || die "'bash packaging/lb.sh gui' exited with $?"
    shot=$root/root/layerbench/build/layerbench-screenshot.png
    [ -s "$shot" ] || die "'lb.sh gui' wrote no screenshot ($shot)"
    file "$shot" | grep -q 'PNG image data' || die "the screenshot is not a PNG: $(file -b "$shot")"
    log "gui: screenshot written ($(stat -c %s "$shot") bytes) in $((SECONDS - start)) s"
    start=$SECONDS
    log "inside the root: bash packaging/lb.sh test"
    run_in_root "bash packaging/lb.sh test" || die "'bash packaging/lb.sh test' exited with $?"
    log "test: passed in $((SECONDS - start)) s"
    exit 0
fi

[ "$(id -u)" -eq 0 ] || die "run as root (mmdebstrap, chroot and mounts need it)"
total_start=$SECONDS

# The host's own tools for the check itself (not the root's).
need=()
command -v mmdebstrap >/dev/null || need+=(mmdebstrap)
command -v ccache >/dev/null || need+=(ccache)
command -v file >/dev/null || need+=(file)
if [ ${#need[@]} -gt 0 ]; then
    log "installing on the host: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

ccache_dir=$(ccache -k cache_dir 2>/dev/null || true)
ccache_dir=${ccache_dir:-$HOME/.cache/ccache}
npm_cache=$(npm config get cache 2>/dev/null || true)
npm_cache=${npm_cache:-$HOME/.npm}
deb_cache=${LB_FRESH_CACHE:-/var/cache/layerbench-fresh}/archives
mkdir -p "$ccache_dir" "$npm_cache" "$deb_cache/partial"

root=$(mktemp -d "${LB_FRESH_DIR:-/var/tmp}/layerbench-fresh.XXXXXX")
ns_pid=
cleanup() {
    local code=$?
    if [ -n "$ns_pid" ]; then
        kill -KILL "$ns_pid" 2>/dev/null || true
        wait "$ns_pid" 2>/dev/null || true
    fi
    # The namespaces are gone by now; this only catches a mount left by an interrupted start.
    if findmnt -rn -o TARGET | grep -q "^$root/"; then
        findmnt -rn -o TARGET | grep "^$root/" | sort -r | xargs -r -n1 umount -l || true
    fi
    if [ "${LB_FRESH_KEEP:-}" = 1 ]; then
        log "kept the root: $root"
    else
        rm -rf --one-file-system "$root"
    fi
    exit $code
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# apt: the host's sources and options, except the image's own docker-clean (it deletes the
# downloaded .debs that the shared cache is for).
sources=()
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -s "$f" ] && grep -qv '^\s*\(#\|$\)' "$f" && sources+=("$f")
done
[ ${#sources[@]} -gt 0 ] || die "no apt sources on the host (/etc/apt/sources.list*)"
aptopts=()
for f in /etc/apt/apt.conf /etc/apt/apt.conf.d/*; do
    [ -f "$f" ] && [ "$(basename "$f")" != docker-clean ] && aptopts+=("--aptopt=$f")
done

log "building a minimal Debian 12 root in $root"
start=$SECONDS
mmdebstrap --quiet --variant=minbase "${aptopts[@]}" \
    bookworm "$root" "${sources[@]}" \
    || die "mmdebstrap could not build the root"
log "root built in $((SECONDS - start)) s"

# The machine's configuration a fresh Debian install has: name resolution, local CAs, npm's
# global configuration (Debian's npm reads /etc/npmrc, NodeSource's /usr/etc/npmrc).
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
[ -f /etc/hosts ] && cp -L /etc/hosts "$root/etc/hosts"
if compgen -G "/usr/local/share/ca-certificates/*" >/dev/null; then
    mkdir -p "$root/usr/local/share/ca-certificates"
    cp -rL /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
fi
for f in /etc/npmrc /usr/etc/npmrc; do
    [ -f "$f" ] || continue
    mkdir -p "$root$(dirname "$f")"
    cp -L "$f" "$root$f"
    [ -f /etc/npmrc ] || cp -L "$f" "$root/etc/npmrc"
done

# The checkout as a clean clone has it: tracked and new files, nothing ignored (no build/).
mkdir -p "$root/root/layerbench"
(cd "$here" && git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
    tar --null -T - -cf -) | tar -xf - -C "$root/root/layerbench"
if [ -n "${LB_FRESH_PACKAGES_DROP:-}" ]; then
    for p in $LB_FRESH_PACKAGES_DROP; do
        log "taking '$p' out of lb.sh's package list (to show the check fails without it)"
        sed -i -E "/^apt_packages=\(/,/^\)/ s/(^|[[:space:]])$p([[:space:]]|$)/\1\2/" \
            "$root/root/layerbench/packaging/lb.sh"
    done
fi

# In the background so that a signal reaches the trap at once; killing unshare (--kill-child)
# kills the namespace's first process, and with it every process in the namespace.
unshare --mount --pid --fork --kill-child \
    bash "$here/packaging/fresh_root_check.sh" --inside "$root" "$ccache_dir" "$npm_cache" \
    "$deb_cache" &
ns_pid=$!
rc=0
wait "$ns_pid" || rc=$?
ns_pid=
[ "$rc" -eq 0 ] || exit "$rc"
log "passed: a fresh Debian 12 root set up, built, started the GUI and passed every test" \
    "($((SECONDS - total_start)) s in all)"
