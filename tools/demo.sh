#!/usr/bin/env bash
# Installs what kpal needs, builds it into build/, and converts the bundled sample photo for every
# built-in target into out/: a C header, the binary pixels and palette, and a preview PNG of what
# the display shows; and once more for the ST7735 through the on-device C core (--engine fixed).
# Prints a table of target, colours, PSNR and blurred PSNR (what the eye sees of dithering).
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
echo "kpal demo: checking the Debian packages kpal needs (installing any that are missing)..."
kpal_install $KPAL_PACKAGES
echo "kpal demo: building kpal into build/ (a few minutes on two cores the first time)..."
kpal_build kpal_cli >/dev/null
kpal="$KPAL_BUILD/kpal"
sample="$KPAL_ROOT/tools/samples/kodim23.png"
out=${KPAL_OUT:-$KPAL_ROOT/out} # (KPAL_OUT: another folder, as the demo's test gives)
mkdir -p "$out"
echo "kpal demo: converting tools/samples/kodim23.png for every built-in target into out/..."
# PSNR compares what the display shows with the photo; for dithered targets the blurred PSNR
# (both pictures blurred first, as the eye sees a dither from a distance) is the one to read.
printf '%-20s %8s %8s %8s  %s\n' target colours PSNR blurred outputs
# One line of the table from a conversion's --stats.
row() {
    printf '%-20s %8s %8.2f %8.2f  %s\n' "$1" "$(sed -n 's/^colours used: //p' <<<"$2")" \
        "$(sed -n 's/^PSNR: \([0-9.]*\).*/\1/p' <<<"$2")" \
        "$(sed -n 's/^PSNR blurred: \([0-9.]*\).*/\1/p' <<<"$2")" "$3"
}
for target in $("$kpal" targets --names); do
    # A target with a screen gets the photo fitted to it, its aspect kept (the centre, the longer
    # side cut); a sprite target's "screen" is its largest sprite. Targets of any size take the
    # photo as it is.
    resize=()
    screen=$("$kpal" targets | awk -v t="$target" '$1 == t { print $2 }')
    [[ "$screen" == any ]] || resize=(--fit screen)
    # The Master System's 448 tiles and the NES's 256 hold no full screen of photo (554 and 605
    # distinct tiles): the most alike are merged until they fit.
    case "$target" in sms-bg | nes-bg) resize+=(--merge-tiles) ;; esac
    # Mono and grey OLEDs and e-paper show a few fixed colours: the photo is dithered against
    # the colours the panel shows.
    case "$target" in
        ssd13* | sh1106-* | arduboy | epd-*) resize+=(--dither fs) ;;
    esac
    "$kpal" convert "$sample" -t "$target" "${resize[@]}" -o "$out/$target.h" -q
    stats=$("$kpal" convert "$sample" -t "$target" "${resize[@]}" -o "$out/$target.bin" \
        --preview "$out/$target.png" --stats -q)
    files=""
    for suffix in h bin pal png; do # a fixed palette (e-paper, OLEDs) has no .pal
        [[ -e "$out/$target.$suffix" ]] && files+="${files:+,}$suffix"
    done
    row "$target" "$stats" "out/$target.{$files}"
done
# The GBA background again with one palette for every tile (--palettes 1), not its 16 banks.
stats=$("$kpal" convert "$sample" -t gba-bg-4bpp --fit screen --palettes 1 \
    -o "$out/gba-bg-4bpp-palettes1.bin" --preview "$out/gba-bg-4bpp-palettes1.png" --stats -q)
row gba-bg-4bpp "$stats" "out/gba-bg-4bpp-palettes1.{bin,map,pal,png}  (--palettes 1: one bank for all tiles)"
# An LVGL 9 image, ready for lv_image_set_src(img, &logo): out/logo.c and out/logo.h.
stats=$("$kpal" convert "$sample" -t lvgl-i4 --resize 192x128 --dither fs --format lvgl \
    -o "$out/logo.c" --stats -q)
row lvgl-i4 "$stats" "out/logo.{c,h}  (--format lvgl: a ready lv_image_dsc_t)"
# The same panel through the C core a microcontroller runs (--engine fixed): the bytes the
# device itself would produce from this photo.
stats=$("$kpal" convert "$sample" -t st7735-4bpp --fit screen --engine fixed \
    -o "$out/st7735-4bpp-fixed.bin" --preview "$out/st7735-4bpp-fixed.png" --stats -q)
row st7735-4bpp "$stats" "out/st7735-4bpp-fixed.{bin,pal,png}  (--engine fixed: the on-device core)"
echo "Open out/*.png to see what each display shows; include out/*.h in your firmware."
