#!/usr/bin/env bash
# Crash recovery as a user meets it (issue #10): the real GUI edits encodings, is killed with
# SIGKILL at a random moment (mid-edit, mid-autosave, mid-load), is started again with
# --recover yes, and must show exactly the encodings the last autosave holds, byte for byte.
# Each restart accepts the recovery in turn before the model has loaded, after it has loaded, or
# with no model argument (the autosave names the model), then edits on from there.
#
#   check_recovery_kill.sh LAYERBENCH MODEL [ITERATIONS]   (default: $LB_KILL_ITERATIONS or 12)
#
# The edits and the dump come from the GUI's test hooks (app/test_hooks.h).
set -euo pipefail

bin=$1
model=$2
iterations=${3:-${LB_KILL_ITERATIONS:-12}}
edits=40
pace_ms=25

work=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
export QT_QPA_PLATFORM=offscreen
export XDG_DATA_HOME=$work/data XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/runtime
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
autosave_dir=$XDG_DATA_HOME/LayerBench/layerbench
autosave=$autosave_dir/unsaved-encodings.json
export LB_TEST_EDITS=$edits:$pace_ms LB_TEST_AUTOSAVE_MS=10 LB_TEST_DUMP=$work/dump.json

fail() {
    echo "check_recovery_kill: iteration $i: $*" >&2
    [ -f "$work/log" ] && tail -n 20 "$work/log" >&2
    exit 1
}

# Waits (up to $2 s) until the command $1 succeeds while the GUI is still running.
wait_for() {
    local deadline=$((SECONDS + $2))
    until eval "$1"; do
        kill -0 "$pid" 2>/dev/null || fail "layerbench exited early"
        [ $SECONDS -lt $deadline ] || fail "timed out waiting for: $1"
        sleep 0.02
    done
}

kill_now() {
    kill -9 "$pid"
    wait "$pid" 2>/dev/null || true
    pid=
}

random_ms() { echo $((RANDOM % $1)); }
sleep_ms() { sleep "$(printf '0.%03d' "$1")"; }

# The first session calibrates on random data, then edits.
i=0
"$bin" "$model" --shape x=1x3x48x192 --quantize 2>"$work/log" &
pid=$!
wait_for 'grep -q "lb-test: autosaved" "$work/log"' 300
sleep_ms "$(random_ms 900)"
kill_now

recovered=0
killed_early=0
stale=
stale_removed=0
start=$SECONDS
for ((i = 1; i <= iterations; i++)); do
    [ -f "$autosave" ] || fail "no autosave after the kill"
    # The last autosaved state: the encodings text the autosave holds.
    jq -j .encodings "$autosave" >"$work/expected" || fail "the autosave is not readable JSON"
    [ -s "$work/expected" ] || fail "the autosave holds no encodings"
    md5sum <"$work/expected" | cut -c1-32 >>"$work/states"
    rm -f "$work/dump.json"
    unset LB_TEST_RECOVER_AFTER_LOAD
    case $((i % 3)) in
    0) args=("$model" --shape x=1x3x48x192 --recover yes) ;;
    1) args=("$model" --shape x=1x3x48x192 --recover yes)
       export LB_TEST_RECOVER_AFTER_LOAD=1 ;;
    2) args=(--recover yes) ;;
    esac
    "$bin" "${args[@]}" 2>"$work/log" &
    pid=$!
    if [ $((RANDOM % 8)) -eq 0 ]; then
        # Killed while starting, loading or recovering: the autosave must be left as it was.
        sleep_ms "$(random_ms 999)"
        kill_now
        killed_early=$((killed_early + 1))
        if [ -f "$work/dump.json" ]; then
            # Recovered just before the kill (and maybe edited since): the recovery is checked.
            cmp -s "$work/dump.json" "$work/expected" ||
                fail "recovered encodings differ from the autosave"
            recovered=$((recovered + 1))
        else
            jq -j .encodings "$autosave" | cmp -s - "$work/expected" ||
                fail "a session killed before recovering changed the autosave"
        fi
        continue
    fi
    wait_for '[ -f "$work/dump.json" ]' 120
    cmp -s "$work/dump.json" "$work/expected" ||
        fail "recovered encodings differ from the autosave ($(wc -c <"$work/dump.json") vs $(wc -c <"$work/expected") bytes)"
    recovered=$((recovered + 1))
    # What an earlier kill left beside the autosave (QSaveFile's temporary, killed mid-write)
    # is gone once a session has started again.
    for f in $stale; do
        [ ! -e "$f" ] || fail "a killed session's temporary is still there after a restart: $f"
    done
    for f in $stale; do stale_removed=$((stale_removed + 1)); done
    # Mid-edit or mid-write: anywhere in the edit sequence, sometimes at once.
    sleep_ms "$(random_ms $((edits * pace_ms < 999 ? edits * pace_ms : 999)))"
    kill_now
    # Beside the autosave, only a temporary of a write the kill interrupted.
    stale=$(find "$autosave_dir" -mindepth 1 ! -name unsaved-encodings.json)
    for f in $stale; do
        case $(basename "$f") in
        unsaved-encodings.json.??????) ;;
        *) fail "a file other than the autosave and its temporary is left: $f" ;;
        esac
    done
done
echo "check_recovery_kill: $iterations kills, $recovered recoveries checked byte for byte," \
    "$(sort -u "$work/states" | wc -l) distinct autosaved states, $killed_early kills before" \
    "recovery, $stale_removed interrupted writes cleaned at the next start, $((SECONDS - start)) s"
