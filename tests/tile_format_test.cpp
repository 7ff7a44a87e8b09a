#define BOOST_TEST_MODULE tile_format
#include "kpal/tile_format.h"

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <string>

using namespace kpal;

namespace {

// Pixel (x, y) of a tile, read as each console's documentation describes its bytes, not through
// kpal's table: GBATEK (GBA), the Sega Genesis manual (MD), the SNES development manual and
// fullsnes (SNES, PC Engine alike), Pan Docs (Game Boy), Charles MacDonald's VDP notes (SMS/GG),
// the NESdev wiki "PPU pattern tables" (NES).
using Reader = std::function<unsigned(const std::vector<std::uint8_t>&, int, int)>;

unsigned bit(std::uint8_t byte, int x) {
    return (byte >> (7 - x)) & 1u;
}

const std::map<std::string, Reader> documented = {
    {"gba-4bpp",
     [](const auto& b, int x, int y) {
         const std::uint8_t v = b[std::size_t(4 * y + x / 2)];
         return unsigned(x % 2 ? v >> 4 : v & 15);
     }},
    {"gba-8bpp", [](const auto& b, int x, int y) { return unsigned(b[std::size_t(8 * y + x)]); }},
    {"md-4bpp",
     [](const auto& b, int x, int y) {
         const std::uint8_t v = b[std::size_t(4 * y + x / 2)];
         return unsigned(x % 2 ? v & 15 : v >> 4);
     }},
    {"snes-2bpp",
     [](const auto& b, int x, int y) {
         return bit(b[std::size_t(2 * y)], x) | bit(b[std::size_t(2 * y + 1)], x) << 1;
     }},
    {"gb-2bpp",
     [](const auto& b, int x, int y) {
         return bit(b[std::size_t(2 * y)], x) | bit(b[std::size_t(2 * y + 1)], x) << 1;
     }},
    {"snes-4bpp",
     [](const auto& b, int x, int y) {
         return bit(b[std::size_t(2 * y)], x) | bit(b[std::size_t(2 * y + 1)], x) << 1 |
                bit(b[std::size_t(16 + 2 * y)], x) << 2 | bit(b[std::size_t(17 + 2 * y)], x) << 3;
     }},
    {"snes-8bpp",
     [](const auto& b, int x, int y) {
         unsigned v = 0;
         for (int pair = 0; pair < 4; ++pair)
             v |= (bit(b[std::size_t(16 * pair + 2 * y)], x) |
                   bit(b[std::size_t(16 * pair + 2 * y + 1)], x) << 1)
                  << (2 * pair);
         return v;
     }},
    {"sms-4bpp",
     [](const auto& b, int x, int y) {
         unsigned v = 0;
         for (int p = 0; p < 4; ++p) v |= bit(b[std::size_t(4 * y + p)], x) << p;
         return v;
     }},
    {"nes-2bpp",
     [](const auto& b, int x, int y) {
         return bit(b[std::size_t(y)], x) | bit(b[std::size_t(8 + y)], x) << 1;
     }},
};

// A map entry's fields as the documentation lays out its bits (tile, hflip, vflip, palette),
// from the entry's word (the bytes already put together in the format's byte order).
struct Documented {
    int entry_bytes;
    bool big_endian;
    std::function<MapEntry(std::uint32_t)> read;
};
const std::map<std::string, Documented> documented_maps = {
    {"gba-text",
     {2, false,
      [](std::uint32_t w) {
          return MapEntry{w & 0x3ff, (w >> 10 & 1) != 0, (w >> 11 & 1) != 0, w >> 12};
      }}},
    {"snes",
     {2, false,
      [](std::uint32_t w) {
          return MapEntry{w & 0x3ff, (w >> 14 & 1) != 0, (w >> 15 & 1) != 0, w >> 10 & 7};
      }}},
    {"md",
     {2, true,
      [](std::uint32_t w) {
          return MapEntry{w & 0x7ff, (w >> 11 & 1) != 0, (w >> 12 & 1) != 0, w >> 13 & 3};
      }}},
    {"gb",
     {1, false,
      [](std::uint32_t w) {
          return MapEntry{w & 0xff, false, false, 0};
      }}},
    // GBC: the low byte is the tile map's, the high byte the attribute map's.
    {"gbc",
     {2, false,
      [](std::uint32_t w) {
          const std::uint32_t attr = w >> 8;
          return MapEntry{(w & 0xff) | (attr >> 3 & 1) << 8, (attr >> 5 & 1) != 0,
                          (attr >> 6 & 1) != 0, attr & 7};
      }}},
    {"sms",
     {2, false,
      [](std::uint32_t w) {
          return MapEntry{w & 0x1ff, (w >> 9 & 1) != 0, (w >> 10 & 1) != 0, w >> 11 & 1};
      }}},
    {"pce",
     {2, false,
      [](std::uint32_t w) {
          return MapEntry{w & 0xfff, false, false, w >> 12};
      }}},
    // NES: the nametable byte is the tile; the palette is in the attribute table (below).
    {"nes",
     {1, false,
      [](std::uint32_t w) {
          return MapEntry{w & 0xff, false, false, 0};
      }}},
};

// The NES palette of nametable entry (x, y), read as the NESdev wiki's "PPU attribute tables"
// says: the byte at 0x3C0 + (y / 4) * 8 + x / 4 of the 1 KiB nametable, its bits
// ((y & 2) << 1 | (x & 2)) and the one above.
unsigned nes_attribute(const std::vector<std::uint8_t>& nametable, unsigned x, unsigned y) {
    const std::uint8_t byte = nametable[0x3c0 + (y / 4) * 8 + x / 4];
    return (byte >> ((y & 2) << 1 | (x & 2))) & 3u;
}

} // namespace

