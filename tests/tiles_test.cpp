#define BOOST_TEST_MODULE tiles
#include "kpal/error.h"
#include "kpal/target.h"
#include "kpal/tiles.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <set>

using namespace kpal;

namespace {

// A mirror as the hardware documents it, written apart from src/tiles.cpp's index arithmetic:
// a horizontal flip reverses each row, a vertical flip the order of the rows.
Tile mirrored(Tile t, bool h, bool v) {
    for (auto row = t.begin(); h && row != t.end(); row += 8) std::reverse(row, row + 8);
    if (v)
        for (int y = 0; y < 4; ++y)
            std::swap_ranges(t.begin() + 8 * y, t.begin() + 8 * y + 8, t.begin() + 8 * (7 - y));
    return t;
}

// A picture of w x h tiles built from `n` distinct random tiles, each cell one of them with
// known flips: cell i takes tile (i * 7) % n, flipped by (i % 4).
struct Synthetic {
    int w, h, n;
    std::vector<Tile> distinct;
    IndexedImage image;
    std::vector<int> which;
    std::vector<std::pair<bool, bool>> flips;
};

Synthetic synthetic(int w, int h, int n, int bpp) {
    Synthetic s{w,  h, n, {}, {8 * w, 8 * h, std::vector<std::uint8_t>(std::size_t(64 * w * h))},
                {}, {}};
    std::mt19937 random(3);
    for (int k = 0; k < n; ++k) {
        Tile t;
        for (auto& v : t) v = std::uint8_t(random() % (1u << bpp));
        s.distinct.push_back(t);
    }
    for (int i = 0; i < w * h; ++i) {
        s.which.push_back((i * 7) % n);
        s.flips.emplace_back(i % 4 == 1 || i % 4 == 3, i % 4 >= 2);
        const Tile t = mirrored(s.distinct[std::size_t(s.which.back())], s.flips.back().first,
                                s.flips.back().second);
        const int tx = i % w, ty = i / w;
        for (int y = 0; y < 8; ++y)
            for (int x = 0; x < 8; ++x)
                s.image.indices[std::size_t(8 * ty + y) * s.image.width + 8 * tx + x] =
                    t[std::size_t(8 * y + x)];
    }
    return s;
}

TileHardware hardware(const std::string& target) {
    return *load_target(target).tiles;
}

} // namespace

// The mirror on a tile worked by hand: one pixel at column 1, row 2 goes to column 6 (h), to row
// 5 (v), or both.
BOOST_AUTO_TEST_CASE(the_mirror_moves_a_pixel_where_the_hardware_shows_it) {
    Tile t{};
    t[2 * 8 + 1] = 9;
    BOOST_TEST(mirrored(t, true, false)[2 * 8 + 6] == 9);
    BOOST_TEST(mirrored(t, false, true)[5 * 8 + 1] == 9);
    BOOST_TEST(mirrored(t, true, true)[5 * 8 + 6] == 9);
    BOOST_TEST((mirrored(mirrored(t, true, true), true, true) == t));
    // The library's, on a random tile, agrees with this one both ways.
    std::mt19937 random(5);
    for (std::uint8_t& v : t) v = std::uint8_t(random() % 16);
    for (const bool h : {false, true})
        for (const bool v : {false, true})
            BOOST_TEST((kpal::flipped(t, h, v) == mirrored(t, h, v)));
}

// n distinct tiles, each repeated and flipped: exactly n tiles, and every entry's flip bits are
// the cell's flips relative to the first cell that showed its tile.
BOOST_AUTO_TEST_CASE(repeated_and_flipped_tiles_are_found) {
    const Synthetic s = synthetic(12, 10, 17, 4);
    for (const char* target : {"gba-bg-4bpp", "snes-bg-4bpp", "md-bg", "sms-bg"}) {
        BOOST_TEST_CONTEXT(target) {
            const TileHardware hw = hardware(target);
            const TileSet set = make_tiles(s.image, hw, {}, "synthetic");
            BOOST_TEST(set.tiles.size() == std::size_t(s.n));
            std::map<int, std::pair<unsigned, std::pair<bool, bool>>> first; // tile k: index, flips
            for (int i = 0; i < s.w * s.h; ++i) {
                const MapEntry& e = set.map[std::size_t(i)];
                const int k = s.which[std::size_t(i)];
                const auto f = s.flips[std::size_t(i)];
                if (!first.count(k)) first[k] = {unsigned(first.size()), f};
                const auto [index, f0] = first[k];
                BOOST_TEST_REQUIRE(e.tile == index, "cell " << i);
                BOOST_TEST_REQUIRE(e.hflip == (f0.first != f.first), "cell " << i);
                BOOST_TEST_REQUIRE(e.vflip == (f0.second != f.second), "cell " << i);
            }
            // And the tiles with the map give the picture back.
            const IndexedImage back =
                draw_tiles(set, hw, {}, s.image.width, s.image.height, 16, 1, "synthetic");
            BOOST_TEST((back.indices == s.image.indices));
        }
    }
}

