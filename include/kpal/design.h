// Stage 3: Histogram -> palette. A variance-minimising split seeds weighted k-means (Lloyd's
// iterations with Hamerly's 2010 bounds), run to convergence, then again with every entry
// snapped to what the display can show.
#pragma once

#include "kpal/colorspace.h"
#include "kpal/histogram.h"
#include "kpal/palette_format.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace kpal {

struct DesignOptions {
    int colors = 256;       // K, at least 1
    std::uint64_t seed = 0; // 0: variance-split start; any other value: k-means++ drawn from it
    ColorSpace space = ColorSpace::rgb; // where distances are measured
    int threads = 0;        // threads for the assignment steps, 0 for every core; the result
                            // is the same for any number
    std::vector<Rgb> fixed; // pinned colours: the palette's first entries, never moved
    // How hard to work, 1 to 3: 3 runs k-means to convergence; 2 (the default) does too for K up
    // to 32 and above that stops once an iteration gains less than 0.1 %; 1 stops at 0.1 % (K up
    // to 32) or 0.3 % and tries fewer swaps (see design.cpp).
    int effort = 2;
    // Random swaps tried on a coarse grid before Lloyd (see design.cpp): by default 200 for K up
    // to 32 (50 at effort 1) and none above; a caller that designs many small palettes may ask
    // for fewer.
    std::optional<int> swap_trials;
    // On a device of few levels, small palettes end with a descent to neighbouring device
    // colours (see design.cpp); a caller that designs many small palettes may leave it out.
    bool descend = true;
};

struct Design {
    // At most K entries, each representable by the device, no two alike (unless two pinned
    // colours are): first the pinned colours, snapped to the device, in order; then the designed
    // ones. Fewer than K only when the image has fewer distinct (snapped) colours.
    std::vector<Rgb> palette;
    // For each histogram colour, its palette index: the nearest entry in the design's colour
    // space, the lowest index on a tie.
    std::vector<std::uint8_t> labels;
    // Weighted squared error (sum of count * distance^2) after each Lloyd iteration, in order:
    // first with free centres, then, from index snapped_from, with device colours. Never
    // increasing within each of the two runs.
    std::vector<double> error_trace;
    int snapped_from = 0;
    int iterations = 0;
};

// Designs at most K colours for `histogram` on a device that shows `levels`. Deterministic:
// the same histogram and options give the same palette on every run and machine.
Design design_palette(const Histogram& histogram, const DeviceLevels& levels,
                      const DesignOptions& options);

// The entries of a palette designed for dithering: each moved away from the entries' mean
// (weighted by `counts`, the pixels of each) by a factor of 1 + 1 / (2 (K - 1)), then snapped to
// the device; an entry that would land on another's colour stays where it was. K-means puts
// each entry at the mean of its colours, inside the image's gamut, and a dithered picture can
// only mix colours inside the palette's: K / (K - 1) would restore the outer entries of a
// uniform spread, and half that step measured best with 2 to 32 colours
// (docs/bench-dither.md).
std::vector<Rgb> spread_for_dithering(const std::vector<Rgb>& palette,
                                      const std::vector<std::uint64_t>& counts,
                                      const DeviceLevels& levels);

// Sum over the histogram of count * squared distance to its labelled palette entry.
double weighted_error(const Histogram& histogram, const std::vector<Rgb>& palette,
                      const std::vector<std::uint8_t>& labels);

} // namespace kpal
