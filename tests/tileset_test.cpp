#define BOOST_TEST_MODULE tileset
#include "kpal/load.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

#include <set>

// Tilesets across images (--shared-tiles): the screens of a level share one tileset, written
// once with the palette, and each screen's file holds its map. Checked from the outside: the
// tileset against the distinct tiles the previews show, each screen drawn back from the files by
// `kpal preview`, the counts --stats gives.

namespace fs = std::filesystem;
using kpal::Image;

namespace {

const std::vector<std::string> screens{"screen0", "screen1", "screen2", "screen3"};

std::vector<std::string> write_screens(const fs::path& dir) {
    return test::write_level_screens(dir, 4);
}

// The 8x8 tiles of `images` (RGB), each with its three mirror images counted once.
std::size_t distinct_tiles_up_to_flips(const std::vector<Image>& images) {
    std::set<std::string> seen;
    for (const Image& image : images)
        for (int ty = 0; ty < image.height; ty += 8)
            for (int tx = 0; tx < image.width; tx += 8) {
                std::vector<std::string> ways(4);
                for (int way = 0; way < 4; ++way)
                    for (int y = 0; y < 8; ++y)
                        for (int x = 0; x < 8; ++x) {
                            const int sx = tx + (way & 1 ? 7 - x : x),
                                      sy = ty + (way & 2 ? 7 - y : y);
                            const kpal::Rgb c = image.rgb_at(
                                std::size_t(sy) * std::size_t(image.width) + std::size_t(sx));
                            ways[std::size_t(way)] += {char(c.r), char(c.g), char(c.b)};
                        }
                seen.insert(*std::min_element(ways.begin(), ways.end()));
            }
    return seen.size();
}

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
        ++n;
    return n;
}

} // namespace

// The goal of issue #33: a level of four screens shares one tileset no larger than the distinct
// tiles (up to flips) the screens show, far smaller than four tilesets, and each screen, drawn
// from the shared tileset and its own map, is its preview.
BOOST_AUTO_TEST_CASE(a_level_shares_one_tileset) {
    test::ScratchDir dir;
    const std::vector<std::string> images = write_screens(dir.path);
    std::vector<std::string> args{"convert"};
    args.insert(args.end(), images.begin(), images.end());
    const fs::path out = dir.path / "out";
    args.insert(args.end(), {"-t", "gba-bg-4bpp", "--shared-tiles", "--screen-blocks", "--stats",
                             "-o", out.string() + "/", "--format", "bin", "--preview",
                             (dir.path / "previews").string() + "/"});
    const test::Run r = test::run_kpal(args);
    BOOST_TEST_REQUIRE(r.status == 0, r.err);

    const std::size_t tiles = fs::file_size(out / "tileset.bin") / 32;
    std::vector<Image> previews;
    for (const std::string& s : screens)
        previews.push_back(kpal::load_image((dir.path / "previews" / (s + ".png")).string()));
    BOOST_TEST(tiles <= distinct_tiles_up_to_flips(previews));

    // Each screen on its own needs its own tiles; together they need far fewer.
    std::size_t separate = 0;
    for (const std::string& image : images) {
        const fs::path alone = dir.path / "alone.bin";
        test::must(test::quote(KPAL_EXE) + " convert " + test::q(image) +
                   " -t gba-bg-4bpp --screen-blocks -q -o " + test::q(alone));
        separate += fs::file_size(alone) / 32;
    }
    BOOST_TEST_MESSAGE(tiles << " tiles shared, " << distinct_tiles_up_to_flips(previews)
                             << " distinct up to flips, " << separate << " apart");
    BOOST_TEST(tiles < separate * 2 / 3, tiles << " shared against " << separate);

    // --stats: the tiles each screen adds, which sum to the tileset.
    std::size_t added = 0;
    for (std::size_t at = r.out.find(" added by this image"); at != std::string::npos;
         at = r.out.find(" added by this image", at + 1))
        added += std::stoul(r.out.substr(r.out.rfind(", ", at) + 2));
    BOOST_TEST(added == tiles);
    BOOST_TEST(count_of(r.out, "tiles: ") == screens.size());

    // Each screen's file is its map; with the shared tileset and palette it draws its preview.
    for (std::size_t s = 0; s < screens.size(); ++s) {
        BOOST_TEST_CONTEXT(screens[s]) {
            BOOST_TEST(fs::file_size(out / (screens[s] + ".bin")) == 2048u); // a screen block
            BOOST_TEST(!fs::exists(out / (screens[s] + ".pal")));
            const fs::path drawn = dir.path / "drawn.png";
            test::must(test::quote(KPAL_EXE) + " preview " + test::q(out / "tileset.bin") +
                       " -t gba-bg-4bpp --size 240x160 --screen-blocks --palette " +
                       test::q(out / "tileset.pal") + " --map " +
                       test::q(out / (screens[s] + ".bin")) + " -o " + test::q(drawn));
            BOOST_TEST((kpal::load_image(drawn.string()).rgba == previews[s].rgba));
        }
    }
}

