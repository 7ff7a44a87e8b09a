#define BOOST_TEST_MODULE tile_merge
#include "kpal/tile_merge.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

#include <array>
#include <set>

using namespace kpal;

namespace {

// A grey ramp of 16 entries in one bank: entry e shows grey 16 e.
std::vector<Rgb> ramp() {
    std::vector<Rgb> shown;
    for (int e = 0; e < 16; ++e)
        shown.push_back({std::uint8_t(16 * e), std::uint8_t(16 * e), std::uint8_t(16 * e)});
    return shown;
}

using Tile = std::array<std::uint8_t, 64>;

// A picture of 8x8 cells, cell i drawn by tiles[i], as indices and as the ramp's greys.
struct Picture {
    Image image;
    IndexedImage indexed;
};
Picture picture(const std::vector<Tile>& tiles, int across) {
    const int down = int(tiles.size()) / across;
    Picture p{
        test::make_image(
            8 * across, 8 * down,
            [&](int x, int y) {
                const std::uint8_t e =
                    tiles[std::size_t(y / 8 * across + x / 8)][std::size_t(y % 8 * 8 + x % 8)];
                return Rgb{std::uint8_t(16 * e), std::uint8_t(16 * e), std::uint8_t(16 * e)};
            }),
        {8 * across, 8 * down, {}}};
    for (int y = 0; y < 8 * down; ++y)
        for (int x = 0; x < 8 * across; ++x)
            p.indexed.indices.push_back(
                tiles[std::size_t(y / 8 * across + x / 8)][std::size_t(y % 8 * 8 + x % 8)]);
    return p;
}

// The squared error of `indexed` against `image`, computed here from the pixels.
double error(const Image& image, const IndexedImage& indexed, const std::vector<Rgb>& shown) {
    double sum = 0;
    for (std::size_t i = 0; i < image.pixel_count(); ++i) {
        const Rgb a = image.rgb_at(i), b = shown[indexed.indices[i]];
        sum += (a.r - b.r) * (a.r - b.r) + (a.g - b.g) * (a.g - b.g) + (a.b - b.b) * (a.b - b.b);
    }
    return sum;
}

// The distinct 8x8 cells of `indexed` (exact repeats only).
std::size_t distinct_cells(const IndexedImage& indexed) {
    std::set<Tile> seen;
    for (int cy = 0; cy < indexed.height / 8; ++cy)
        for (int cx = 0; cx < indexed.width / 8; ++cx) {
            Tile t{};
            for (int p = 0; p < 64; ++p)
                t[std::size_t(p)] =
                    indexed.indices[std::size_t(8 * cy + p / 8) * std::size_t(indexed.width) +
                                    std::size_t(8 * cx + p % 8)];
            seen.insert(t);
        }
    return seen.size();
}

// Four unlike base tiles (random entries), and for each eight variants that differ from it in
// one pixel by one entry.
std::vector<Tile> families() {
    test::Random rnd(3);
    std::vector<Tile> tiles;
    for (int b = 0; b < 4; ++b) {
        Tile base{};
        for (auto& e : base) e = std::uint8_t(rnd.below(16));
        tiles.push_back(base);
        for (int v = 0; v < 8; ++v) {
            Tile t = base;
            auto& e = t[std::size_t(rnd.below(64))];
            e = std::uint8_t(e == 15 ? 14 : e + 1);
            tiles.push_back(t);
        }
    }
    return tiles;
}

TileMergeOptions budget(std::size_t n, bool flips = false) {
    TileMergeOptions o;
    o.budget = n;
    o.flips = flips;
    return o;
}

} // namespace

BOOST_AUTO_TEST_CASE(a_picture_within_the_budget_is_unchanged) {
    const Picture p = picture(families(), 6);
    const std::vector<bool> usable(16, true);
    const TileMerge m = merge_tiles(p.image, p.indexed, ramp(), usable, {}, budget(36));
    BOOST_TEST(m.tiles_before == 36u);
    BOOST_TEST(m.tiles_after == 36u);
    BOOST_TEST((m.indexed.indices == p.indexed.indices));
    BOOST_TEST(m.error_after == 0);
}

// Near duplicates merge into their family: four tiles are left, each cell drawn by a tile that
// is at most a few pixels from its own, and the reported errors are the picture's.
BOOST_AUTO_TEST_CASE(near_duplicates_merge_into_their_family) {
    const Picture p = picture(families(), 6);
    const std::vector<Rgb> shown = ramp();
    const std::vector<bool> usable(16, true);
    const TileMerge m = merge_tiles(p.image, p.indexed, shown, usable, {}, budget(4));
    BOOST_TEST(m.tiles_before == 36u);
    BOOST_TEST(m.tiles_after <= 4u);
    BOOST_TEST(distinct_cells(m.indexed) == m.tiles_after);
    BOOST_TEST(m.error_after == error(p.image, m.indexed, shown));
    BOOST_TEST(m.error_after >= m.error_before);
    // A family's tiles differ from its base in one pixel by one step (256 apart in squared
    // error a channel): merged within the family, a cell is off by at most two such pixels.
    BOOST_TEST(m.error_after <= 36 * 2 * 3 * 256);
}

