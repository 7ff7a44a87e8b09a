#!/usr/bin/python3
"""Screens of cells shown by emulators: for each target, a photo and a drawn title screen are
converted by kpal; the screen file is shown by a free emulator (Fuse for the ZX Spectrum,
openMSX for the TMS9918, MAME's c64p for the Commodore 64, on ROMs of our own: tests/retro/*),
and every pixel of the capture must be the colour the emulator gives the code kpal's preview
shows there. The preview is also checked against the hardware's cell rules, reading only the
PNG: at most 2 colours a cell (ZX: of one brightness), 3 and the screen's background (C64
multicolour).

usage: screens_test.py KPAL PHOTO WORKDIR
"""
import os
import subprocess
import sys

from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))

# The colours each emulator shows for codes 0-15, as captured (../shared/RETRO.md).
FUSE = [(0, 0, 0), (0, 0, 192), (192, 0, 0), (192, 0, 192), (0, 192, 0), (0, 192, 192),
        (192, 192, 0), (192, 192, 192), (0, 0, 0), (0, 0, 255), (255, 0, 0), (255, 0, 255),
        (0, 255, 0), (0, 255, 255), (255, 255, 0), (255, 255, 255)]
OPENMSX = [(0, 4, 0), (0, 4, 0), (52, 192, 64), (107, 214, 116), (83, 88, 221), (122, 122, 237),
           (184, 97, 72), (90, 226, 234), (218, 104, 81), (254, 139, 116), (200, 200, 84),
           (218, 213, 126), (48, 169, 56), (180, 104, 175), (198, 208, 197), (249, 255, 248)]
MAME_C64 = [(0, 0, 0), (253, 254, 252), (190, 26, 36), (48, 230, 198), (180, 26, 226),
            (31, 210, 30), (33, 27, 174), (223, 246, 10), (184, 65, 4), (106, 51, 4),
            (254, 74, 87), (66, 69, 64), (112, 116, 111), (89, 254, 89), (95, 83, 254),
            (164, 167, 162)]

# target, file suffix, emulator script, its palette, where the picture sits in the capture,
# the cell (width, height) in shown pixels, colours a cell, wide pixels.
SCREENS = [
    ("zx-spectrum", ".scr", "spectrum/run.sh", FUSE, (32, 24), (8, 8), 2, 1),
    ("tms9918-gfx2", ".bin", "tms9918/run.sh", OPENMSX, (32, 24), (8, 1), 2, 1),
    ("msx-sc2", ".sc2", "tms9918/run.sh", OPENMSX, (32, 24), (8, 1), 2, 1),
    ("c64-hires", ".art", "c64/run.sh", MAME_C64, (32, 35), (8, 8), 2, 1),
    ("c64-multicolor", ".kla", "c64/run.sh", MAME_C64, (32, 35), (8, 8), 3, 2),
]

failures = []


def fail(what):
    failures.append(what)
    print("FAIL", what)


def title_screen(path):
    """A drawn title screen: flat colours, a gradient sky, text and thin lines."""
    im = Image.new("RGB", (320, 240), (10, 10, 60))
    d = ImageDraw.Draw(im)
    for y in range(120):
        d.line([(0, y), (319, y)], fill=(20 + y, 40 + y, 160 + y // 2))
    d.rectangle([0, 150, 319, 239], fill=(30, 140, 40))
    d.ellipse([220, 20, 280, 80], fill=(250, 220, 60))
    d.polygon([(40, 150), (110, 60), (180, 150)], fill=(120, 80, 50))
    d.text((60, 190), "KPAL  PRESS START", fill=(255, 255, 255))
    for x in range(0, 320, 16):
        d.line([(x, 230), (x + 8, 239)], fill=(200, 30, 30))
    im.save(path)


def check_cells(preview, target, cell, colours, wide):
    """The hardware's rules, read from the preview alone."""
    w, h = preview.size
    px = preview.load()
    if wide > 1:
        for y in range(h):
            for x in range(0, w, 2):
                if px[x, y] != px[x + 1, y]:
                    return fail(f"{target}: wide pixel ({x}, {y}) is not doubled")
    per_cell = []
    for cy in range(0, h, cell[1]):
        for cx in range(0, w, cell[0]):
            per_cell.append({px[x, y] for y in range(cy, cy + cell[1])
                             for x in range(cx, cx + cell[0])})
    if wide > 1:  # one background for the whole screen, three more a cell
        ok = any(all(len(c - {bg}) <= colours for c in per_cell)
                 for bg in set().union(*per_cell))
        if not ok:
            fail(f"{target}: no one background leaves every cell {colours} colours")
        return
    bad = [c for c in per_cell if len(c) > colours]
    if bad:
        return fail(f"{target}: {len(bad)} cells show more than {colours} colours")
    if target == "zx-spectrum":  # ink and paper of one brightness: no 192 beside 255
        for c in per_cell:
            levels = {v for colour in c for v in colour} - {0}
            if len(levels) > 1:
                return fail(f"{target}: a cell mixes BRIGHT and normal colours {c}")


def codes_of(colour, palette):
    return {i for i, c in enumerate(palette) if c == colour}


def main():
    kpal, photo, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    title = os.path.join(work, "title.png")
    title_screen(title)
    for target, suffix, script, emulator, (ox, oy), cell, colours, wide in SCREENS:
        gpl = os.path.join(work, target + ".gpl")
        subprocess.run([kpal, "convert", title, "-t", target, "--fit", "screen", "-q", "-o", gpl],
                       check=True)
        palette = [tuple(int(v) for v in line.split()[:3]) for line in open(gpl)
                   if line[:1].isdigit() or line[:1] == " "]
        for name, picture, dither in (("photo", photo, "fs"), ("title", title, "none")):
            stem = os.path.join(work, f"{target}-{name}")
            subprocess.run([kpal, "convert", picture, "-t", target, "--fit", "screen",
                            "--dither", dither, "-q", "-o", stem + suffix,
                            "--preview", stem + ".png"], check=True)
            preview = Image.open(stem + ".png").convert("RGB")
            check_cells(preview, target, cell, colours, wide)
            subprocess.run([os.path.join(HERE, script), stem + suffix, stem + "-capture.png"],
                           check=True, stdout=subprocess.DEVNULL)
            capture = Image.open(stem + "-capture.png").convert("RGB").load()
            shown = preview.load()
            differ = 0
            for y in range(preview.size[1]):
                for x in range(preview.size[0]):
                    want = codes_of(shown[x, y], palette)
                    got = codes_of(capture[ox + x, oy + y], emulator)
                    differ += not (want & got)
            print(f"{target} {name}: {differ} pixels differ from the emulator's")
            if differ:
                fail(f"{target} {name}: {differ} pixels differ")
    if failures:
        sys.exit(1)
    print("ALL OK")


main()