// The C header of the set holds the tiles and the palette, each screen's only its map; all of
// them compile together.
BOOST_AUTO_TEST_CASE(the_headers_compile_together) {
    test::ScratchDir dir;
    const std::vector<std::string> images = write_screens(dir.path);
    std::vector<std::string> args{"convert"};
    args.insert(args.end(), images.begin(), images.end());
    args.insert(args.end(), {"-t", "snes-bg-4bpp", "--shared-tiles", "--name", "level", "-q", "-o",
                             (dir.path / "out").string() + "/"});
    const test::Run r = test::run_kpal(args);
    BOOST_TEST_REQUIRE(r.status == 0, r.err);
    const std::string set = test::read_text(dir.path / "out/level_tileset.h");
    BOOST_TEST(set.find("level_tileset_tiles[") != std::string::npos);
    BOOST_TEST(set.find("level_tileset_palette[") != std::string::npos);
    BOOST_TEST(set.find("_map[") == std::string::npos);
    std::string main = "#include \"level_tileset.h\"\n";
    for (const std::string& s : screens) {
        const std::string h = test::read_text(dir.path / "out" / (s + ".h"));
        BOOST_TEST(h.find(s + "_map[") != std::string::npos);
        BOOST_TEST(h.find("_tiles[") == std::string::npos);
        BOOST_TEST(h.find("_palette[") == std::string::npos);
        main += "#include \"" + s + ".h\"\n";
    }
    main += "int main(void) { return LEVEL_TILESET_TILE_COUNT * 32 == sizeof level_tileset_tiles "
            "&& SCREEN2_MAP_SIZE == sizeof screen2_map ? 0 : 1; }\n";
    test::write_text(dir.path / "out/main.c", main);
    test::must("cc -std=c99 -Wall -Werror -o " + test::q(dir.path / "main") + " " +
               test::q(dir.path / "out/main.c") + " && " + test::q(dir.path / "main"));
}

// The tile limit holds for the shared set: a screen whose tiles would pass it is an input
// error that names it, and nothing is written.
BOOST_AUTO_TEST_CASE(the_limit_is_the_shared_sets) {
    test::ScratchDir dir;
    const std::vector<std::string> images = write_screens(dir.path);
    std::vector<std::string> args{"convert"};
    args.insert(args.end(), images.begin(), images.end());
    args.insert(args.end(), {"-t", "gba-bg-4bpp", "--shared-tiles", "--max-tiles", "40", "-o",
                             (dir.path / "out").string() + "/"});
    const test::Run r = test::run_kpal(args);
    BOOST_TEST(r.status == 2, r.err);
    BOOST_TEST(r.err.find("screen") != std::string::npos, r.err);
    BOOST_TEST(r.err.find("do not fit --max-tiles 40") != std::string::npos, r.err);
    BOOST_TEST(fs::is_empty(dir.path / "out"));
}

