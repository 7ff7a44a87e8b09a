#!/usr/bin/env bash
# dosbox-capture.sh PROGRAM.COM OUT.png: runs a DOS program in DOSBox (machine svga_s3) on a
# virtual X server, waits until the program creates READY.FLG, presses DOSBox's screenshot key
# (Ctrl-F5) and copies the capture (320x200, 8-bit paletted, 1:1) to OUT.png.
set -euo pipefail
program=$(realpath "$1")
out=$(realpath -m "$2")
work=$(mktemp -d)
xvfb=""
dosbox=""
cleanup() {
    [ -n "$dosbox" ] && kill "$dosbox" 2>/dev/null
    [ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
cp "$program" "$work/SHOW.COM"
mkdir "$work/captures"
cat >"$work/dosbox.conf" <<CONF
[sdl]
fullscreen=false
output=surface
[dosbox]
machine=svga_s3
captures=$work/captures
[cpu]
cycles=max
[mixer]
nosound=true
[autoexec]
mount c $work
c:
SHOW.COM
exit
CONF

# Waits up to $2 tenths of a second, while process $1 lives, for the command after them to
# succeed.
wait_until() {
    local pid=$1 tenths=$2
    shift 2
    for _ in $(seq "$tenths"); do
        "$@" && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# A display of our own. Xvfb picks the number itself (-displayfd): it tries each display until it
# can bind both the socket file and the abstract socket, so a server in another container that
# shares the network namespace (invisible to a check of /tmp/.X*-lock) cannot be mistaken for ours.
# -noreset: the server must not reset when the readiness probe, the last client, disconnects.
start_xvfb() {
    : >"$work/display"
    Xvfb -displayfd 3 -noreset -screen 0 1024x768x24 -nolisten tcp 3>"$work/display" \
        >"$work/xvfb.log" 2>&1 &
    xvfb=$!
    wait_until "$xvfb" 100 test -s "$work/display" || {
        echo "dosbox-capture: Xvfb did not start: $(tr '\n' ' ' <"$work/xvfb.log" | tail -c 300)" >&2
        exit 1
    }
    export DISPLAY=":$(head -n 1 "$work/display")"
    xdotool getdisplaygeometry >/dev/null 2>&1 ||
        { echo "dosbox-capture: Xvfb on $DISPLAY does not answer" >&2; exit 1; }
}
start_xvfb

# DOSBox sometimes starts slowly on a loaded machine: up to three tries, 60 s each.
for attempt in 1 2 3; do
    kill -0 "$xvfb" 2>/dev/null || start_xvfb
    SDL_AUDIODRIVER=dummy dosbox -conf "$work/dosbox.conf" -noconsole >"$work/dosbox.log" 2>&1 &
    dosbox=$!
    wait_until "$dosbox" 600 test -e "$work/READY.FLG" && break
    kill "$dosbox" 2>/dev/null || true
    wait "$dosbox" 2>/dev/null || true
    dosbox=""
    echo "dosbox-capture: try $attempt on $DISPLAY: no READY.FLG: $(tr '\n' ' ' <"$work/dosbox.log" | tail -c 300)" >&2
done
[ -e "$work/READY.FLG" ] || exit 1
window=$(xdotool search --sync --class dosbox | head -n 1)
xdotool windowfocus --sync "$window"
sleep 0.3
xdotool key --window "$window" ctrl+F5
for _ in $(seq 100); do ls "$work/captures"/*.png >/dev/null 2>&1 && break; sleep 0.1; done
capture=$(ls "$work/captures"/*.png 2>/dev/null | head -n 1)
[ -n "$capture" ] || { echo "dosbox-capture: DOSBox wrote no capture" >&2; exit 1; }
cp "$capture" "$out"