BOOST_AUTO_TEST_CASE(every_tile_format_has_a_documented_reader) {
    for (const TileFormat& f : tile_formats())
        BOOST_TEST(documented.count(std::string(f.name)), f.name);
}

// Random tiles: encoding gives bytes the documented reader reads back as the tile, and decoding
// random bytes gives what the documented reader reads.
BOOST_AUTO_TEST_CASE(tiles_encode_and_decode_as_the_hardware_documents) {
    std::mt19937 random(7);
    for (const TileFormat& f : tile_formats()) {
        BOOST_TEST_CONTEXT(f.name) {
            const Reader& read = documented.at(std::string(f.name));
            for (int trial = 0; trial < 50; ++trial) {
                Tile tile;
                for (auto& v : tile) v = std::uint8_t(random() % (1u << f.bpp));
                std::vector<std::uint8_t> bytes;
                encode_tile(f, tile, bytes);
                BOOST_TEST_REQUIRE(bytes.size() == std::size_t(f.bytes()));
                for (int y = 0; y < 8; ++y)
                    for (int x = 0; x < 8; ++x)
                        BOOST_TEST_REQUIRE(read(bytes, x, y) == tile[std::size_t(8 * y + x)]);
                BOOST_TEST((decode_tile(f, bytes) == tile));

                for (auto& b : bytes) b = std::uint8_t(random());
                const Tile decoded = decode_tile(f, bytes);
                for (int y = 0; y < 8; ++y)
                    for (int x = 0; x < 8; ++x)
                        BOOST_TEST_REQUIRE(read(bytes, x, y) == decoded[std::size_t(8 * y + x)]);
            }
        }
    }
}

// Random entries within each format's fields: the map's bytes, put together as the
// documentation says, hold the entries; decoding gives them back.
BOOST_AUTO_TEST_CASE(map_entries_sit_where_the_hardware_documents) {
    std::mt19937 random(11);
    for (const MapFormat& f : map_formats()) {
        BOOST_TEST_CONTEXT(f.name) {
            const Documented& doc = documented_maps.at(std::string(f.name));
            BOOST_TEST(doc.entry_bytes == f.entry_bytes);
            if (f.attribute_table) continue; // its own test, below
            std::vector<MapEntry> entries;
            for (int i = 0; i < 200; ++i)
                entries.push_back(
                    {unsigned(random() % f.max_tiles()), f.hflip.bits && random() % 2,
                     f.vflip.bits && random() % 2,
                     f.palette.bits ? unsigned(random() % (f.palette.max() + 1)) : 0});
            const std::vector<std::uint8_t> bytes = encode_map(f, entries);
            BOOST_TEST_REQUIRE(bytes.size() == entries.size() * std::size_t(f.entry_bytes));
            BOOST_TEST(map_byte_size(f, entries.size()) == bytes.size());
            const std::size_t n = entries.size();
            for (std::size_t i = 0; i < n; ++i) {
                std::uint32_t w = 0;
                if (f.entry_bytes == 1)
                    w = bytes[i];
                else if (f.name == "gbc")
                    w = bytes[i] | std::uint32_t(bytes[n + i]) << 8;
                else if (doc.big_endian)
                    w = std::uint32_t(bytes[2 * i]) << 8 | bytes[2 * i + 1];
                else
                    w = bytes[2 * i] | std::uint32_t(bytes[2 * i + 1]) << 8;
                BOOST_TEST_REQUIRE((doc.read(w) == entries[i]), "entry " << i);
            }
            BOOST_TEST((decode_map(f, bytes) == entries));
        }
    }
}

