// The seed of a tileset (--tileset-in): tiles already in video memory (a font, a HUD, the last
// level's tiles) and the palette they show with, read from the files kpal wrote for them. A new
// picture's tileset starts with them, their indices and bytes unchanged; the picture's cells that
// show exactly as one of them use it; its new tiles follow, in new palette entries.
#pragma once

#include "kpal/image.h"
#include "kpal/palette_format.h"
#include "kpal/target.h"
#include "kpal/tile_format.h"

#include <span>
#include <string>
#include <vector>

namespace kpal {

struct TilesetSeed {
    std::vector<Tile> tiles;
    // The palette entries the seed keeps. On hardware whose tiles choose a bank: its first
    // `banks` banks, whole (trailing banks whose bytes are zero past entry 0 are unused and left
    // out), and the new banks follow them. Else the entries from 0 up to the last its tiles use,
    // which the new palette pins (`banks` is 0).
    std::vector<Rgb> entries;
    int banks = 0;
};

// The seed in `tiles` (tiles in the target's tile format) and `palette` (the target's palette
// format). Throws Error{input} naming `origin` when the bytes are not whole tiles or entries, or
// hold none, and Error{usage} when the seed's banks leave none for new tiles.
TilesetSeed read_tileset_seed(std::span<const std::uint8_t> tiles,
                              std::span<const std::uint8_t> palette, const Target& target,
                              const std::string& origin);

// The cells of `image` (whole 8x8 cells whose pixels are all opaque) that show, as the device
// shows their colours (`levels`), exactly as a seed tile in one of its banks, in any orientation
// the map can flip, take that tile: its indices, in that orientation and bank (entry + bank x
// bank_size; `shown` are the palette's colours, the seed's first), replace the cell's in
// `indexed`, so that the tile stage finds the seed's tile. Maps with attribute areas (the NES)
// are left as they are.
void place_seed_tiles(const Image& image, const Transparency& transparency, const TilesetSeed& seed,
                      std::span<const Rgb> shown, int bank_size, const Target& target,
                      IndexedImage& indexed);

} // namespace kpal
