// The bytes of tile hardware: one row of a table per tile pixel format (how an 8x8 tile's
// indices become bytes) and per map-entry format (where a map entry's fields sit), after the
// consoles' documentation. No format is special-cased outside its row.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace kpal {

// One 8x8 tile: an index a pixel, row-major.
using Tile = std::array<std::uint8_t, 64>;

// How a tile's indices are stored. Packed: each row's pixels side by side in bytes, the left one
// in the low bits (GBA) or the high bits (Mega Drive). Planar: each row is `bpp` bytes, one bit
// plane each, the left pixel in bit 7; plane p of row r is at byte
// (p / group) * group_stride + r * row_stride + (p % group) * plane_stride.
struct TileFormat {
    std::string_view name;
    std::string_view description;
    int bpp;
    bool planar;
    bool left_in_low_bits;                             // packed only
    int group, group_stride, row_stride, plane_stride; // planar only
    int bytes() const { return 8 * bpp; }
};

// Every tile format in a stable order, and the one called `name` (nullptr when there is none).
std::span<const TileFormat> tile_formats();
const TileFormat* find_tile_format(std::string_view name);

// Appends the bytes of `tile` (indices below 2^bpp) to `out`.
void encode_tile(const TileFormat& format, const Tile& tile, std::vector<std::uint8_t>& out);
// Reverses encode_tile: `bytes` holds format.bytes() bytes.
Tile decode_tile(const TileFormat& format, std::span<const std::uint8_t> bytes);

// A field of a map entry: `bits` bits from bit `shift` (bits 0: the format has no such field).
struct Field {
    int shift = 0, bits = 0;
    unsigned max() const { return bits ? (1u << bits) - 1u : 0u; }
};

// One map entry as the tile stage makes it.
struct MapEntry {
    unsigned tile = 0; // in video memory, --tile-offset included
    bool hflip = false, vflip = false;
    unsigned palette = 0; // the palette bank
    bool operator==(const MapEntry&) const = default;
};

// A map-entry format: entries of 1 or 2 bytes, either byte order, with the fields where the
// hardware reads them. `tile_high` takes the tile number's bits above `tile` (GBC: the VRAM bank
// of tiles 256..511). With `split`, a 2-byte entry's low byte goes to the map and its high byte to
// a second map of the same size (GBC's attribute map in VRAM bank 1). A map with a `screen` has
// that size in entries whatever the picture's size (the picture at its top left), and with
// `attribute_table` its entries' palette fields are stored after the map, 2 bits for each area of
// 2x2 entries, one byte for each 4x4 (the top-left area in bits 0-1, top-right 2-3, bottom-left
// 4-5, bottom-right 6-7), the bytes row-major: the NES's nametable and attribute table.
struct MapFormat {
    std::string_view name;
    std::string_view description;
    int entry_bytes;
    bool big_endian;
    bool split;
    Field tile, tile_high, hflip, vflip, palette, priority;
    int screen_width, screen_height; // in entries; 0: the picture's size
    bool attribute_table;
    unsigned max_tiles() const { return 1u << (tile.bits + tile_high.bits); }
    bool has_flips() const { return hflip.bits && vflip.bits; }
    // The side in pixels of the square that one palette field serves: a tile, or an attribute
    // table's area of 2x2 entries.
    int palette_cell() const { return attribute_table ? 16 : 8; }
};

// Every map format in a stable order, and the one called `name` (nullptr when there is none).
std::span<const MapFormat> map_formats();
const MapFormat* find_map_format(std::string_view name);

// The entry's word (its fields in place); entry.tile must be below max_tiles() and
// entry.palette fit its field.
std::uint32_t encode_entry(const MapFormat& format, const MapEntry& entry);
MapEntry decode_entry(const MapFormat& format, std::uint32_t word);

// A piece of a map's bytes as it is written and read: the map (".map"), and for a split format
// (the Game Boy Color) its attribute map (".attr") in a file of its own.
struct MapPiece {
    std::string_view name; // also the option that names its file in `kpal preview`
    std::string_view suffix;
};

// The pieces of `format`'s map, in the order of its bytes.
std::span<const MapPiece> map_pieces(const MapFormat& format);

// `map` (encode_map's bytes) cut into those pieces: a split map's two halves, else the whole.
std::vector<std::span<const std::uint8_t>> split_map(const MapFormat& format,
                                                     std::span<const std::uint8_t> map);

// The map's bytes: one word an entry, stored in the format's byte order; with `split`, the low
// bytes of every entry, then the high bytes (the attribute map); with `attribute_table`, the
// entries' low bytes, then the attribute table. An attribute_table format's map is its screen.
std::vector<std::uint8_t> encode_map(const MapFormat& format, std::span<const MapEntry> entries);
// The bytes encode_map makes of `entries` entries.
std::size_t map_byte_size(const MapFormat& format, std::size_t entries);
// Reverses encode_map; `bytes` must be map_byte_size of whole entries.
std::vector<MapEntry> decode_map(const MapFormat& format, std::span<const std::uint8_t> bytes);

} // namespace kpal