// Mirrored tiles are one tile where the map flips, so only the unmirrored count matters; an
// entry that is not usable is never drawn; a transparent pixel keeps index 0.
BOOST_AUTO_TEST_CASE(flips_unusable_entries_and_transparency_are_kept) {
    std::vector<Tile> tiles = families();
    for (std::size_t i = 0; i < 36; i += 9) { // each base also mirrored left to right
        Tile m{};
        for (int px = 0; px < 64; ++px)
            m[std::size_t(px)] = tiles[i][std::size_t(px / 8 * 8 + 7 - px % 8)];
        tiles.push_back(m);
    }
    const Picture p = picture(tiles, 8);
    const std::vector<Rgb> shown = ramp();
    std::vector<bool> usable(16, true);
    BOOST_TEST(merge_tiles(p.image, p.indexed, shown, usable, {}, budget(36, true)).tiles_after ==
               36u);
    BOOST_TEST(merge_tiles(p.image, p.indexed, shown, usable, {}, budget(36)).tiles_after < 40u);

    usable[5] = false; // entry 5 may not be drawn: its pixels go to a neighbour
    std::vector<bool> skip(p.image.pixel_count(), false);
    for (std::size_t i = 0; i < skip.size(); i += 7) skip[i] = true;
    TileMergeOptions o = budget(8, true);
    o.transparent = true;
    Picture q = p;
    for (std::size_t i = 0; i < skip.size(); ++i)
        if (skip[i]) q.indexed.indices[i] = 0;
    const TileMerge m = merge_tiles(q.image, q.indexed, shown, usable, skip, o);
    BOOST_TEST(m.tiles_after <= 8u);
    for (std::size_t i = 0; i < skip.size(); ++i) {
        if (skip[i]) BOOST_TEST(m.indexed.indices[i] == 0);
        BOOST_TEST(m.indexed.indices[i] != 5);
    }
}

// Cells in different banks share tile data: the merged picture keeps each cell in its bank.
BOOST_AUTO_TEST_CASE(each_cell_stays_in_its_bank) {
    Picture p = picture(families(), 6);
    std::vector<Rgb> shown = ramp();
    for (int e = 0; e < 16; ++e) shown.push_back({std::uint8_t(16 * e), 0, 0}); // bank 1: reds
    for (std::size_t i = 0; i < p.image.pixel_count(); ++i)
        if (p.indexed.indices[i] && (i % 48) >= 24) { // the right half in bank 1, red
            p.indexed.indices[i] = std::uint8_t(p.indexed.indices[i] + 16);
            p.image.rgba[4 * i + 1] = p.image.rgba[4 * i + 2] = 0;
        }
    for (std::size_t i = 0; i < p.image.pixel_count(); ++i)
        if (p.indexed.indices[i] == 0 && (i % 48) >= 24) p.indexed.indices[i] = 16;
    const std::vector<bool> usable(32, true);
    const TileMerge m = merge_tiles(p.image, p.indexed, shown, usable, {}, budget(4));
    BOOST_TEST(m.tiles_after <= 4u);
    for (std::size_t i = 0; i < p.image.pixel_count(); ++i)
        BOOST_TEST((m.indexed.indices[i] >= 16) == ((i % 48) >= 24));
    BOOST_TEST(m.error_after == error(p.image, m.indexed, shown));
}

// Past the picture's edge the tile stage pads with entry 0: an edge cell that takes a tile gets
// that tile's entries there too, so the merged picture's padded cells must count as the tiles
// reported (a 44x24 picture: its right column of cells half outside).
BOOST_AUTO_TEST_CASE(cells_past_the_edge_keep_the_padding) {
    const Picture whole = picture(families(), 6); // 48x48
    Picture p;
    p.image = test::make_image(44, 24, [&](int x, int y) {
        return whole.image.rgb_at(std::size_t(y) * 48 + std::size_t(x));
    });
    p.indexed = {44, 24, {}};
    for (int y = 0; y < 24; ++y)
        for (int x = 0; x < 44; ++x)
            p.indexed.indices.push_back(
                whole.indexed.indices[std::size_t(y) * 48 + std::size_t(x)]);
    const std::vector<bool> usable(16, true);
    const TileMerge m = merge_tiles(p.image, p.indexed, ramp(), usable, {}, budget(6));
    BOOST_TEST(m.tiles_after <= 6u);
    IndexedImage padded{48, 24, std::vector<std::uint8_t>(48 * 24, 0)};
    for (int y = 0; y < 24; ++y)
        for (int x = 0; x < 44; ++x)
            padded.indices[std::size_t(y) * 48 + std::size_t(x)] =
                m.indexed.indices[std::size_t(y) * 44 + std::size_t(x)];
    BOOST_TEST(distinct_cells(padded) == m.tiles_after);
}
