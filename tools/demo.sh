#!/usr/bin/env bash
# Installs what kpal needs, builds it into build/, and converts the bundled sample photo for every
# built-in target into out/: a C header, the binary pixels and palette, and a preview PNG of what
# the display shows; and once more for the ST7735 through the on-device C core (--engine fixed).
# Prints a table of target, colours and PSNR.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
kpal_install $KPAL_PACKAGES
kpal_build kpal_cli >/dev/null
kpal="$KPAL_BUILD/kpal"
sample="$KPAL_ROOT/tools/samples/kodim23.png"
out="$KPAL_ROOT/out"
mkdir -p "$out"
printf '%-20s %8s %10s  %s\n' target colours PSNR outputs
for target in $("$kpal" targets --names); do
    # Tile hardware holds a screen's worth of tiles: the photo is scaled to the target's screen
    # (a sprite target's largest sprite) first.
    resize=()
    screen=$("$kpal" targets | awk -v t="$target" '$1 == t { print $2 }')
    case "$("$kpal" targets | awk -v t="$target" '$1 == t { print $4 }')" in
        *-[0-9]bpp) resize=(--resize "$screen") ;;
    esac
    # The Master System's 448 tiles and the NES's 256 hold no full screen of photo (554 and 605
    # distinct tiles): the most alike are merged until they fit.
    case "$target" in sms-bg | nes-bg) resize=(--fit screen --merge-tiles) ;; esac
    # Mono and grey OLEDs and e-paper show a few fixed colours: the photo fills the screen and
    # is dithered against the colours the panel shows.
    case "$target" in
        ssd13* | sh1106-* | arduboy | epd-*) resize=(--fit screen --dither fs) ;;
    esac
    "$kpal" convert "$sample" -t "$target" "${resize[@]}" -o "$out/$target.h" -q
    stats=$("$kpal" convert "$sample" -t "$target" "${resize[@]}" -o "$out/$target.bin" \
        --preview "$out/$target.png" --stats -q)
    colours=$(sed -n 's/^colours used: //p' <<<"$stats")
    psnr=$(sed -n 's/^PSNR: //p' <<<"$stats")
    files=""
    for suffix in h bin pal png; do # a fixed palette (e-paper, OLEDs) has no .pal
        [[ -e "$out/$target.$suffix" ]] && files+="${files:+,}$suffix"
    done
    printf '%-20s %8s %10s  out/%s.{%s}\n' "$target" "$colours" "$psnr" "$target" "$files"
done
# The GBA background again with one palette for every tile (--palettes 1), not its 16 banks.
stats=$("$kpal" convert "$sample" -t gba-bg-4bpp --resize 240x160 --palettes 1 \
    -o "$out/gba-bg-4bpp-palettes1.bin" --preview "$out/gba-bg-4bpp-palettes1.png" --stats -q)
printf '%-20s %8s %10s  out/%s.{bin,map,pal,png}  (--palettes 1: one bank for all tiles)\n' \
    gba-bg-4bpp "$(sed -n 's/^colours used: //p' <<<"$stats")" "$(sed -n 's/^PSNR: //p' <<<"$stats")" \
    gba-bg-4bpp-palettes1
# An LVGL 9 image, ready for lv_image_set_src(img, &logo): out/logo.c and out/logo.h.
"$kpal" convert "$sample" -t lvgl-i4 --resize 192x128 --dither fs --format lvgl -o "$out/logo.c" -q
printf '%-20s %8s %10s  out/logo.{c,h}  (--format lvgl: a ready lv_image_dsc_t)\n' lvgl-i4 16 ""
# The same panel through the C core a microcontroller runs (--engine fixed): the bytes the
# device itself would produce from this photo.
stats=$("$kpal" convert "$sample" -t st7735-4bpp --engine fixed -o "$out/st7735-4bpp-fixed.bin" \
    --preview "$out/st7735-4bpp-fixed.png" --stats -q)
printf '%-20s %8s %10s  out/%s.{bin,pal,png}  (--engine fixed: the on-device core)\n' \
    st7735-4bpp "$(sed -n 's/^colours used: //p' <<<"$stats")" "$(sed -n 's/^PSNR: //p' <<<"$stats")" \
    st7735-4bpp-fixed
echo "Open out/*.png to see what each display shows; include out/*.h in your firmware."
