#include "kpal/tiles.h"
#include "table.h"

#include "kpal/error.h"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

namespace kpal {
namespace {

// clang-format off
constexpr SpriteOrder orders[] = {
    {"rows",      "tiles row by row (GBA and NDS objects in 1D mapping)",   1, 1, false},
    {"columns",   "tiles column by column (Mega Drive sprites)",             1, 1, true},
    {"rows-8x16", "8x16 pairs row by row, each the top tile then the bottom (8x16 objects)", 1, 2, false},
};
// clang-format on

constexpr int block = 32; // a screen block is 32x32 map entries

[[noreturn]] void usage(const std::string& message) {
    throw Error(ErrorKind::usage, message);
}

// The tile whose top-left pixel is (tx * 8, ty * 8), index 0 past the image's edges.
Tile cut(const IndexedImage& image, int tx, int ty) {
    Tile t{};
    for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 8; ++x) {
            const int px = 8 * tx + x, py = 8 * ty + y;
            if (px < image.width && py < image.height)
                t[std::size_t(8 * y + x)] = image.indices[std::size_t(py) * image.width + px];
        }
    return t;
}

// A tile cut from a picture of several banks (indices bank x bank_size + entry) in its bank's
// entries, and that bank: the one its pixels' indices are in (a tile draws from one bank).
std::pair<Tile, unsigned> in_bank(Tile t, unsigned bank_size, const std::string& origin, int tx,
                                  int ty) {
    const unsigned bank = *std::max_element(t.begin(), t.end()) / bank_size;
    for (std::uint8_t& v : t) {
        if (v / bank_size != bank && v % bank_size != 0)
            throw_input_error(origin, "tile (" + std::to_string(tx) + ", " + std::to_string(ty) +
                                          ") draws from two palette banks");
        v = std::uint8_t(v % bank_size);
    }
    return {t, bank};
}

// An attribute table gives each area of 2x2 entries one palette: the bank of the area's tiles
// (a tile of index 0 alone shows the backdrop in any bank and takes its neighbours'). Tiles of
// two banks in one area are an input error (several palettes design whole areas).
void share_areas(TileSet& set, const std::vector<bool>& any_bank, const std::string& origin) {
    const auto at = [&](int x, int y) { return std::size_t(y) * std::size_t(set.map_width) + x; };
    for (int ay = 0; ay < set.map_height; ay += 2)
        for (int ax = 0; ax < set.map_width; ax += 2) {
            std::optional<std::pair<int, int>> owner;
            for (int y = ay; y < std::min(ay + 2, set.map_height); ++y)
                for (int x = ax; x < std::min(ax + 2, set.map_width); ++x) {
                    if (any_bank[at(x, y)]) continue;
                    if (!owner) {
                        owner = {x, y};
                    } else if (set.map[at(x, y)].palette !=
                               set.map[at(owner->first, owner->second)].palette) {
                        throw_input_error(origin,
                                          "tiles (" + std::to_string(owner->first) + ", " +
                                              std::to_string(owner->second) + ") and (" +
                                              std::to_string(x) + ", " + std::to_string(y) +
                                              ") share a 16x16 attribute area but draw from two "
                                              "palette banks");
                    }
                }
            if (!owner) continue;
            const unsigned bank = set.map[at(owner->first, owner->second)].palette;
            for (int y = ay; y < std::min(ay + 2, set.map_height); ++y)
                for (int x = ax; x < std::min(ax + 2, set.map_width); ++x)
                    set.map[at(x, y)].palette = bank;
        }
}

int tiles_across(int pixels) {
    return (pixels + 7) / 8;
}

// Where map position (x, y) is stored: row-major, or inside its 32x32 screen block, the blocks
// row-major.
std::size_t map_slot(int x, int y, int map_width, bool blocks) {
    if (!blocks) return std::size_t(y) * map_width + x;
    const int blocks_wide = map_width / block;
    return std::size_t((y / block) * blocks_wide + x / block) * block * block +
           std::size_t(y % block) * block + std::size_t(x % block);
}

// The frame size in tiles for an image of width x height: --frame, or the whole image.
std::pair<int, int> frame_tiles(const TileHardware& hw, const TileOptions& options, int width,
                                int height) {
    const SpriteOrder& o = *hw.order;
    int fw = 8 * tiles_across(width), fh = 8 * tiles_across(height);
    if (options.frame) {
        fw = options.frame->first, fh = options.frame->second;
        if (fw % 8 || fh % 8 || fw <= 0 || fh <= 0)
            usage("--frame " + std::to_string(fw) + "x" + std::to_string(fh) +
                  " is not whole 8x8 tiles");
        if (width % fw || height % fh)
            usage("the sheet (" + std::to_string(width) + "x" + std::to_string(height) +
                  ") is not a whole number of " + std::to_string(fw) + "x" + std::to_string(fh) +
                  " frames");
    }
    const auto& sizes = hw.sprite_sizes;
    if (options.frame && !sizes.empty() &&
        std::find(sizes.begin(), sizes.end(), std::pair{fw, fh}) == sizes.end()) {
        std::string known;
        for (const auto& [w, h] : sizes)
            known += (known.empty() ? "" : " ") + std::to_string(w) + "x" + std::to_string(h);
        usage("a frame of " + std::to_string(fw) + "x" + std::to_string(fh) +
              " is not a sprite size of this hardware (" + known + "): give --frame one of them");
    }
    if ((fw / 8) % o.unit_w || (fh / 8) % o.unit_h)
        usage("a frame of " + std::to_string(fw) + "x" + std::to_string(fh) +
              " is not whole units of the '" + std::string(o.name) + "' sprite order (" +
              std::to_string(8 * o.unit_w) + "x" + std::to_string(8 * o.unit_h) + ")");
    return {fw / 8, fh / 8};
}

void check_limit(std::size_t count, const TileHardware& hw, const TileOptions& options,
                 const std::string& origin) {
    const unsigned limit = tile_limit(hw, options);
    if (options.tile_offset + count <= limit) return;
    std::string what = std::to_string(count) + " tiles";
    if (!options.seed.empty())
        what += " (" + std::to_string(options.seed.size()) + " of them already in the set)";
    if (options.tile_offset) what += " after --tile-offset " + std::to_string(options.tile_offset);
    throw_input_error(
        origin,
        what + " do not fit " +
            (options.max_tiles == limit ? "--max-tiles " + std::to_string(limit)
                                        : "the target's " + std::to_string(limit) + " tiles") +
            "; use --merge-tiles, a picture with fewer distinct tiles, fewer colours (-k), " +
            (options.dedup ? "" : "leave out --no-dedup, ") +
            (hw.map && hw.map->has_flips() && !options.flips ? "leave out --no-flip, " : "") +
            "or split it");
}

} // namespace

