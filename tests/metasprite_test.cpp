#define BOOST_TEST_MODULE metasprite
// Metasprites (--metasprite): the cover against a brute-force search over every set of pieces,
// its rules checked on random frames, its count against the greedy cover on three drawn sheets,
// and the program's data drawn back equal to the plain conversion's picture.
#include "kpal/load.h"
#include "kpal/metasprite.h"
#include "kpal/target.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <set>

namespace fs = std::filesystem;
using kpal::Piece;

namespace {

// The GBA's object sizes, in tiles.
std::vector<std::pair<int, int>> gba_sizes() {
    std::vector<std::pair<int, int>> out;
    const kpal::Target gba = kpal::load_target("gba-obj-4bpp");
    for (const auto& [w, h] : gba.tiles->sprite_sizes) out.emplace_back(w / 8, h / 8);
    return out;
}

// Whether `pieces` cover every shown tile once, overlap nowhere, stay inside and each show
// something.
bool valid(const std::vector<Piece>& pieces, const std::vector<bool>& shows, int tw, int th) {
    std::vector<int> count(shows.size(), 0);
    for (const Piece& p : pieces) {
        if (p.x < 0 || p.y < 0 || p.x + p.w > tw || p.y + p.h > th) return false;
        bool any = false;
        for (int y = p.y; y < p.y + p.h; ++y)
            for (int x = p.x; x < p.x + p.w; ++x) {
                ++count[std::size_t(y * tw + x)];
                any = any || shows[std::size_t(y * tw + x)];
            }
        if (!any) return false;
    }
    for (std::size_t i = 0; i < shows.size(); ++i)
        if (count[i] > 1 || (shows[i] && count[i] == 0)) return false;
    return true;
}

// Every piece that may take part: each size at each place, holding a shown tile.
std::vector<Piece> candidates(const std::vector<bool>& shows, int tw, int th,
                              const std::vector<std::pair<int, int>>& sizes) {
    std::vector<Piece> out;
    for (const auto& [w, h] : sizes)
        for (int y = 0; y + h <= th; ++y)
            for (int x = 0; x + w <= tw; ++x) {
                bool any = false;
                for (int yy = y; yy < y + h; ++yy)
                    for (int xx = x; xx < x + w; ++xx)
                        any = any || shows[std::size_t(yy * tw + xx)];
                if (any) out.push_back({x, y, w, h});
            }
    return out;
}

// Whether some `k` of `all` form a valid cover (every combination tried).
bool some_cover_of(std::size_t k, const std::vector<Piece>& all, const std::vector<bool>& shows,
                   int tw, int th, std::vector<Piece>& chosen, std::size_t from = 0) {
    if (chosen.size() == k) return valid(chosen, shows, tw, th);
    for (std::size_t i = from; i < all.size(); ++i) {
        chosen.push_back(all[i]);
        if (some_cover_of(k, all, shows, tw, th, chosen, i + 1)) return true;
        chosen.pop_back();
    }
    return false;
}

// A sheet of one frame drawn by `shows_at(x, y)` on a transparent background, its shown pixels
// in a few colours.
kpal::Image sheet(int w, int h, auto&& shows_at) {
    kpal::Image image{w, h, std::vector<std::uint8_t>(std::size_t(w) * h * 4, 0)};
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            if (shows_at(x, y)) {
                std::uint8_t* p = &image.rgba[(std::size_t(y) * w + x) * 4];
                p[0] = std::uint8_t(60 + 40 * ((x / 5) % 4)),
                p[1] = std::uint8_t(200 - 30 * ((y / 7) % 4));
                p[2] = 90, p[3] = 255;
            }
    return image;
}

} // namespace

