#include "kpal/tile_format.h"
#include "table.h"

namespace kpal {
namespace {

// clang-format off
// Tile pixel formats. Planar offsets: plane p of row r at (p / group) * group_stride +
// r * row_stride + (p % group) * plane_stride.
constexpr TileFormat tiles[] = {
    // name        description                                                            bpp planar low  group gstride row plane
    {"gba-4bpp",  "GBA/NDS 4bpp: 32 bytes, two pixels a byte, the left one in the low nibble", 4, false, true,  0, 0,  0, 0},
    {"gba-8bpp",  "GBA/NDS 8bpp: 64 bytes, a byte a pixel",                                  8, false, true,  0, 0,  0, 0},
    {"md-4bpp",   "Mega Drive 4bpp: 32 bytes, two pixels a byte, the left one in the high nibble", 4, false, false, 0, 0, 0, 0},
    {"snes-2bpp", "SNES 2bpp: each row a byte of plane 0 then of plane 1",                   2, true,  false, 2, 16, 2, 1},
    {"snes-4bpp", "SNES/PC Engine 4bpp: planes 0 and 1 interleaved by row, then planes 2 and 3", 4, true, false, 2, 16, 2, 1},
    {"snes-8bpp", "SNES 8bpp: planes 0/1, 2/3, 4/5, 6/7 interleaved by row, 16 bytes a pair", 8, true,  false, 2, 16, 2, 1},
    {"gb-2bpp",   "Game Boy (Color) 2bpp: each row the low plane byte, then the high",       2, true,  false, 2, 16, 2, 1},
    {"sms-4bpp",  "Master System / Game Gear 4bpp: each row four plane bytes",               4, true,  false, 4, 0,  4, 1},
    {"nes-2bpp",  "NES 2bpp: eight bytes of plane 0, then eight of plane 1",                 2, true,  false, 2, 0,  1, 8},
};

// Map-entry formats: fields as {shift, bits}.
constexpr MapFormat maps[] = {
    // name       description
    //                                                                bytes BE     split  tile     high     hflip    vflip    palette  priority  screen   attributes
    {"gba-text", "GBA text BG: u16 LE, tile 0-9, hflip 10, vflip 11, palette 12-15",
                                                                      2,   false, false, {0, 10}, {},      {10, 1}, {11, 1}, {12, 4}, {},       0, 0,   false},
    {"snes",     "SNES BG: u16 LE, tile 0-9, palette 10-12, priority 13, hflip 14, vflip 15",
                                                                      2,   false, false, {0, 10}, {},      {14, 1}, {15, 1}, {10, 3}, {13, 1},  0, 0,   false},
    {"md",       "Mega Drive plane: u16 BE, tile 0-10, hflip 11, vflip 12, palette 13-14, priority 15",
                                                                      2,   true,  false, {0, 11}, {},      {11, 1}, {12, 1}, {13, 2}, {15, 1},  0, 0,   false},
    {"gb",       "Game Boy BG map: u8 tile number",                   1,   false, false, {0, 8},  {},      {},      {},      {},      {},       0, 0,   false},
    {"gbc",      "Game Boy Color BG: u8 tile map, then u8 attribute map (palette 0-2, bank 3, hflip 5, vflip 6, priority 7)",
                                                                      2,   false, true,  {0, 8},  {11, 1}, {13, 1}, {14, 1}, {8, 3},  {15, 1},  0, 0,   false},
    {"sms",      "Master System / Game Gear name table: u16 LE, tile 0-8, hflip 9, vflip 10, palette 11, priority 12",
                                                                      2,   false, false, {0, 9},  {},      {9, 1},  {10, 1}, {11, 1}, {12, 1},  0, 0,   false},
    {"pce",      "PC Engine BAT: u16 LE, tile 0-11, palette 12-15",  2,   false, false, {0, 12}, {},      {},      {},      {12, 4}, {},       0, 0,   false},
    {"nes",      "NES nametable: 32x30 u8 tile numbers, then the 64-byte attribute table (a 2-bit palette a 16x16 area)",
                                                                      1,   false, false, {0, 8},  {},      {},      {},      {8, 2},  {},       32, 30, true},
};
// clang-format on

std::uint32_t put(Field f, unsigned value) {
    return f.bits ? (std::uint32_t(value) & f.max()) << f.shift : 0;
}

unsigned get(Field f, std::uint32_t word) {
    return f.bits ? (word >> f.shift) & f.max() : 0;
}

// The byte and bit where pixel x of row y, plane p, is stored in a planar tile.
std::size_t plane_byte(const TileFormat& f, int y, int p) {
    return std::size_t((p / f.group) * f.group_stride + y * f.row_stride +
                       (p % f.group) * f.plane_stride);
}

// The byte and shift of pixel (x, y) in a packed tile.
std::size_t packed_byte(const TileFormat& f, int x, int y) {
    return std::size_t(y * f.bpp + x * f.bpp / 8);
}
int packed_shift(const TileFormat& f, int x) {
    const int per_byte = 8 / f.bpp, slot = x % per_byte;
    return f.bpp * (f.left_in_low_bits ? slot : per_byte - 1 - slot);
}

} // namespace

std::span<const TileFormat> tile_formats() {
    return tiles;
}

const TileFormat* find_tile_format(std::string_view name) {
    return find_row<TileFormat>(tiles, name);
}

void encode_tile(const TileFormat& f, const Tile& tile, std::vector<std::uint8_t>& out) {
    const std::size_t base = out.size();
    out.resize(base + std::size_t(f.bytes()), 0);
    const unsigned mask = (1u << f.bpp) - 1u;
    for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 8; ++x) {
            const unsigned v = tile[std::size_t(8 * y + x)] & mask;
            if (f.planar) {
                for (int p = 0; p < f.bpp; ++p)
                    out[base + plane_byte(f, y, p)] |= std::uint8_t(((v >> p) & 1u) << (7 - x));
            } else {
                out[base + packed_byte(f, x, y)] |= std::uint8_t(v << packed_shift(f, x));
            }
        }
}

