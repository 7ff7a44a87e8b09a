// The search dither: a dithered picture refined pixel by pixel until no change of one pixel's
// entry, and no swap of two neighbours' entries, brings what the eye sees closer to the image
// (direct binary search: Analoui and Allebach 1992; Lieberman and Allebach 1997 for colour).
#pragma once

#include "kpal/image.h"

#include <array>
#include <cstdint>
#include <vector>

namespace kpal {

// The entries each pixel may take: pixel i takes those of sets[set_of[i]] (sets[0] for every
// pixel when set_of is empty), each set in ascending order. Two pixels swap entries only within
// one set.
struct EntrySets {
    std::vector<std::vector<std::uint8_t>> sets;
    std::vector<int> set_of;
};

// Colours in the space the search measures in (sRGB values, or light), in levels of 0 to 255.
using Colour = std::array<double, 3>;

// A picture's pixels in that space, row by row.
struct Wanted {
    int width = 0, height = 0;
    std::vector<std::array<float, 3>> pixels;
};

// The error searched is the squared difference of `wanted` and the picture shown, both seen
// through a Gaussian of sigma 0.7 pixels (weighted by `strength`, 0..1), plus 0.15 of the
// plain squared difference, so that a pixel does not stray from its own colour for a gain the
// eye barely sees. A pixel changes only to an entry of its set that one of its 8 neighbours
// shows, or swaps with a neighbour. At most 8 passes over the picture in raster order; each takes
// every improvement it finds at once. Pixels marked in `skip` stay as they are and count no error.
// The result depends only on the arguments.
IndexedImage refine_by_search(const Wanted& wanted, const std::vector<Colour>& shown,
                              IndexedImage start, const EntrySets& entries,
                              const std::vector<bool>& skip, double strength);

} // namespace kpal