std::vector<std::pair<int, int>> sprite_positions(const SpriteOrder& o, int tw, int th) {
    std::vector<std::pair<int, int>> out;
    const int uw = tw / o.unit_w, uh = th / o.unit_h;
    for (int a = 0; a < (o.units_by_column ? uw : uh); ++a)
        for (int b = 0; b < (o.units_by_column ? uh : uw); ++b) {
            const int ux = o.units_by_column ? a : b, uy = o.units_by_column ? b : a;
            for (int cx = 0; cx < o.unit_w; ++cx)
                for (int cy = 0; cy < o.unit_h; ++cy)
                    out.emplace_back(ux * o.unit_w + cx, uy * o.unit_h + cy);
        }
    return out;
}

Tile flipped(const Tile& t, bool h, bool v) {
    Tile out{};
    for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 8; ++x)
            out[std::size_t(8 * y + x)] = t[std::size_t(8 * (v ? 7 - y : y) + (h ? 7 - x : x))];
    return out;
}

unsigned tile_limit(const TileHardware& hw, const TileOptions& options) {
    const unsigned field = hw.map ? hw.map->max_tiles() : hw.max_tiles;
    const unsigned limit = std::min(hw.max_tiles, field);
    return options.max_tiles ? std::min(limit, options.max_tiles) : limit;
}