// A whole NES screen of random tiles, with a random palette for each 16x16 area: 960 nametable
// bytes then 64 attribute bytes, read back as the NESdev wiki documents them.
BOOST_AUTO_TEST_CASE(the_nes_nametable_and_attribute_table_are_as_the_ppu_reads_them) {
    const MapFormat& f = *find_map_format("nes");
    std::mt19937 random(5);
    std::vector<unsigned> area(16 * 15);
    for (auto& a : area) a = unsigned(random() % 4);
    std::vector<MapEntry> entries;
    for (unsigned y = 0; y < 30; ++y)
        for (unsigned x = 0; x < 32; ++x)
            entries.push_back({unsigned(random() % 256), false, false, area[(y / 2) * 16 + x / 2]});
    const std::vector<std::uint8_t> bytes = encode_map(f, entries);
    BOOST_TEST_REQUIRE(bytes.size() == 1024u);
    BOOST_TEST(map_byte_size(f, entries.size()) == 1024u);
    for (unsigned y = 0; y < 30; ++y)
        for (unsigned x = 0; x < 32; ++x) {
            const MapEntry& e = entries[y * 32 + x];
            BOOST_TEST_REQUIRE(bytes[y * 32 + x] == e.tile);
            BOOST_TEST_REQUIRE(nes_attribute(bytes, x, y) == e.palette, x << "," << y);
        }
    // The last row of attribute bytes covers rows 28 and 29 only: their lower half is zero.
    for (unsigned b = 0x3f8; b < 0x400; ++b) BOOST_TEST((bytes[b] >> 4) == 0u);
    BOOST_TEST((decode_map(f, bytes) == entries));
}

BOOST_AUTO_TEST_CASE(the_maps_hold_as_many_tiles_as_their_fields) {
    const std::map<std::string, unsigned> tiles = {{"gba-text", 1024}, {"snes", 1024}, {"md", 2048},
                                                   {"gb", 256},        {"gbc", 512},   {"sms", 512},
                                                   {"pce", 4096},      {"nes", 256}};
    for (const MapFormat& f : map_formats())
        BOOST_TEST(f.max_tiles() == tiles.at(std::string(f.name)), f.name);
    BOOST_TEST(!find_map_format("gb")->has_flips());
    BOOST_TEST(!find_map_format("pce")->has_flips());
    BOOST_TEST(!find_map_format("nes")->has_flips());
    BOOST_TEST(find_map_format("gbc")->has_flips());
}

// The Game Boy Color's map is written as two files, the tile map then the attribute map, each
// half of encode_map's bytes; every other map is one piece.
BOOST_AUTO_TEST_CASE(a_split_map_is_written_as_its_two_pieces) {
    const MapFormat& gbc = *find_map_format("gbc");
    const std::vector<MapEntry> entries{{5, true, false, 3}, {7, false, true, 2}};
    const std::vector<std::uint8_t> bytes = encode_map(gbc, entries);
    const auto pieces = split_map(gbc, bytes);
    BOOST_TEST_REQUIRE(map_pieces(gbc).size() == 2u);
    BOOST_TEST(map_pieces(gbc)[1].suffix == ".attr");
    BOOST_TEST_REQUIRE(pieces.size() == 2u);
    BOOST_TEST((std::vector<std::uint8_t>(pieces[0].begin(), pieces[0].end()) ==
                std::vector<std::uint8_t>{5, 7}));
    BOOST_TEST(pieces[1].size() == 2u);
    for (const MapFormat& f : map_formats())
        if (!f.split) BOOST_TEST(split_map(f, bytes).size() == 1u, f.name);
}
