#!/bin/bash
# C64 hires / Koala multicolour bitmap -> capture.png via MAME's c64p driver,
# booting self-made ROMs (no Commodore ROM code): our 6502 "KERNAL" copies the
# picture from our "BASIC" ROM / KERNAL into RAM and switches the VIC-II to
# bitmap mode; the PLA fuse map is our own too.  Fully headless (-video none).
# usage: run.sh PICTURE [OUT.png] [BORDER 0-15] [DRIVER c64p|c64]
#   PICTURE: hires   = [2-byte load addr] 8000 bitmap + 1000 screen RAM (9000/9002 bytes)
#            Koala   = [2-byte load addr] 8000 bitmap + 1000 screen + 1000 colour + 1 bg (10001/10003)
# Output (c64p): 403x284, picture 320x200 at x=32,y=35, 1:1, MAME's VIC-II palette.
# Needs: mame xa65 python3
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
in=$(readlink -f "$1"); out=$(readlink -f "${2:-capture.png}")
border=${3:-0}; drv=${4:-c64p}
w=$(mktemp -d); [ -n "${KEEP:-}" ] || trap 'rm -rf "$w"' EXIT
size=$(stat -c %s "$in"); skip=0
case $size in 9002|9009|10003) skip=2 ;; 9000|10001) ;; *) echo "unknown C64 bitmap size $size" >&2; exit 2 ;; esac
cut() { dd if="$in" of="$w/$1" bs=1 skip=$((skip + $2)) count=$3 status=none; }
cut bitmap.bin 0 8000; cut screen.bin 8000 1000
if [ $size -ge 10001 ]; then mcm=16; cut colour.bin 9000 1000; cut bg.bin 10000 1
else mcm=0; head -c 1000 /dev/zero > "$w/colour.bin"; head -c 1 /dev/zero > "$w/bg.bin"; fi
r="$w/roms/$drv"; mkdir -p "$r"
( cat "$w/bitmap.bin"; head -c 192 /dev/zero ) > "$r/901226-01.u3"          # "BASIC" = bitmap
( cd "$w" && xa -DMCM=$mcm -DBORDER="$border" -o "$r/901227-03.u4" "$here/kernal.s" )
head -c 4096 /dev/zero > "$r/901225-01.u5"                                  # no character ROM needed
/usr/bin/python3 "$here/mkpla.py" "$r/906114-01.u17"
cd "$w"
timeout -k 2 60 /usr/games/mame "$drv" -noreadconfig -rompath roms -iec8 "" \
  -video none -sound none -nothrottle -seconds_to_run 2 -skip_gameinfo \
  -snapview native -snapshot_directory snap -cfg_directory cfg -nvram_directory nv \
  > mame.log 2>&1 || true
shot=$(ls snap/"$drv"/*.png 2>/dev/null | head -1)
[ -n "$shot" ] || { cat mame.log >&2; exit 1; }
cp "$shot" "$out"
