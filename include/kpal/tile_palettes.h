// Several palettes for tile hardware: P banks of C colours and, for each cell of the picture (a
// tile, or the NES's 16x16 attribute area), the bank it draws from, designed together so that the
// shown picture's squared error is least. The cells start grouped around the palettes of a few
// single cells (those that together show every cell best), then two steps alternate until no
// cell changes bank: each
// bank is redesigned by the palette designer (weighted k-means, snapped to the device) over the
// pixels of its cells, and each cell moves to the bank that shows it best (its error under
// nearest-colour mapping); then a few split-merge trials search past that first local optimum.
// Deterministic: the same picture and options give the same banks on every run and thread count.
#pragma once

#include "kpal/design.h"
#include "kpal/dither.h"
#include "kpal/image.h"
#include "kpal/palette_format.h"

#include <optional>
#include <vector>

namespace kpal {

struct TilePaletteOptions {
    int banks = 1;        // P
    int colours = 16;     // colours each bank designs
    int cell = 8;         // the side in pixels of a cell, the square that picks a bank
    DesignOptions design; // seed, colour space, threads (colors and fixed are set per bank)
    // One more colour every bank shows (the backdrop of the GBA, SNES, Mega Drive and PC
    // Engine: colour 0 of bank 0, shown through index 0 of every bank), designed with the banks.
    bool shared_colour = false;
    // Trials after the first alternation, each from a split-merge of the best banks (one
    // bank's cells given to the others, the worst bank split in two); -1: as many as about 2000
    // tiles' cells' worth (16 at most: a GBC screen 5, a GBA one 3, SNES 2, Mega Drive 1), which
    // keeps a screen under about a second.
    int trials = -1;
};

struct TilePalettes {
    std::vector<std::vector<Rgb>> banks; // each bank's designed colours (at most `colours`)
    std::vector<int> cell_bank;          // each cell's bank, row-major
    int cells_across = 0, cells_down = 0;
    std::optional<Rgb> shared; // with shared_colour: the colour every bank also shows
    double error = 0;          // the total squared error of the opaque pixels under the banks
    int rounds = 0;            // alternations run
};

// Designs the banks for the opaque pixels of `image` (transparent ones, under `transparency`,
// take no colour) on a device that shows `levels`.
TilePalettes design_tile_palettes(const Image& image, const Transparency& transparency,
                                  const DeviceLevels& levels, const TilePaletteOptions& options);

} // namespace kpal
