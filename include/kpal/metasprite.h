// Metasprites: a frame larger than, or shaped unlike, the hardware's sprites, covered by pieces of
// the sizes the hardware draws (the profile's sprite_sizes), over the tiles that show something.
// Each piece's tiles are stored in the hardware's sprite order; a piece equal to an earlier one,
// or to its mirror image, takes its tiles with flip bits. And the reverse, for the preview.
#pragma once

#include "kpal/image.h"
#include "kpal/tiles.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace kpal {

// A piece of a frame: its place in tiles from the frame's top-left, its size in tiles.
struct Piece {
    int x = 0, y = 0, w = 0, h = 0;
    friend bool operator==(const Piece&, const Piece&) = default;
};

// The fewest pieces of `sizes` (in tiles) on the frame's tile grid that cover every tile marked
// in `shows` (tw x th, row-major), without overlapping and each with a marked tile; among as
// few, the fewest tiles. An exact search, which past `budget` steps keeps the best found (at
// worst the greedy cover). Deterministic.
std::vector<Piece> cover_frame(const std::vector<bool>& shows, int tw, int th,
                               std::span<const std::pair<int, int>> sizes, long budget = 200000);

// The cover the issue compares with: at each marked tile not yet covered, in reading order, the
// largest size that fits there (its top-left on the tile).
std::vector<Piece> greedy_cover(const std::vector<bool>& shows, int tw, int th,
                                std::span<const std::pair<int, int>> sizes);

// A placed piece as the data holds it: pixels from the frame's top-left, its first tile in the
// tileset, its size in tiles, its flips.
struct PlacedPiece {
    int x = 0, y = 0;
    unsigned tile = 0;
    int w = 0, h = 0;
    bool hflip = false, vflip = false;
};

struct Metasprites {
    std::vector<Tile> tiles;                 // each distinct piece's tiles, in the sprite order
    std::vector<PlacedPiece> pieces;         // every frame's, frame after frame
    std::vector<std::pair<int, int>> frames; // each frame's first piece and count
    int greedy = 0;                          // the pieces the greedy cover would take
    int frame_width = 0, frame_height = 0;   // in pixels
};

// The metasprites of `indexed` cut into fw x fh frames (whole tiles, reading order); index 0 is
// transparent. `order` is the hardware's sprite order, `flips` whether it mirrors sprites.
Metasprites make_metasprites(const IndexedImage& indexed, int fw, int fh,
                             std::span<const std::pair<int, int>> sizes, const SpriteOrder& order,
                             bool flips);

// The data's bytes: 8 a piece (x, y signed 16-bit little-endian; tile 16-bit; width << 4 |
// height in tiles; flags: 1 h flip, 2 v flip), 4 a frame (first piece, count: 16-bit).
std::vector<std::uint8_t> piece_bytes(const Metasprites& m);
std::vector<std::uint8_t> frame_bytes(const Metasprites& m);

// The frames drawn back from the data's bytes: a width x height sheet of fw x fh frames.
// Throws Error{input} naming `origin` when a piece or frame names what is not there.
IndexedImage draw_metasprites(std::span<const Tile> tiles, std::span<const std::uint8_t> pieces,
                              std::span<const std::uint8_t> frames, const SpriteOrder& order,
                              int width, int height, int fw, int fh, const std::string& origin);

// The most pieces one row of pixels crosses in any frame (the hardware draws a limited number of
// sprites on a scanline).
int worst_scanline(const Metasprites& m, int fh);

} // namespace kpal
