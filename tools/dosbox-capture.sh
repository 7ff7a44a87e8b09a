#!/usr/bin/env bash
# dosbox-capture.sh PROGRAM.COM OUT.png: runs a DOS program in DOSBox (machine svga_s3) on a
# virtual X server, waits until the program creates READY.FLG, presses DOSBox's screenshot key
# (Ctrl-F5) and copies the capture (320x200, 8-bit paletted, 1:1) to OUT.png.
set -euo pipefail
program=$(realpath "$1")
out=$(realpath -m "$2")
source "$(dirname "${BASH_SOURCE[0]}")/xvfb.sh" # $work, cleanup of $emulator, wait_until, start_xvfb
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

start_xvfb

# DOSBox sometimes starts slowly on a loaded machine: up to three tries, 60 s each.
for attempt in 1 2 3; do
    kill -0 "$xvfb" 2>/dev/null || start_xvfb
    SDL_AUDIODRIVER=dummy dosbox -conf "$work/dosbox.conf" -noconsole >"$work/dosbox.log" 2>&1 &
    emulator=$!
    wait_until "$emulator" 600 test -e "$work/READY.FLG" && break
    kill "$emulator" 2>/dev/null || true
    wait "$emulator" 2>/dev/null || true
    emulator=""
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
