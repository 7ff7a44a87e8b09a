// The tile budget (--merge-tiles): where a picture has more distinct tiles than the hardware
// holds, the most alike are merged until they fit. Runs after remapping and before the tile
// stage, on the indexed picture: each 8x8 cell's tile is replaced by one of the tiles kept, so
// the tile stage finds at most the budget's count.
#pragma once

#include "kpal/image.h"

#include <cstddef>
#include <span>
#include <vector>

namespace kpal {

struct TileMergeOptions {
    std::size_t budget = 0;   // distinct tiles to keep, up to flips where the map has them
    int bank_size = 16;       // entries a bank: indices are bank x bank_size + entry
    bool flips = false;       // a kept tile may stand for a mirrored cell
    bool transparent = false; // entry 0 of every bank is transparent (takes no colour)
    int rounds = 4;           // refit-and-reassign rounds after the merging
};

struct TileMerge {
    IndexedImage indexed;                     // the picture with each cell drawn by a kept tile
    std::size_t tiles_before = 0;             // distinct tiles (up to flips) before merging
    std::size_t tiles_after = 0;              // and after (at most the budget)
    double error_before = 0, error_after = 0; // squared error of the shown picture against `image`
};

// Merges the tiles of `indexed` (each cell in one bank: its pixels' indices are that bank's
// entries, or index 0) until at most options.budget distinct ones remain. Greedy: of all
// substitutions "every cell of tile A shows tile B instead" (B in each cell's own bank, in its
// best orientation), the one that adds least squared error against `image` under `shown` goes
// first. Then rounds of refitting (each kept tile's pixels the entries of least error over the
// cells it draws) and reassigning (each cell to its best kept tile and orientation) while the
// error falls. Entries that are not `usable` are never chosen; transparent pixels (`skip`) keep
// index 0. Deterministic: ties go to the lowest tile.
TileMerge merge_tiles(const Image& image, const IndexedImage& indexed, std::span<const Rgb> shown,
                      const std::vector<bool>& usable, const std::vector<bool>& skip,
                      const TileMergeOptions& options);

} // namespace kpal