std::pair<int, int> map_size(const MapFormat& format, int width, int height, bool screen_blocks) {
    if (format.screen_width) return {format.screen_width, format.screen_height};
    const auto across = [&](int pixels) {
        const int tiles = tiles_across(pixels);
        return screen_blocks ? (tiles + block - 1) / block * block : tiles;
    };
    return {across(width), across(height)};
}

std::span<const SpriteOrder> sprite_orders() {
    return orders;
}

const SpriteOrder* find_sprite_order(std::string_view name) {
    return find_row<SpriteOrder>(orders, name);
}

TileSet make_tiles(const IndexedImage& image, const TileHardware& hw, const TileOptions& options,
                   const std::string& origin) {
    TileSet set;
    if (!hw.map) { // sprites: each frame's tiles in the hardware's order
        const auto [tw, th] = frame_tiles(hw, options, image.width, image.height);
        const int across = tiles_across(image.width) / tw, down = tiles_across(image.height) / th;
        const auto positions = sprite_positions(*hw.order, tw, th);
        for (int fy = 0; fy < down; ++fy)
            for (int fx = 0; fx < across; ++fx)
                for (const auto& [x, y] : positions)
                    set.tiles.push_back(cut(image, fx * tw + x, fy * th + y));
        set.frames = across * down;
        set.frame_tiles = tw * th;
        check_limit(set.tiles.size(), hw, options, origin);
        return set;
    }

    const MapFormat& m = *hw.map;
    if (options.palette_bank > m.palette.max())
        usage("--palette-bank " + std::to_string(options.palette_bank) + " is past the map's " +
              std::to_string(m.palette.max() + 1) + " banks");
    if (options.screen_blocks && !hw.screen_blocks)
        usage("--screen-blocks: this target's map has no 32x32 screen blocks");
    const bool flips = options.flips && m.has_flips();
    const int w = tiles_across(image.width), h = tiles_across(image.height);
    const bool blocks = options.screen_blocks;
    std::tie(set.map_width, set.map_height) = map_size(m, image.width, image.height, blocks);
    if (w > set.map_width || h > set.map_height)
        throw_input_error(origin, "is " + std::to_string(image.width) + "x" +
                                      std::to_string(image.height) + ", larger than the " +
                                      std::to_string(8 * m.screen_width) + "x" +
                                      std::to_string(8 * m.screen_height) +
                                      " screen the map holds: use --resize, or crop it");
    set.map.resize(std::size_t(set.map_width) * set.map_height);

    // Each unique tile is found again as itself or flipped; the first way found wins, so the
    // result depends only on the seed and the picture.
    std::map<Tile, MapEntry> known;
    const auto add = [&](const Tile& t) {
        const unsigned index = unsigned(set.tiles.size());
        set.tiles.push_back(t);
        const MapEntry plain{options.tile_offset + index, false, false, options.palette_bank};
        known.emplace(t, plain);
        if (flips)
            for (const auto& [fh, fv] : {std::pair{true, false}, {false, true}, {true, true}})
                known.emplace(flipped(t, fh, fv), MapEntry{plain.tile, fh, fv, plain.palette});
        return plain;
    };
    for (const Tile& t : options.seed) add(t);
    const auto entry_for = [&](const Tile& t) {
        if (options.dedup)
            if (const auto it = known.find(t); it != known.end()) return it->second;
        return add(t);
    };
    // Indices past a bank's size are the next banks' (several palettes): each tile in its bank's
    // entries, its map entry naming the bank.
    const unsigned bank_size = 1u << hw.format->bpp;
    std::vector<bool> any_bank(set.map.size(), true); // a tile of index 0 alone (transparent)
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const Tile cell = cut(image, x, y);
            const auto [tile, bank] = in_bank(cell, bank_size, origin, x, y);
            if (options.palette_bank + bank > m.palette.max())
                usage("the picture's palette banks go past the map's " +
                      std::to_string(m.palette.max() + 1));
            MapEntry e = entry_for(tile);
            e.palette += bank;
            set.map[map_slot(x, y, set.map_width, blocks)] = e;
            any_bank[map_slot(x, y, set.map_width, blocks)] = cell == Tile{};
        }
    if (set.map_width > w || set.map_height > h) {
        // The margins of screen blocks or of a fixed screen show colour 0: a blank tile (added if
        // the picture has none).
        const MapEntry blank = entry_for(Tile{});
        for (int y = 0; y < set.map_height; ++y)
            for (int x = 0; x < set.map_width; ++x)
                if (x >= w || y >= h) set.map[map_slot(x, y, set.map_width, blocks)] = blank;
    }
    if (m.attribute_table) share_areas(set, any_bank, origin);
    check_limit(set.tiles.size(), hw, options, origin);
    return set;
}

