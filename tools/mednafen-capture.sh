#!/usr/bin/env bash
# mednafen-capture.sh MODULE ROM OUT.png [SETTING VALUE ...]: runs ROM in mednafen's MODULE (md,
# snes, gba, nes, ...) with the given settings (as -SETTING VALUE, e.g. nes.slstart 0; the pseudo
# setting `palette FILE` installs FILE as the module's custom palette, palettes/MODULE.pal) on a
# virtual X server, lets it run for two seconds, presses mednafen's screenshot key (F9) and copies
# the snapshot (the emulated frame, 1:1, RGB) to OUT.png. After ../shared/CONSOLES.md.
set -euo pipefail
module=$1
rom=$(realpath "$2")
out=$(realpath -m "$3")
shift 3
settings=()
palette=""
while [ $# -ge 2 ]; do
    if [ "$1" = palette ]; then palette=$(realpath "$2"); else settings+=("-$1" "$2"); fi
    shift 2
done
source "$(dirname "${BASH_SOURCE[0]}")/xvfb.sh" # $work, cleanup of $emulator, wait_until, start_xvfb
start_xvfb

# A home of its own for every run: mednafen refuses a second instance on one home.
export MEDNAFEN_HOME="$work/home"
mkdir -p "$MEDNAFEN_HOME/palettes"
[ -z "$palette" ] || cp "$palette" "$MEDNAFEN_HOME/palettes/$module.pal"
# A complete snapshot: mednafen writes the file while we look, so it must end in the IEND chunk.
snap() {
    local file
    file=$(ls "$MEDNAFEN_HOME"/snaps/*.png 2>/dev/null | head -n 1)
    [ -n "$file" ] && tail -c 8 "$file" | grep -q IEND
}
find_window() {
    window=$(xdotool search --onlyvisible --class mednafen 2>/dev/null | head -n 1)
    [ -n "$window" ]
}
# Debian installs emulators in /usr/games, which a non-login PATH may lack.
PATH=$PATH:/usr/games
for attempt in 1 2 3; do
    kill -0 "$xvfb" 2>/dev/null || start_xvfb
    SDL_AUDIODRIVER=dummy mednafen -sound 0 -video.driver sdl "${settings[@]}" \
        -force_module "$module" "$rom" \
        >"$work/mednafen.log" 2>&1 &
    emulator=$!
    window=""
    if wait_until "$emulator" 600 find_window; then
        sleep 2
        xdotool windowfocus --sync "$window" 2>/dev/null || true
        xdotool key --window "$window" F9
        wait_until "$emulator" 100 snap && break
    fi
    kill "$emulator" 2>/dev/null || true
    wait "$emulator" 2>/dev/null || true
    emulator=""
    echo "mednafen-capture: try $attempt on $DISPLAY: no snapshot: $(tr '\n' ' ' <"$work/mednafen.log" | tail -c 300)" >&2
done
snap || exit 1
cp "$(ls "$MEDNAFEN_HOME"/snaps/*.png | head -n 1)" "$out"