// Without flips (--no-flip, or a map with no flip bits) each flipped form is a tile of its own;
// without dedup every cell is.
BOOST_AUTO_TEST_CASE(no_flip_no_dedup_and_maps_without_flip_bits_keep_more_tiles) {
    const Synthetic s = synthetic(12, 10, 17, 4);
    std::set<std::pair<int, int>> forms; // (tile, flips) pairs that occur
    for (int i = 0; i < s.w * s.h; ++i)
        forms.insert({s.which[std::size_t(i)],
                      s.flips[std::size_t(i)].first + 2 * s.flips[std::size_t(i)].second});
    TileOptions no_flip;
    no_flip.flips = false;
    const TileSet a = make_tiles(s.image, hardware("gba-bg-4bpp"), no_flip, "synthetic");
    BOOST_TEST(a.tiles.size() == forms.size());
    for (const MapEntry& e : a.map) BOOST_TEST_REQUIRE((!e.hflip && !e.vflip));
    const TileSet pce = make_tiles(s.image, hardware("pce-bg"), {}, "synthetic");
    BOOST_TEST(pce.tiles.size() == forms.size());
    TileOptions no_dedup;
    no_dedup.dedup = false;
    const TileSet all = make_tiles(s.image, hardware("gba-bg-4bpp"), no_dedup, "synthetic");
    BOOST_TEST(all.tiles.size() == std::size_t(s.w * s.h));
    for (std::size_t i = 0; i < all.map.size(); ++i) BOOST_TEST_REQUIRE(all.map[i].tile == i);
}

BOOST_AUTO_TEST_CASE(offsets_and_banks_are_carried_by_every_entry) {
    const Synthetic s = synthetic(4, 3, 5, 4);
    TileOptions o;
    o.tile_offset = 100;
    o.palette_bank = 3;
    const TileSet set = make_tiles(s.image, hardware("gba-bg-4bpp"), o, "synthetic");
    for (const MapEntry& e : set.map) {
        BOOST_TEST_REQUIRE((e.tile >= 100 && e.tile < 105));
        BOOST_TEST_REQUIRE(e.palette == 3u);
    }
    o.palette_bank = 16;
    BOOST_CHECK_THROW(make_tiles(s.image, hardware("gba-bg-4bpp"), o, "x"), Error);
}

// Past the target's limit (the map's tile field, or the profile's max_tiles): an input error
// with the count, the limit and what to do.
BOOST_AUTO_TEST_CASE(too_many_tiles_is_an_input_error_saying_what_to_do) {
    const Synthetic s = synthetic(30, 20, 460, 4); // 460 distinct tiles; SMS holds 448
    try {
        make_tiles(s.image, hardware("sms-bg"), {}, "big.png");
        BOOST_FAIL("no error");
    } catch (const Error& e) {
        BOOST_TEST((e.kind() == ErrorKind::input));
        BOOST_TEST(
            std::string(e.what()).starts_with("big.png: 460 tiles do not fit the target's 448"),
            e.what());
    }
    BOOST_TEST(make_tiles(s.image, hardware("md-bg"), {}, "big.png").tiles.size() == 460u);
    TileOptions o;
    o.tile_offset = 2048 - 459;
    BOOST_CHECK_THROW(make_tiles(s.image, hardware("md-bg"), o, "big.png"), Error);
}

// 32x32 screen blocks: a 40x36-tile map becomes 2x2 blocks, each position in its block, the
// margins a blank tile.
BOOST_AUTO_TEST_CASE(screen_blocks_place_each_entry_in_its_block) {
    const Synthetic s = synthetic(40, 36, 50, 4);
    const TileHardware hw = hardware("gba-bg-4bpp");
    const TileSet rows = make_tiles(s.image, hw, {}, "s");
    TileOptions o;
    o.screen_blocks = true;
    const TileSet blocks = make_tiles(s.image, hw, o, "s");
    BOOST_TEST(blocks.map.size() == 4u * 1024);
    BOOST_TEST((blocks.map_width == 64 && blocks.map_height == 64));
    for (int y = 0; y < 36; ++y)
        for (int x = 0; x < 40; ++x) {
            const std::size_t slot = std::size_t((y / 32) * 2 + x / 32) * 1024 +
                                     std::size_t(y % 32) * 32 + std::size_t(x % 32);
            BOOST_TEST_REQUIRE((blocks.map[slot] == rows.map[std::size_t(y) * 40 + x]));
        }
    const MapEntry margin = blocks.map[std::size_t(1024 + 31)]; // block 1, row 0, column 63
    BOOST_TEST((blocks.tiles[margin.tile] == Tile{}));
    BOOST_TEST(blocks.tiles.size() == rows.tiles.size() + 1); // the picture had no blank tile
    BOOST_TEST((draw_tiles(blocks, hw, o, s.image.width, s.image.height, 16, 1, "s").indices ==
                s.image.indices));
}

