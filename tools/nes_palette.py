#!/usr/bin/env python3
"""Prints kpal's default NES master palette: the 64 colours an NTSC television decodes from the
2C02 PPU's composite signal, computed from the levels and colour phases the NESdev wiki documents
("NTSC video": levels normalised between black 0 and white 1; colour $xY, Y = 1..12, a square
wave between the $xD and $x0 levels, high for six of twelve phases; the colour burst is phase 8,
between -0.208 and 0.286).

The decoder is a plain one, with no tint or colour knobs: luma is the wave's mean, chroma its
fundamental, measured against the burst's phase (the burst is the -U axis) and scaled by the
burst's amplitude to the standard 20 IRE (the receiver's automatic colour control); YUV to RGB
with the standard NTSC matrix, clamped. Colours $xE, $xF and $1D are black; $0D is below black.
kpal's table in src/palette_format.cpp was printed by this script."""
import math

LOW = [-0.117, 0.000, 0.308, 0.715]  # $0D $1D $2D $3D
HIGH = [0.397, 0.681, 1.000, 1.000]  # $00 $10 $20 $30
BURST = (-0.208, 0.286)


def wave(lo, hi, hue):
    # Row Y of the phase table is high at phases (s + Y - 1) mod 12 < 6.
    return [hi if (s + hue - 1) % 12 < 6 else lo for s in range(12)]


def fundamental(samples):
    re = sum(v * math.cos(2 * math.pi * (s + 0.5) / 12) for s, v in enumerate(samples)) / 6
    im = sum(v * math.sin(2 * math.pi * (s + 0.5) / 12) for s, v in enumerate(samples)) / 6
    return math.hypot(re, im), math.atan2(im, re)


burst_amp, burst_phase = fundamental(wave(*BURST, 8))


def colour(code):
    level, hue = code >> 4, code & 15
    if hue >= 14:
        samples = [0.0] * 12
    elif hue == 0:
        samples = [HIGH[level]] * 12
    elif hue == 13:
        samples = [LOW[level]] * 12
    else:
        samples = wave(LOW[level], HIGH[level], hue)
    y = sum(samples) / 12
    amp, phase = fundamental(samples)
    u = v = 0.0
    if hue in range(1, 13):
        # Later phases are earlier hues; the burst sits at 180 degrees (-U).
        angle = math.pi - (phase - burst_phase)
        amp *= 0.2 / burst_amp
        u, v = amp * math.cos(angle), amp * math.sin(angle)
    rgb = (y + 1.140 * v, y - 0.395 * u - 0.581 * v, y + 2.032 * u)
    return tuple(max(0, min(255, round(255 * c))) for c in rgb)


for row in range(0, 64, 4):
    print("    " + " ".join("{%3d, %3d, %3d}," % colour(c) for c in range(row, row + 4)))