// On random frames of up to 4x4 tiles: the cover is valid, and no cover of one piece fewer
// exists among every combination of candidate pieces.
BOOST_AUTO_TEST_CASE(the_cover_takes_the_fewest_pieces) {
    const auto sizes = gba_sizes();
    test::Random random(7);
    int checked = 0;
    for (int trial = 0; trial < 60; ++trial) {
        const int tw = 2 + random.below(3), th = 2 + random.below(3);
        std::vector<bool> shows(std::size_t(tw * th));
        for (std::size_t i = 0; i < shows.size(); ++i) shows[i] = random.below(100) < 45;
        const std::vector<Piece> cover = kpal::cover_frame(shows, tw, th, sizes);
        BOOST_TEST_REQUIRE(valid(cover, shows, tw, th), "trial " << trial);
        BOOST_TEST(cover.size() <= kpal::greedy_cover(shows, tw, th, sizes).size());
        if (cover.empty()) continue;
        std::vector<Piece> chosen;
        BOOST_TEST(!some_cover_of(cover.size() - 1, candidates(shows, tw, th, sizes), shows, tw, th,
                                  chosen),
                   "trial " << trial << ": a cover of " << cover.size() - 1 << " pieces exists");
        ++checked;
    }
    BOOST_TEST(checked > 40);
}

// Larger random frames (up to 8x8 tiles, the GBA's largest object): always a valid cover,
// never worse than the greedy one.
BOOST_AUTO_TEST_CASE(every_piece_shows_something) {
    const auto sizes = gba_sizes();
    test::Random random(11);
    for (int trial = 0; trial < 40; ++trial) {
        const int tw = 3 + random.below(6), th = 3 + random.below(6);
        std::vector<bool> shows(std::size_t(tw * th));
        const int density = 20 + random.below(70);
        for (std::size_t i = 0; i < shows.size(); ++i) shows[i] = random.below(100) < density;
        const std::vector<Piece> cover = kpal::cover_frame(shows, tw, th, sizes);
        BOOST_TEST(valid(cover, shows, tw, th), "trial " << trial);
        BOOST_TEST(cover.size() <= kpal::greedy_cover(shows, tw, th, sizes).size());
    }
}

// The goal, on three drawn sheets: fewer hardware sprites than the greedy cover by the
// largest sizes; the data the program writes draws the same picture as the plain conversion
// into 8x8 sprites (the same palette: the same image and target), and --stats reports both
// counts.
BOOST_AUTO_TEST_CASE(three_sheets_take_fewer_sprites_than_the_greedy_cover) {
    test::ScratchDir dir;
    const std::vector<std::pair<std::string, kpal::Image>> sheets{
        {"ring", sheet(64, 64,
                       [](int x, int y) {
                           const int dx = x - 31, dy = y - 31, r = dx * dx + dy * dy;
                           return r < 30 * 30 && r > 14 * 14;
                       })},
        {"snake",
         sheet(64, 24, [](int x, int y) { return std::abs(y - 12 - 8 * std::sin(x / 6.0)) < 5; })},
        {"knight", sheet(48, 40, [](int x, int y) {
             const int dx = x - 23, dy = y - 7;
             return dx * dx + dy * dy < 64 || (x >= 14 && x < 34 && y >= 16 && y < 36) ||
                    (x >= 34 && y >= 20 && y < 24) || (y >= 36 && (x / 5) % 2 == 1);
         })}};
    int total = 0, greedy = 0;
    for (const auto& [name, image] : sheets) {
        BOOST_TEST_CONTEXT(name) {
            test::write_png(dir / (name + ".png"), image);
            const test::Run r =
                test::run_kpal({"convert", (dir / (name + ".png")).string(), "-t", "gba-obj-4bpp",
                                "--metasprite", "--stats", "-o", (dir / (name + ".h")).string(),
                                "--preview", (dir / (name + "-meta.png")).string(), "-q"});
            BOOST_TEST_REQUIRE(r.status == 0, r.err);
            const std::size_t at = r.out.find("pieces: ");
            BOOST_TEST_REQUIRE(at != std::string::npos, r.out);
            const int pieces = std::stoi(r.out.substr(at + 8));
            const std::size_t g = r.out.find("largest sizes: ");
            const int by_greedy = std::stoi(r.out.substr(g + 15));
            BOOST_TEST_MESSAGE(name << ": " << pieces << " pieces, greedy " << by_greedy);
            BOOST_TEST(pieces < by_greedy);
            total += pieces, greedy += by_greedy;
            test::must(test::quote(KPAL_EXE) + " convert " + test::q(dir / (name + ".png")) +
                       " -t gba-obj-4bpp --frame 8x8 -q -o " + test::q(dir / "plain.h") +
                       " --preview " + test::q(dir / (name + "-plain.png")));
            BOOST_TEST((kpal::load_image((dir / (name + "-meta.png")).string()).rgba ==
                        kpal::load_image((dir / (name + "-plain.png")).string()).rgba));
        }
    }
    BOOST_TEST_MESSAGE("in all: " << total << " pieces, greedy " << greedy);
}