// The NES map is always a whole 32x30 nametable: a smaller picture at its top left, the rest a
// blank tile; a larger one is an input error naming the screen.
BOOST_AUTO_TEST_CASE(the_nes_map_is_a_whole_screen) {
    const Synthetic s = synthetic(10, 6, 20, 2);
    const TileHardware hw = hardware("nes-bg");
    TileOptions o;
    o.palette_bank = 2;
    const TileSet set = make_tiles(s.image, hw, o, "s");
    BOOST_TEST((set.map_width == 32 && set.map_height == 30));
    BOOST_TEST(set.tiles.size() == 21u); // 20 and the blank one (no flips on the NES)
    for (int y = 0; y < 30; ++y)
        for (int x = 0; x < 32; ++x) {
            const MapEntry& e = set.map[std::size_t(y) * 32 + x];
            BOOST_TEST_REQUIRE(e.palette == 2u);
            if (x >= 10 || y >= 6) BOOST_TEST_REQUIRE((set.tiles[e.tile] == Tile{}));
        }
    BOOST_TEST((draw_tiles(set, hw, o, s.image.width, s.image.height, 4, 1, "s").indices ==
                s.image.indices));
    const Synthetic big = synthetic(33, 2, 5, 2);
    try {
        make_tiles(big.image, hw, {}, "wide.png");
        BOOST_FAIL("no error");
    } catch (const Error& e) {
        BOOST_TEST((e.kind() == ErrorKind::input));
        BOOST_TEST(std::string(e.what()) ==
                       "wide.png: is 264x16, larger than the 256x240 screen the map holds: use "
                       "--resize, or crop it",
                   e.what());
    }
}

// Sprites: frames in reading order, each frame's tiles in the target's order.
BOOST_AUTO_TEST_CASE(sprite_frames_follow_the_hardware_order) {
    const Synthetic s = synthetic(4, 4, 16 * 3, 4); // 32x32: four 16x16 frames, no repeats
    const auto cell = [&](int tx, int ty) {
        return s.distinct[std::size_t((ty * 4 + tx) * 7 % s.n)];
    };
    TileOptions o;
    o.frame = {16, 16};
    const std::map<std::string, std::vector<std::pair<int, int>>> order = {
        {"gba-obj-4bpp", {{0, 0}, {1, 0}, {0, 1}, {1, 1}}}, // rows
        {"md-sprite", {{0, 0}, {0, 1}, {1, 0}, {1, 1}}},    // columns
    };
    for (const auto& [target, positions] : order) {
        BOOST_TEST_CONTEXT(target) {
            const TileHardware hw = hardware(target);
            const TileSet set = make_tiles(s.image, hw, o, "sheet");
            BOOST_TEST((set.frames == 4 && set.frame_tiles == 4));
            BOOST_TEST_REQUIRE(set.tiles.size() == 16u);
            for (int f = 0; f < 4; ++f)
                for (int i = 0; i < 4; ++i) {
                    const auto [x, y] = positions[std::size_t(i)];
                    const int tx = (f % 2) * 2 + x, ty = (f / 2) * 2 + y;
                    const auto flip = s.flips[std::size_t(ty * 4 + tx)];
                    BOOST_TEST_REQUIRE((set.tiles[std::size_t(4 * f + i)] ==
                                        mirrored(cell(tx, ty), flip.first, flip.second)));
                }
            BOOST_TEST((draw_tiles(set, hw, o, 32, 32, 16, 1, "sheet").indices == s.image.indices));
        }
    }
    // 8x16 pairs: the top tile, then the one below it.
    const SpriteOrder& pairs = *find_sprite_order("rows-8x16");
    TileHardware hw = hardware("gba-obj-4bpp");
    hw.order = &pairs;
    const TileSet set = make_tiles(s.image, hw, o, "sheet");
    BOOST_TEST((set.tiles[1] == mirrored(cell(0, 1), s.flips[4].first, s.flips[4].second)));
    BOOST_TEST((set.tiles[2] == mirrored(cell(1, 0), s.flips[1].first, s.flips[1].second)));
    o.frame = {24, 16};
    BOOST_CHECK_THROW(make_tiles(s.image, hw, o, "sheet"), Error); // 32 is not whole 24s
}