// --merge-tiles over the shared set: four photos, whose tiles are nearly all distinct, merged
// together to 512 tiles; the screens that need more take more. Without it the set overflows.
BOOST_AUTO_TEST_CASE(the_shared_set_merges_to_its_budget) {
    test::ScratchDir dir;
    std::vector<std::string> args{"convert"};
    for (const char* photo : {"kodim23.png", "kodim05.png", "kodim19.png", "kodim21.png"})
        args.push_back((test::shared_images / "kodak" / photo).string());
    const fs::path out = dir.path / "out";
    args.insert(args.end(), {"-t", "gba-bg-4bpp", "--shared-tiles", "--resize", "240x160",
                             "--max-tiles", "512", "--screen-blocks", "--format", "bin", "-o",
                             out.string() + "/", "--preview", out.string() + "/"});
    const test::Run overflow = test::run_kpal(args);
    BOOST_TEST(overflow.status == 2, overflow.err);
    BOOST_TEST(overflow.err.find("do not fit --max-tiles 512") != std::string::npos, overflow.err);
    args.insert(args.end(), {"--merge-tiles", "--stats"});
    const test::Run r = test::run_kpal(args);
    BOOST_TEST_REQUIRE(r.status == 0, r.err);
    BOOST_TEST(fs::file_size(out / "tileset.bin") / 32 <= 512u);
    BOOST_TEST(count_of(r.out, "(the set merged from ") == 4u, r.out);
    for (const char* s : {"kodim23", "kodim05", "kodim19", "kodim21"}) {
        const fs::path drawn = dir.path / "drawn.png";
        test::must(test::quote(KPAL_EXE) + " preview " + test::q(out / "tileset.bin") +
                   " -t gba-bg-4bpp --size 240x160 --screen-blocks --palette " +
                   test::q(out / "tileset.pal") + " --map " +
                   test::q(out / (std::string(s) + ".bin")) + " -o " + test::q(drawn));
        BOOST_TEST((kpal::load_image(drawn.string()).rgba ==
                    kpal::load_image((out / (std::string(s) + ".png")).string()).rgba),
                   s);
    }
}

BOOST_AUTO_TEST_CASE(one_image_or_another_kind_of_target_is_refused) {
    test::ScratchDir dir;
    const std::vector<std::string> images = write_screens(dir.path);
    test::convert_refused(images[0], dir.path / "out.h", {"-t", "gba-bg-4bpp", "--shared-tiles"},
                          "--shared-tiles needs several images");
    for (const char* target : {"gba-mode4", "gba-obj-4bpp"}) {
        const test::Run r =
            test::run_kpal({"convert", images[0], images[1], "-t", target, "--shared-tiles", "-o",
                            (dir.path / "out2").string() + "/"});
        BOOST_TEST(r.status == 1, r.err);
        BOOST_TEST(r.err.find("--shared-tiles") != std::string::npos, r.err);
        BOOST_TEST(!fs::exists(dir.path / "out2"));
    }
}

namespace {

// The HUD font converted alone (one bank), the seed of the tests below: dir/font.bin, font.pal.
fs::path write_font_seed(const fs::path& dir, const std::string& target) {
    test::write_png(dir / "font.png", test::hud_font());
    const fs::path tiles = dir / "font.bin";
    test::must(test::quote(KPAL_EXE) + " convert " + test::q(dir / "font.png") + " -t " + target +
               (target == "gba-bg-4bpp" ? " --palettes 1" : "") + " -q -o " + test::q(tiles));
    return tiles;
}

// A GBA text-map entry (GBATEK: tile bits 0-9, flips 10 and 11, palette bank 12-15).
struct GbaEntry {
    unsigned tile, bank;
};
GbaEntry gba_entry(const std::vector<std::uint8_t>& map, std::size_t i) {
    const unsigned word = map[2 * i] | unsigned(map[2 * i + 1]) << 8;
    return {word & 1023u, word >> 12};
}

bool starts_with(const std::vector<std::uint8_t>& bytes, const std::vector<std::uint8_t>& head) {
    return bytes.size() >= head.size() && std::equal(head.begin(), head.end(), bytes.begin());
}

} // namespace