Tile decode_tile(const TileFormat& f, std::span<const std::uint8_t> bytes) {
    Tile tile{};
    const unsigned mask = (1u << f.bpp) - 1u;
    for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 8; ++x) {
            unsigned v = 0;
            if (f.planar) {
                for (int p = 0; p < f.bpp; ++p)
                    v |= ((bytes[plane_byte(f, y, p)] >> (7 - x)) & 1u) << p;
            } else {
                v = (bytes[packed_byte(f, x, y)] >> packed_shift(f, x)) & mask;
            }
            tile[std::size_t(8 * y + x)] = std::uint8_t(v);
        }
    return tile;
}

std::span<const MapFormat> map_formats() {
    return maps;
}

const MapFormat* find_map_format(std::string_view name) {
    return find_row<MapFormat>(maps, name);
}

std::uint32_t encode_entry(const MapFormat& f, const MapEntry& e) {
    return put(f.tile, e.tile) | put(f.tile_high, e.tile >> f.tile.bits) | put(f.hflip, e.hflip) |
           put(f.vflip, e.vflip) | put(f.palette, e.palette);
}

MapEntry decode_entry(const MapFormat& f, std::uint32_t word) {
    return {get(f.tile, word) | get(f.tile_high, word) << f.tile.bits, get(f.hflip, word) != 0,
            get(f.vflip, word) != 0, get(f.palette, word)};
}

namespace {

constexpr MapPiece whole_map[] = {{"map", ".map"}};
constexpr MapPiece map_and_attributes[] = {{"map", ".map"}, {"attr", ".attr"}};

// The attribute table's byte and shift for map position (x, y) (attribute_table formats).
std::pair<std::size_t, int> attribute_slot(const MapFormat& f, std::size_t x, std::size_t y) {
    const std::size_t bytes_across = (std::size_t(f.screen_width) + 3) / 4;
    return {(y / 4) * bytes_across + x / 4, int((y / 2) % 2 * 4 + (x / 2) % 2 * 2)};
}

std::size_t attribute_bytes(const MapFormat& f) {
    if (!f.attribute_table) return 0;
    return (std::size_t(f.screen_width) + 3) / 4 * ((std::size_t(f.screen_height) + 3) / 4);
}

} // namespace

std::size_t map_byte_size(const MapFormat& f, std::size_t entries) {
    return entries * std::size_t(f.entry_bytes) + attribute_bytes(f);
}

std::vector<std::uint8_t> encode_map(const MapFormat& f, std::span<const MapEntry> entries) {
    const std::size_t n = entries.size();
    std::vector<std::uint8_t> out(map_byte_size(f, n));
    if (f.attribute_table) // each area's palette is its top-left entry's
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t x = i % std::size_t(f.screen_width),
                              y = i / std::size_t(f.screen_width);
            const auto [at, shift] = attribute_slot(f, x, y);
            if (x % 2 == 0 && y % 2 == 0)
                out[n + at] |= std::uint8_t(get(f.palette, encode_entry(f, entries[i])) << shift);
        }
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t w = encode_entry(f, entries[i]);
        if (f.entry_bytes == 1) {
            out[i] = std::uint8_t(w);
        } else if (f.split) {
            out[i] = std::uint8_t(w), out[n + i] = std::uint8_t(w >> 8);
        } else {
            out[2 * i + (f.big_endian ? 1 : 0)] = std::uint8_t(w);
            out[2 * i + (f.big_endian ? 0 : 1)] = std::uint8_t(w >> 8);
        }
    }
    return out;
}

std::vector<MapEntry> decode_map(const MapFormat& f, std::span<const std::uint8_t> bytes) {
    if (bytes.size() < attribute_bytes(f)) return {};
    const std::size_t n = (bytes.size() - attribute_bytes(f)) / std::size_t(f.entry_bytes);
    std::vector<MapEntry> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::uint32_t w;
        if (f.entry_bytes == 1)
            w = bytes[i];
        else if (f.split)
            w = bytes[i] | std::uint32_t(bytes[n + i]) << 8;
        else
            w = f.big_endian ? std::uint32_t(bytes[2 * i]) << 8 | bytes[2 * i + 1]
                             : bytes[2 * i] | std::uint32_t(bytes[2 * i + 1]) << 8;
        if (f.attribute_table) {
            const auto [at, shift] =
                attribute_slot(f, i % std::size_t(f.screen_width), i / std::size_t(f.screen_width));
            w |= put(f.palette, (bytes[n + at] >> shift) & f.palette.max());
        }
        out.push_back(decode_entry(f, w));
    }
    return out;
}

std::span<const MapPiece> map_pieces(const MapFormat& format) {
    if (format.split) return map_and_attributes;
    return whole_map;
}

std::vector<std::span<const std::uint8_t>> split_map(const MapFormat& format,
                                                     std::span<const std::uint8_t> map) {
    if (!format.split) return {map};
    return {map.first(map.size() / 2), map.subspan(map.size() / 2)};
}

} // namespace kpal