// A frame and its mirror image (an animation turning round) share their tiles: the second
// frame's pieces name the first's with flip bits, and each frame draws as the plain conversion.
BOOST_AUTO_TEST_CASE(mirrored_frames_share_their_tiles) {
    test::ScratchDir dir;
    const auto shows = [](int x, int y) { return x >= 16 && x < 30 + y / 2 && y >= 4; };
    // Two 32x32 frames side by side: the second the first mirrored left to right.
    kpal::Image image =
        sheet(64, 32, [&](int x, int y) { return x < 32 ? shows(x, y) : shows(63 - x, y); });
    for (int y = 0; y < 32; ++y) // the colours mirrored too
        for (int x = 32; x < 64; ++x)
            std::copy_n(&image.rgba[(std::size_t(y) * 64 + std::size_t(63 - x)) * 4], 4,
                        &image.rgba[(std::size_t(y) * 64 + std::size_t(x)) * 4]);
    test::write_png(dir / "turn.png", image);
    for (const char* target : {"gba-obj-4bpp", "md-sprite"}) {
        BOOST_TEST_CONTEXT(target) {
            const test::Run r = test::run_kpal(
                {"convert", (dir / "turn.png").string(), "-t", target, "--metasprite", "--frame",
                 "32x32", "--format", "bin", "-o", (dir / "turn.bin").string(), "--preview",
                 (dir / "turn-meta.png").string(), "-q"});
            BOOST_TEST_REQUIRE(r.status == 0, r.err);
            const std::vector<std::uint8_t> frames = test::read_bytes(dir / "turn.frm");
            const std::vector<std::uint8_t> pieces = test::read_bytes(dir / "turn.pcs");
            BOOST_TEST_REQUIRE(frames.size() == 8u);
            const unsigned first = frames[4] | frames[5] << 8, count = frames[6] | frames[7] << 8;
            BOOST_TEST(count == unsigned(frames[2] | frames[3] << 8)); // as many pieces
            unsigned flipped = 0;
            for (unsigned k = first; k < first + count; ++k) flipped += pieces[8 * k + 7] & 1;
            BOOST_TEST(flipped == count); // every piece of frame 2 is frame 1's, mirrored
            std::set<unsigned> tiles;
            for (std::size_t k = 0; 8 * k < pieces.size(); ++k)
                tiles.insert(pieces[8 * k + 4] | unsigned(pieces[8 * k + 5]) << 8);
            BOOST_TEST(tiles.size() == count); // frame 2 adds no tile
            test::must(test::quote(KPAL_EXE) + " convert " + test::q(dir / "turn.png") + " -t " +
                       target + " --frame 8x8 -q -o " + test::q(dir / "plain.h") + " --preview " +
                       test::q(dir / "turn-plain.png"));
            BOOST_TEST((kpal::load_image((dir / "turn-meta.png").string()).rgba ==
                        kpal::load_image((dir / "turn-plain.png").string()).rgba));
        }
    }
}

BOOST_AUTO_TEST_CASE(metasprites_are_refused_where_they_cannot_be) {
    test::ScratchDir dir;
    test::write_png(dir / "a.png", sheet(16, 16, [](int x, int) { return x > 3; }));
    test::convert_refused((dir / "a.png").string(), dir / "a.h",
                          {"-t", "gba-bg-4bpp", "--metasprite"}, "--metasprite");
    test::convert_refused((dir / "a.png").string(), dir / "a.h",
                          {"-t", "gba-obj-4bpp", "--metasprite", "--compress", "gba-lz77"},
                          "--compress does not go with --metasprite");
    test::convert_refused((dir / "a.png").string(), dir / "a.h",
                          {"-t", "gba-obj-4bpp", "--metasprite", "--frame", "12x16"},
                          "not whole 8x8 tiles");
}