// The goal of issue #33 with a seed: the level's screens, each with a HUD line in the font's
// colours, converted with the font as --tileset-in. The font's tiles come first with the same
// bytes and its bank first in the palette; the HUD's cells use the font's tiles in its bank;
// each screen draws its preview; and the set written seeds the next run: a screen's preview
// converted on it adds no tile and shows the same.
BOOST_AUTO_TEST_CASE(a_seed_keeps_its_tiles_and_banks) {
    test::ScratchDir dir;
    const fs::path font = write_font_seed(dir.path, "gba-bg-4bpp");
    std::vector<std::string> args{"convert"};
    for (const std::string& s : test::write_level_screens(dir.path, 4, "SCORE 0120"))
        args.push_back(s);
    const fs::path out = dir.path / "out";
    // Eight banks, of the fifteen left: the next run has seven.
    args.insert(args.end(), {"-t", "gba-bg-4bpp", "--shared-tiles", "--tileset-in", font.string(),
                             "--palettes", "8", "--screen-blocks", "-q", "-o", out.string() + "/",
                             "--format", "bin", "--preview", out.string() + "/"});
    const test::Run r = test::run_kpal(args);
    BOOST_TEST_REQUIRE(r.status == 0, r.err);

    const std::vector<std::uint8_t> seed = test::read_bytes(font);
    const std::vector<std::uint8_t> set = test::read_bytes(out / "tileset.bin");
    BOOST_TEST(starts_with(set, seed));
    BOOST_TEST(set.size() > seed.size());
    const std::vector<std::uint8_t> font_pal = test::read_bytes(dir.path / "font.pal");
    BOOST_TEST(starts_with(test::read_bytes(out / "tileset.pal"), font_pal)); // bank 0
    const std::size_t seed_tiles = seed.size() / 32;
    for (const std::string& s : screens) {
        BOOST_TEST_CONTEXT(s) {
            const std::vector<std::uint8_t> map = test::read_bytes(out / (s + ".bin"));
            for (std::size_t x = 0; x < 30; ++x) { // the HUD row: the font's tiles, its bank
                BOOST_TEST(gba_entry(map, x).tile < seed_tiles, "x " << x);
                BOOST_TEST(gba_entry(map, x).bank == 0u, "x " << x);
            }
            for (std::size_t i = 32; i < 32 * 20; ++i) // the level: its own banks
                if (i % 32 < 30) BOOST_TEST_REQUIRE(gba_entry(map, i).bank > 0u, "entry " << i);
            const fs::path drawn = dir.path / "drawn.png";
            test::must(test::quote(KPAL_EXE) + " preview " + test::q(out / "tileset.bin") +
                       " -t gba-bg-4bpp --size 240x160 --screen-blocks --palette " +
                       test::q(out / "tileset.pal") + " --map " + test::q(out / (s + ".bin")) +
                       " -o " + test::q(drawn));
            BOOST_TEST((kpal::load_image(drawn.string()).rgba ==
                        kpal::load_image((out / (s + ".png")).string()).rgba));
        }
    }

    // The set seeds the next run: screen 2's preview on it needs no new tile.
    const fs::path again = dir.path / "again.bin";
    const test::Run next =
        test::run_kpal({"convert", (out / "screen2.png").string(), "-t", "gba-bg-4bpp",
                        "--tileset-in", (out / "tileset.bin").string(), "--screen-blocks", "-q",
                        "-o", again.string(), "--preview", (dir.path / "again.png").string()});
    BOOST_TEST_REQUIRE(next.status == 0, next.err);
    BOOST_TEST((test::read_bytes(again) == set));
    BOOST_TEST((kpal::load_image((dir.path / "again.png").string()).rgba ==
                kpal::load_image((out / "screen2.png").string()).rgba));
}

