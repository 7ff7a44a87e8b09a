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
