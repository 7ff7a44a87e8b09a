#!/usr/bin/env bash
# Installs what kpal needs, builds it into build/, and converts the bundled sample photo for every
# built-in target into out/: a C header, the binary pixels and palette, and a preview PNG of what
# the display shows. Prints a table of target, colours and PSNR.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
kpal_install $KPAL_PACKAGES
kpal_build >/dev/null
kpal="$KPAL_BUILD/kpal"
sample="$KPAL_ROOT/tools/samples/kodim23.png"
out="$KPAL_ROOT/out"
mkdir -p "$out"
printf '%-14s %8s %10s  %s\n' target colours PSNR outputs
for target in $("$kpal" targets --names); do
    "$kpal" convert "$sample" -t "$target" -o "$out/$target.h" -q
    stats=$("$kpal" convert "$sample" -t "$target" -o "$out/$target.bin" --preview "$out/$target.png" --stats -q)
    colours=$(sed -n 's/^colours used: //p' <<<"$stats")
    psnr=$(sed -n 's/^PSNR: //p' <<<"$stats")
    printf '%-14s %8s %10s  out/%s.{h,bin,pal,png}\n' "$target" "$colours" "$psnr" "$target"
done
echo "Open out/*.png to see what each display shows; include out/*.h in your firmware."
