#!/usr/bin/env bash
# vga-capture.sh FLOPPY.img OUT.png: boots a floppy image in QEMU (no display, standard VGA),
# waits for the program's ready byte on port E9h, and saves QEMU's screendump as a PNG.
# Exit status 1 when QEMU does not signal ready within 30 s (or signals an error, 'E').
set -euo pipefail
image=$(realpath "$1")
out=$(realpath -m "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkfifo "$work/monitor"
qemu-system-i386 -display none -vga std -no-reboot -m 16 \
    -drive file="$image",format=raw,if=floppy,readonly=on -boot a \
    -debugcon file:"$work/e9.log" -monitor stdio <"$work/monitor" >"$work/qemu.log" 2>&1 &
qemu=$!
exec 3>"$work/monitor"
for _ in $(seq 300); do
    grep -q '[RE]' "$work/e9.log" 2>/dev/null && break
    sleep 0.1
done
if ! grep -q R "$work/e9.log" 2>/dev/null; then
    echo "vga-capture: $1 did not signal ready (port E9h: '$(cat "$work/e9.log" 2>/dev/null)')" >&2
    kill "$qemu" 2>/dev/null || true
    exit 1
fi
echo "screendump $out -f png" >&3
for _ in $(seq 100); do [ -s "$out" ] && break; sleep 0.1; done
sleep 0.2
echo quit >&3
exec 3>&-
wait "$qemu" || true
[ -s "$out" ] || { echo "vga-capture: no screendump from QEMU" >&2; exit 1; }