// Where tiles take one palette (the GBA's 8-bit tiles), the seed's entries are pinned at their
// indices and the rest designed around them; the HUD still uses the font's tiles.
BOOST_AUTO_TEST_CASE(a_seed_pins_its_entries_on_one_palette) {
    test::ScratchDir dir;
    const fs::path font = write_font_seed(dir.path, "gba-bg-8bpp");
    const std::vector<std::string> images = test::write_level_screens(dir.path, 1, "SCORE 2010");
    const fs::path out = dir.path / "screen.bin";
    const test::Run r =
        test::run_kpal({"convert", images[0], "-t", "gba-bg-8bpp", "--tileset-in", font.string(),
                        "-q", "-o", out.string(), "--preview", (dir.path / "screen.png").string()});
    BOOST_TEST_REQUIRE(r.status == 0, r.err);
    const std::vector<std::uint8_t> seed = test::read_bytes(font);
    BOOST_TEST(starts_with(test::read_bytes(out), seed));
    // The font uses entries 0 and 1: they are the font's.
    const std::vector<std::uint8_t> font_pal = test::read_bytes(dir.path / "font.pal");
    BOOST_TEST(starts_with(test::read_bytes(dir.path / "screen.pal"),
                           {font_pal.begin(), font_pal.begin() + 4}));
    const std::vector<std::uint8_t> map = test::read_bytes(dir.path / "screen.map");
    for (std::size_t x = 0; x < 30; ++x)
        BOOST_TEST(gba_entry(map, x).tile < seed.size() / 64, "x " << x);
    const fs::path drawn = dir.path / "drawn.png";
    test::must(test::quote(KPAL_EXE) + " preview " + test::q(out) +
               " -t gba-bg-8bpp --size 240x160 --palette " + test::q(dir.path / "screen.pal") +
               " --map " + test::q(dir.path / "screen.map") + " -o " + test::q(drawn));
    BOOST_TEST((kpal::load_image(drawn.string()).rgba ==
                kpal::load_image((dir.path / "screen.png").string()).rgba));
}

// A seed that cannot serve is refused with what to do: no palette beside it, bytes that are not
// whole tiles, a palette filling every bank, options that would change its entries.
BOOST_AUTO_TEST_CASE(a_seed_that_cannot_serve_is_refused) {
    test::ScratchDir dir;
    const fs::path font = write_font_seed(dir.path, "gba-bg-4bpp");
    const std::string image = test::write_level_screens(dir.path, 1)[0];
    const auto run = [&](const fs::path& seed, std::vector<std::string> more) {
        std::vector<std::string> args{
            "convert",      image,         "-t", "gba-bg-4bpp",
            "--tileset-in", seed.string(), "-o", (dir.path / "out.bin").string()};
        args.insert(args.end(), more.begin(), more.end());
        const test::Run r = test::run_kpal(args);
        BOOST_TEST(!fs::exists(dir.path / "out.bin"));
        return r;
    };
    fs::copy_file(font, dir.path / "alone.bin");
    test::Run r = run(dir.path / "alone.bin", {});
    BOOST_TEST(r.status == 2);
    BOOST_TEST(r.err.find("alone.pal: not found") != std::string::npos, r.err);

    test::write_text(dir.path / "odd.bin", std::string(33, '\1'));
    fs::copy_file(dir.path / "font.pal", dir.path / "odd.pal");
    r = run(dir.path / "odd.bin", {});
    BOOST_TEST(r.status == 2);
    BOOST_TEST(r.err.find("odd.bin: holds 33 bytes, not whole tiles") != std::string::npos, r.err);

    fs::copy_file(font, dir.path / "full.bin");
    test::write_text(dir.path / "full.pal", std::string(512, '\1'));
    r = run(dir.path / "full.bin", {});
    BOOST_TEST(r.status == 1);
    BOOST_TEST(r.err.find("leaving none for new tiles") != std::string::npos, r.err);

    for (const std::vector<std::string>& options : std::vector<std::vector<std::string>>{
             {"--palette-bank", "2"}, {"--fix", "1=#FF0000"}, {"--engine", "fixed"}}) {
        r = run(font, options);
        BOOST_TEST(r.status == 1, options[0]);
        BOOST_TEST(r.err.find(" does not go with --tileset-in") != std::string::npos, r.err);
        BOOST_TEST(r.err.starts_with("kpal: " + options[0]), r.err);
    }
}
