// The tile stage, for tile hardware: an indexed image cut into 8x8 tiles (padded with index 0),
// repeated and flipped tiles removed, and the map that rebuilds the picture from them; or, for
// sprites, each frame's tiles in the order the hardware reads them. And the reverse, for the
// preview: tiles and map back into the picture.
#pragma once

#include "kpal/image.h"
#include "kpal/tile_format.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kpal {

// How a sprite's tiles follow each other: units of unit_w x unit_h tiles, the units in rows (or
// columns), the tiles of a unit top to bottom, then left to right.
struct SpriteOrder {
    std::string_view name;
    std::string_view description;
    int unit_w, unit_h;
    bool units_by_column;
};

// Every sprite order, and the one called `name` (nullptr when there is none).
std::span<const SpriteOrder> sprite_orders();
const SpriteOrder* find_sprite_order(std::string_view name);

// What index 0 of a palette shows: a colour of its own (GBC, SMS), the backdrop (palette entry 0
// of bank 0, shown through index 0 of every bank: GBA, SNES, Mega Drive and PC Engine
// backgrounds), or nothing (sprites: transparent).
enum class Colour0 { own, backdrop, transparent };

// A target's tile hardware (the profile's tile keys).
struct TileHardware {
    const TileFormat* format = nullptr;
    const MapFormat* map = nullptr;     // nullptr: sprites, tiles only
    const SpriteOrder* order = nullptr; // sprites
    unsigned max_tiles = 0;             // the target's limit (at most the map's tile field)
    Colour0 colour0 = Colour0::own;
    bool screen_blocks = false; // the map can be laid out as 32x32 screen blocks
    int banks = 1;              // the palette banks a background's tiles choose from (`palettes`)
    // Sprites: the sizes in pixels the hardware draws (`sprite_sizes`); a frame must be one of
    // them. Empty: any whole number of the sprite order's units.
    std::vector<std::pair<int, int>> sprite_sizes;
};

struct TileOptions {
    bool dedup = true;                        // remove repeated tiles
    bool flips = true;                        // and flipped ones, where the map has flip bits
    unsigned tile_offset = 0;                 // the tiles go after this many in video memory
    unsigned palette_bank = 0;                // the bank map entries carry
    unsigned max_tiles = 0;                   // a lower tile limit than the target's (0: its)
    bool screen_blocks = false;               // lay the map out as 32x32 screen blocks
    std::optional<std::pair<int, int>> frame; // sprites: the frame size in pixels
    // Sprites: each frame covered by pieces of the hardware's sprite sizes (metasprite.h), so a
    // frame may be any whole number of tiles.
    bool metasprite = false;
    // Maps: tiles already in video memory (a font, or the screens before this one), first in the
    // set with their indices; the picture's tiles that match one of them (flips included) use it,
    // and its new tiles follow them.
    std::vector<Tile> seed;
};

struct TileSet {
    std::vector<Tile> tiles;           // the tiles to load, in order (the seed's first)
    std::vector<MapEntry> map;         // row-major, map_width x map_height (empty for sprites)
    int map_width = 0, map_height = 0; // in tiles, as stored (screen blocks padded to 32)
    int frames = 0, frame_tiles = 0;   // sprites: how many frames, tiles in each
};

// The tile positions (x, y) of a block of tw x th tiles in the sprite order: its tiles as the
// hardware reads them.
std::vector<std::pair<int, int>> sprite_positions(const SpriteOrder& order, int tw, int th);

// `t` mirrored left to right (h) and top to bottom (v).
Tile flipped(const Tile& t, bool h, bool v);

// The tiles a picture may have, --tile-offset included: the target's limit, the map's tile field
// and options.max_tiles, the least of them.
unsigned tile_limit(const TileHardware& hw, const TileOptions& options);

// The map's size in tiles for a width x height picture: whole tiles, with screen blocks whole
// 32x32 blocks, and for a format with a fixed screen that screen.
std::pair<int, int> map_size(const MapFormat& format, int width, int height, bool screen_blocks);

// Cuts `image` for `hw`. Throws Error{input} naming `origin` when the tiles do not fit the map's
// tile field or the target's limit, or the picture its fixed screen, and Error{usage} for options
// the hardware cannot take (a frame that is not whole tiles of the order's units, a bank past the
// palette field).
TileSet make_tiles(const IndexedImage& image, const TileHardware& hw, const TileOptions& options,
                   const std::string& origin);

// The picture a width x height screen shows from `set`: each pixel's index plus
// bank_size x (its entry's bank - palette_bank), so that one palette of several banks serves.
// Throws Error{input} naming `origin` when an entry names a tile or bank that is not there.
IndexedImage draw_tiles(const TileSet& set, const TileHardware& hw, const TileOptions& options,
                        int width, int height, int bank_size, int banks, const std::string& origin);

} // namespace kpal