IndexedImage draw_tiles(const TileSet& set, const TileHardware& hw, const TileOptions& options,
                        int width, int height, int bank_size, int banks,
                        const std::string& origin) {
    // The picture is made only once the data is known to cover it (a hostile --size allocates
    // nothing).
    IndexedImage out;
    const auto blank = [&] {
        out = {width, height, std::vector<std::uint8_t>(std::size_t(width) * height, 0)};
    };
    const auto draw = [&](const Tile& t, int tx, int ty, unsigned bank_index) {
        for (int y = 0; y < 8; ++y)
            for (int x = 0; x < 8; ++x) {
                const int px = 8 * tx + x, py = 8 * ty + y;
                if (px < width && py < height)
                    out.indices[std::size_t(py) * width + px] =
                        std::uint8_t(t[std::size_t(8 * y + x)] + bank_size * bank_index);
            }
    };
    if (!hw.map) {
        const auto [tw, th] = frame_tiles(hw, options, width, height);
        const int across = tiles_across(width) / tw;
        const auto positions = sprite_positions(*hw.order, tw, th);
        const std::size_t want =
            std::size_t(across) * (tiles_across(height) / th) * positions.size();
        if (set.tiles.size() != want)
            throw_input_error(origin, "holds " + std::to_string(set.tiles.size()) + " tiles; a " +
                                          std::to_string(width) + "x" + std::to_string(height) +
                                          " sheet takes " + std::to_string(want));
        blank();
        for (std::size_t i = 0; i < set.tiles.size(); ++i) {
            const std::size_t frame = i / positions.size();
            const auto [x, y] = positions[i % positions.size()];
            draw(set.tiles[i], int(frame % std::size_t(across)) * tw + x,
                 int(frame / std::size_t(across)) * th + y, 0);
        }
        return out;
    }
    const int w = tiles_across(width), h = tiles_across(height);
    if (set.map_width < w || set.map_height < h ||
        set.map.size() != std::size_t(set.map_width) * set.map_height)
        throw_input_error(origin, "map of " + std::to_string(set.map.size()) +
                                      " entries does not cover a " + std::to_string(width) + "x" +
                                      std::to_string(height) + " screen");
    blank();
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const MapEntry& e = set.map[map_slot(x, y, set.map_width, options.screen_blocks)];
            if (e.tile < options.tile_offset || e.tile - options.tile_offset >= set.tiles.size())
                throw_input_error(origin, "map entry at tile (" + std::to_string(x) + ", " +
                                              std::to_string(y) + ") names tile " +
                                              std::to_string(e.tile) + ", which is not there");
            if (e.palette < options.palette_bank || int(e.palette - options.palette_bank) >= banks)
                throw_input_error(origin, "map entry at tile (" + std::to_string(x) + ", " +
                                              std::to_string(y) + ") names palette bank " +
                                              std::to_string(e.palette) + ", which is not there");
            draw(flipped(set.tiles[e.tile - options.tile_offset], e.hflip, e.vflip), x, y,
                 e.palette - options.palette_bank);
        }
    return out;
}

} // namespace kpal
