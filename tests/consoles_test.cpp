#define BOOST_TEST_MODULE consoles
#include "aseprite_writer.h"
#include "kpal/load.h"
#include "kpal/palette_format.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

namespace fs = std::filesystem;
using kpal::Image;
using test::q;

// kpal's tile output shown by emulated consoles: small ROMs of the project's own
// (firmware_examples/gba-background, md-background) load the tiles, map and palette as kpal
// wrote them, the emulator runs them headless, and its screen must equal kpal's preview pixel
// for pixel. mGBA shows a 5-bit channel as (v << 3) | (v >> 2), the bit replication of kpal's
// previews; mednafen's Mega Drive shows a 3-bit channel as 34 * v, which `kpal preview --dac
// mednafen` gives (both measured in ../shared/CONSOLES.md).

namespace {

struct Gba {
    std::string target;               // gba-bg-4bpp or gba-bg-8bpp
    std::vector<std::string> options; // more kpal options
    int bank = 0, offset = 0;
};

// Converts `photo` (scaled to the GBA's 240x160) into dir/tiles.bin, map.bin, pal.bin and the
// preview dir/expect.png.
void convert(const fs::path& photo, const Gba& g, const test::ScratchDir& dir) {
    std::vector<std::string> args{"convert",
                                  photo.string(),
                                  "-t",
                                  g.target,
                                  "--resize",
                                  "240x160",
                                  "--screen-blocks",
                                  "-q",
                                  "-o",
                                  (dir / "tiles.bin").string(),
                                  "--preview",
                                  (dir / "expect.png").string()};
    args.insert(args.end(), g.options.begin(), g.options.end());
    const test::Run r = test::run_kpal(args);
    BOOST_TEST_REQUIRE(r.status == 0, r.err);
    fs::rename(dir / "tiles.map", dir / "map.bin");
    fs::rename(dir / "tiles.pal", dir / "pal.bin");
}

// Assembles the ROM around dir's files and returns what mGBA shows.
Image show(const Gba& g, const test::ScratchDir& dir) {
    const std::string d = dir.path.string();
    test::must("arm-none-eabi-as -I " + q(d) + " " +
               q((test::source_dir / "firmware_examples/gba-background/show.s").string()) +
               " --defsym BANK=" + std::to_string(g.bank) +
               " --defsym OFFSET=" + std::to_string(g.offset) +
               " --defsym BPP8=" + (g.target == "gba-bg-8bpp" ? "1" : "0") + " -o " +
               q(d + "/show.o") + " && arm-none-eabi-ld -Ttext=0x08000000 " + q(d + "/show.o") +
               " -o " + q(d + "/show.elf") + " && arm-none-eabi-objcopy -O binary " +
               q(d + "/show.elf") + " " + q(d + "/show.gba"));
    test::must(q(KPAL_MGBA_CAPTURE) + " " + q(d + "/show.gba") + " " + q(d + "/screen.png"));
    return kpal::load_image(d + "/screen.png");
}

std::size_t mismatches(const Image& screen, const Image& want) {
    BOOST_TEST_REQUIRE((screen.width == want.width && screen.height == want.height));
    std::size_t bad = 0;
    for (std::size_t i = 0; i < want.pixel_count(); ++i)
        bad += !(screen.rgb_at(i) == want.rgb_at(i));
    return bad;
}

const std::vector<fs::path> photos{test::shared_images / "kodak/kodim23.png",
                                   test::shared_images / "kodak/kodim05.png",
                                   test::shared_images / "scaling/akihabara_240x160.jpg"};

} // namespace

// Backgrounds at 4 and 8 bits (the 4-bit one with its 16 banks designed together, the default),
// with a tile offset and palette bank (banks 3 to 15), and with one palette: mGBA shows the
// preview.
BOOST_AUTO_TEST_CASE(mgba_shows_the_preview_pixel_for_pixel) {
    const std::vector<Gba> setups{
        {"gba-bg-4bpp", {}, 0, 0},
        {"gba-bg-8bpp", {}, 0, 0},
        {"gba-bg-4bpp", {"--tile-offset", "37", "--palette-bank", "3"}, 3, 37},
        {"gba-bg-4bpp", {"--palettes", "1"}, 0, 0}, // every tile in bank 0
    };
    for (const Gba& g : setups)
        for (const fs::path& photo : photos) {
            BOOST_TEST_CONTEXT(g.target << " bank " << g.bank << ", " << photo.filename()) {
                test::ScratchDir dir;
                convert(photo, g, dir);
                const Image expect = kpal::load_image((dir / "expect.png").string());
                BOOST_TEST(mismatches(show(g, dir), expect) == 0u);
                // kpal preview of the same files says the same.
                test::must(test::quote(KPAL_EXE) + " preview " + q(dir / "tiles.bin") + " -t " +
                           g.target + " --size 240x160 --screen-blocks --palette " +
                           q(dir / "pal.bin") + " --map " + q(dir / "map.bin") + " --tile-offset " +
                           std::to_string(g.offset) + " --palette-bank " + std::to_string(g.bank) +
                           " -o " + q(dir / "preview.png"));
                BOOST_TEST((kpal::load_image((dir / "preview.png").string()).rgba == expect.rgba));
            }
        }
}

// The comparison can fail: the ROM with entries 1 and 2 of every bank swapped no longer
// matches.
BOOST_AUTO_TEST_CASE(a_swapped_palette_entry_is_caught) {
    test::ScratchDir dir;
    const Gba g{"gba-bg-4bpp", {}, 0, 0};
    convert(photos[0], g, dir);
    std::string pal = test::read_text(dir / "pal.bin");
    for (std::size_t bank = 0; bank + 32 <= pal.size(); bank += 32)
        std::swap_ranges(pal.begin() + std::ptrdiff_t(bank) + 2,
                         pal.begin() + std::ptrdiff_t(bank) + 4,
                         pal.begin() + std::ptrdiff_t(bank) + 4);
    test::write_text(dir / "pal.bin", pal);
    const std::size_t bad =
        mismatches(show(g, dir), kpal::load_image((dir / "expect.png").string()));
    BOOST_TEST(bad > 100u, bad << " pixels differ");
}

// A level of four screens sharing one tileset (--shared-tiles): one ROM a screen, each loading
// the shared tiles and palette and its own map; mGBA shows every screen as its preview. Then
// the same with a HUD line on each screen and the HUD's font, converted alone, as the seed
// (--tileset-in): its tiles first, its bank 0 the backdrop's.
BOOST_AUTO_TEST_CASE(mgba_shows_each_screen_of_a_shared_tileset) {
    for (const bool seeded : {false, true}) {
        test::ScratchDir dir;
        std::vector<std::string> args{"convert"};
        for (const std::string& screen :
             test::write_level_screens(dir.path, 4, seeded ? "SCORE 0120" : ""))
            args.push_back(screen);
        const fs::path out = dir.path / "out";
        args.insert(args.end(),
                    {"-t", "gba-bg-4bpp", "--shared-tiles", "--screen-blocks", "-q", "--format",
                     "bin", "-o", out.string() + "/", "--preview", out.string() + "/"});
        if (seeded) {
            test::write_png(dir.path / "font.png", test::hud_font());
            test::must(q(KPAL_EXE) + " convert " + q(dir.path / "font.png") +
                       " -t gba-bg-4bpp --palettes 1 -q -o " + q(dir.path / "font.bin"));
            args.insert(args.end(), {"--tileset-in", (dir.path / "font.bin").string()});
        }
        const test::Run r = test::run_kpal(args);
        BOOST_TEST_REQUIRE(r.status == 0, r.err);
        for (int s = 0; s < 4; ++s) {
            BOOST_TEST_CONTEXT("screen " << s << (seeded ? ", seeded" : "")) {
                const std::string name = "screen" + std::to_string(s);
                test::ScratchDir rom;
                fs::copy_file(out / "tileset.bin", rom.path / "tiles.bin");
                fs::copy_file(out / "tileset.pal", rom.path / "pal.bin");
                fs::copy_file(out / (name + ".bin"), rom.path / "map.bin");
                const Image expect = kpal::load_image((out / (name + ".png")).string());
                BOOST_TEST(mismatches(show({"gba-bg-4bpp", {}, 0, 0}, rom), expect) == 0u);
            }
        }
    }
}

namespace {

// What mGBA shows of the sprite ROM (firmware_examples/gba-sprite) built around dir's files
// (tiles.bin, pal.bin; pieces.bin, frames.bin) with `symbols`, the object at (8, 8).
Image show_sprite(const test::ScratchDir& dir, const std::string& symbols) {
    const std::string d = dir.path.string();
    test::must("arm-none-eabi-as -I " + q(d) + " " +
               q((test::source_dir / "firmware_examples/gba-sprite/show.s").string()) + " " +
               symbols + " --defsym X=8 --defsym Y=8 -o " + q(d + "/show.o") +
               " && arm-none-eabi-ld -Ttext=0x08000000 " + q(d + "/show.o") + " -o " +
               q(d + "/show.elf") + " && arm-none-eabi-objcopy -O binary " + q(d + "/show.elf") +
               " " + q(d + "/show.gba"));
    test::must(q(KPAL_MGBA_CAPTURE) + " " + q(d + "/show.gba") + " " + q(d + "/screen.png"));
    return kpal::load_image(d + "/screen.png");
}

} // namespace

// An Aseprite animation (tests/aseprite_writer.h: a hero of four 16x16 frames, a
// half-transparent shadow, a hidden layer) converted with one command into GBA sprites: a ROM a
// frame (firmware_examples/gba-sprite) shows it as a hardware object at (8, 8), and mGBA's
// screen there is the frame kpal's preview draws, the transparent pixels the backdrop.
BOOST_AUTO_TEST_CASE(mgba_shows_each_frame_of_an_aseprite_animation) {
    test::ScratchDir dir;
    const std::vector<std::uint8_t> hero = test::hero();
    test::write_text(dir / "hero.aseprite", std::string(hero.begin(), hero.end()));
    test::must(q(KPAL_EXE) + " convert " + q(dir / "hero.aseprite") + " -t gba-obj-4bpp -q -o " +
               q(dir / "tiles.bin"));
    fs::rename(dir / "tiles.pal", dir / "pal.bin");
    test::must(q(KPAL_EXE) + " preview " + q(dir / "tiles.bin") +
               " -t gba-obj-4bpp --size 16x64 --frame 16x16 --palette " + q(dir / "pal.bin") +
               " -o " + q(dir / "frames.png"));
    const Image frames = kpal::load_image((dir / "frames.png").string());
    for (int f = 0; f < 4; ++f) {
        BOOST_TEST_CONTEXT("frame " << f) {
            const Image screen =
                show_sprite(dir, "--defsym FRAME=" + std::to_string(f) +
                                     " --defsym TILES=4 --defsym SHAPE=0 --defsym SIZE=1");
            std::size_t bad = 0, opaque = 0;
            for (int y = 0; y < 16; ++y)
                for (int x = 0; x < 16; ++x) {
                    const std::size_t at = std::size_t(16 * f + y) * 16 + std::size_t(x);
                    const bool shows = frames.rgba[4 * at + 3] != 0;
                    opaque += shows;
                    const kpal::Rgb want = shows ? frames.rgb_at(at) : kpal::Rgb{255, 0, 255};
                    bad += !(screen.rgb_at(std::size_t(8 + y) * 240 + std::size_t(8 + x)) == want);
                }
            BOOST_TEST(bad == 0u);
            BOOST_TEST(opaque > 60u); // the body and the shadow show
        }
    }
}

// A metasprite (--metasprite): a 48x40 knight and its mirror image, turning round, each frame
// covered by GBA objects of several shapes, the second frame's the first's with the flip bits.
// The ROM (firmware_examples/gba-sprite, PIECES) sets an object a piece from kpal's tables, and
// mGBA shows each frame as the preview draws it.
BOOST_AUTO_TEST_CASE(mgba_shows_each_frame_of_a_metasprite) {
    test::ScratchDir dir;
    const auto knight = [](int x, int y) {
        const int dx = x - 23, dy = y - 7;
        return dx * dx + dy * dy < 64 || (x >= 14 && x < 34 && y >= 16 && y < 36) ||
               (x >= 34 && y >= 20 && y < 24) || (y >= 36 && (x / 5) % 2 == 1);
    };
    Image sheet{96, 40, std::vector<std::uint8_t>(96 * 40 * 4, 0)};
    for (int y = 0; y < 40; ++y)
        for (int x = 0; x < 48; ++x)
            if (knight(x, y))
                for (const int at : {x, 95 - x}) { // the frame, and its mirror image beside it
                    std::uint8_t* p = &sheet.rgba[(std::size_t(y) * 96 + std::size_t(at)) * 4];
                    p[0] = std::uint8_t(40 + 50 * (x / 12)), p[1] = std::uint8_t(60 + 4 * y);
                    p[2] = 120, p[3] = 255;
                }
    test::write_png(dir / "knight.png", sheet);
    test::must(q(KPAL_EXE) + " convert " + q(dir / "knight.png") +
               " -t gba-obj-4bpp --metasprite --frame 48x40 -q -o " + q(dir / "tiles.bin") +
               " --preview " + q(dir / "expect.png"));
    fs::rename(dir / "tiles.pal", dir / "pal.bin");
    fs::rename(dir / "tiles.pcs", dir / "pieces.bin");
    fs::rename(dir / "tiles.frm", dir / "frames.bin");
    const Image expect = kpal::load_image((dir / "expect.png").string());
    for (int f = 0; f < 2; ++f) {
        BOOST_TEST_CONTEXT("frame " << f) {
            const Image screen =
                show_sprite(dir, "--defsym PIECES=1 --defsym FRAME=" + std::to_string(f) +
                                     " --defsym TILES=0 --defsym SHAPE=0 --defsym SIZE=0");
            std::size_t bad = 0;
            for (int y = 0; y < 40; ++y)
                for (int x = 0; x < 48; ++x) {
                    const std::size_t at = std::size_t(y) * 96 + std::size_t(48 * f + x);
                    const kpal::Rgb want =
                        expect.rgba[4 * at + 3] ? expect.rgb_at(at) : kpal::Rgb{255, 0, 255};
                    bad += !(screen.rgb_at(std::size_t(8 + y) * 240 + std::size_t(8 + x)) == want);
                }
            BOOST_TEST(bad == 0u);
        }
    }
}

namespace {

struct Md {
    std::vector<std::string> options;
    int bank = 0, offset = 0;
};

// Converts `photo` for the Mega Drive's 320x224 into dir's files, builds the ROM and returns
// what mednafen shows.
Image show_md(const fs::path& photo, const Md& m, const test::ScratchDir& dir, bool swap = false) {
    const std::string d = dir.path.string();
    std::vector<std::string> args{"convert", photo.string(), "-t", "md-bg",         "--resize",
                                  "320x224", "-q",           "-o", d + "/tiles.bin"};
    args.insert(args.end(), m.options.begin(), m.options.end());
    const test::Run r = test::run_kpal(args);
    BOOST_TEST_REQUIRE(r.status == 0, r.err);
    fs::rename(dir / "tiles.map", dir / "map.bin");
    fs::rename(dir / "tiles.pal", dir / "pal.bin");
    test::must(test::quote(KPAL_EXE) + " preview " + q(d + "/tiles.bin") +
               " -t md-bg --size 320x224 --map " + q(d + "/map.bin") + " --palette " +
               q(d + "/pal.bin") + " --tile-offset " + std::to_string(m.offset) +
               " --palette-bank " + std::to_string(m.bank) + " --dac mednafen -o " +
               q(d + "/expect.png"));
    if (swap) { // CRAM entries 1 and 2 change places in the ROM's copy
        std::string pal = test::read_text(dir / "pal.bin");
        std::swap_ranges(pal.begin() + 2, pal.begin() + 4, pal.begin() + 4);
        test::write_text(dir / "pal.bin", pal);
    }
    test::must("m68k-linux-gnu-as -I " + q(d) + " " +
               q((test::source_dir / "firmware_examples/md-background/show.s").string()) +
               " --defsym MAPW=40 --defsym MAPH=28 --defsym OFFSET=" + std::to_string(m.offset) +
               " --defsym BANK=" + std::to_string(m.bank) + " -o " + q(d + "/show.o") +
               " && m68k-linux-gnu-ld -e 0 -Ttext=0 " + q(d + "/show.o") + " -o " +
               q(d + "/show.elf") + " && m68k-linux-gnu-objcopy -O binary " + q(d + "/show.elf") +
               " " + q(d + "/show.md"));
    test::must(q((test::source_dir / "tools/mednafen-capture.sh").string()) + " md " +
               q(d + "/show.md") + " " + q(d + "/screen.png"));
    return kpal::load_image(d + "/screen.png");
}

} // namespace

// The Mega Drive (mednafen's md module): a plane from three photos (four palette lines designed
// together, the default), one with a tile offset from palette line 2 on, and one with one line,
// show the preview under mednafen's colours.
BOOST_AUTO_TEST_CASE(mednafen_shows_the_mega_drive_preview_pixel_for_pixel) {
    const std::vector<Md> setups{{{}, 0, 0},
                                 {{"--tile-offset", "20", "--palette-bank", "2"}, 2, 20},
                                 {{"--palettes", "1"}, 0, 0}}; // every tile in line 0
    for (const Md& m : setups)
        for (const fs::path& photo : photos) {
            if ((m.bank || !m.options.empty()) && photo != photos[0]) continue;
            BOOST_TEST_CONTEXT("line " << m.bank << ", " << photo.filename()) {
                test::ScratchDir dir;
                const Image screen = show_md(photo, m, dir);
                BOOST_TEST(mismatches(screen, kpal::load_image((dir / "expect.png").string())) ==
                           0u);
            }
        }
}

BOOST_AUTO_TEST_CASE(mednafen_catches_a_swapped_palette_entry) {
    test::ScratchDir dir;
    const Image screen = show_md(photos[0], {}, dir, true);
    const std::size_t bad = mismatches(screen, kpal::load_image((dir / "expect.png").string()));
    BOOST_TEST(bad > 100u, bad << " pixels differ");
}

namespace {

// The pictures the 256-tile consoles are shown: the parrots at (nearly) a full screen, and the
// two busier photos smaller, so that their tiles fit.
struct Small {
    fs::path photo;
    int width, height;
};

// Writes a code format's colours as an emulator's .pal (R, G, B a code).
void write_pal(const fs::path& path, const std::vector<kpal::Rgb>& colours) {
    std::string bytes;
    for (const kpal::Rgb c : colours) bytes += {char(c.r), char(c.g), char(c.b)};
    test::write_text(path, bytes);
}

// A Game Boy background in mGBA: tiles, map and BGP copied as they are. mGBA shows the DMG's
// shades as 255, 173, 82, 0 (the 15-bit 31, 21, 10, 0 expanded), which a profile with that
// master palette gives kpal's preview. With `swap` the ROM's BGP has the shades of colours 0
// and 1 exchanged.
Image show_gb(const Small& s, const test::ScratchDir& dir, bool swap = false) {
    const std::string d = dir.path.string();
    write_pal(dir / "mgba.pal", {{255, 255, 255}, {173, 173, 173}, {82, 82, 82}, {0, 0, 0}});
    test::write_text(dir / "mgba.ini", test::read_text(test::source_dir / "targets/gb-bg.ini") +
                                           "master_palette = mgba.pal\n");
    const test::Run r =
        test::run_kpal({"convert", s.photo.string(), "-t", d + "/mgba.ini", "--resize",
                        std::to_string(s.width) + "x" + std::to_string(s.height), "-q", "-o",
                        d + "/tiles.bin", "--preview", d + "/expect.png"});
    BOOST_TEST_REQUIRE(r.status == 0, r.err);
    fs::rename(dir / "tiles.map", dir / "map.bin");
    fs::rename(dir / "tiles.pal", dir / "pal.bin");
    if (swap) {
        std::string bgp = test::read_text(dir / "pal.bin");
        const unsigned b = std::uint8_t(bgp[0]);
        bgp[0] = char((b & 0xf0) | (b & 3) << 2 | (b >> 2 & 3));
        test::write_text(dir / "pal.bin", bgp);
    }
    test::write_text(dir / "size.s", "MAPW = " + std::to_string(s.width / 8) +
                                         "\nMAPH = " + std::to_string(s.height / 8) + "\n");
    test::must("cd " + q(d) + " && sdasgb -o show.rel size.s " +
               q((test::source_dir / "firmware_examples/gb-background/show.s").string()) +
               " && sdldgb -i show.ihx show.rel >/dev/null && makebin -Z show.ihx show.gb");
    test::must(q(KPAL_MGBA_CAPTURE) + " " + q(d + "/show.gb") + " " + q(d + "/screen.png") +
               " 0xc000");
    return kpal::load_image(d + "/screen.png");
}

// The top-left width x height of `screen`.
Image crop(const Image& screen, int width, int height) {
    Image out = screen;
    out.width = width, out.height = height;
    out.rgba.clear();
    for (int y = 0; y < height; ++y)
        out.rgba.insert(out.rgba.end(), screen.rgba.begin() + 4 * std::ptrdiff_t(y * screen.width),
                        screen.rgba.begin() + 4 * std::ptrdiff_t(y * screen.width + width));
    return out;
}

const std::vector<Small> small{{photos[0], 160, 144}, {photos[1], 128, 112}, {photos[2], 128, 112}};

} // namespace

BOOST_AUTO_TEST_CASE(mgba_shows_the_game_boy_preview_pixel_for_pixel) {
    for (const Small& s : small) BOOST_TEST_CONTEXT(s.photo.filename()) {
            test::ScratchDir dir;
            const Image screen = show_gb(s, dir);
            BOOST_TEST(mismatches(crop(screen, s.width, s.height),
                                  kpal::load_image((dir / "expect.png").string())) == 0u);
        }
    test::ScratchDir dir;
    const Image screen = show_gb(small[0], dir, true);
    const std::size_t bad =
        mismatches(crop(screen, 160, 144), kpal::load_image((dir / "expect.png").string()));
    BOOST_TEST(bad > 100u, bad << " pixels differ");
}

namespace {

// An NES background in mednafen, given kpal's master palette as its custom palette: the whole
// 256x240 screen (the picture, and the backdrop past it) is what `kpal preview --size 256x240`
// shows. With `swap` the ROM's palette entries 1 and 2 change places.
Image show_nes(const Small& s, int bank, const test::ScratchDir& dir, bool swap = false,
               const std::vector<std::string>& more = {}) {
    const std::string d = dir.path.string();
    std::vector<std::string> args{"convert",
                                  s.photo.string(),
                                  "-t",
                                  "nes-bg",
                                  "--resize",
                                  std::to_string(s.width) + "x" + std::to_string(s.height),
                                  "--palette-bank",
                                  std::to_string(bank),
                                  "-q",
                                  "-o",
                                  d + "/tiles.bin"};
    args.insert(args.end(), more.begin(), more.end());
    const test::Run r = test::run_kpal(args);
    BOOST_TEST_REQUIRE(r.status == 0, r.err);
    fs::rename(dir / "tiles.map", dir / "map.bin");
    fs::rename(dir / "tiles.pal", dir / "pal.bin");
    test::must(test::quote(KPAL_EXE) + " preview " + q(d + "/tiles.bin") +
               " -t nes-bg --size 256x240 --map " + q(d + "/map.bin") + " --palette " +
               q(d + "/pal.bin") + " --palette-bank " + std::to_string(bank) + " -o " +
               q(d + "/expect.png"));
    if (swap) {
        std::string pal = test::read_text(dir / "pal.bin");
        std::swap(pal[1], pal[2]);
        test::write_text(dir / "pal.bin", pal);
    }
    write_pal(dir / "kpal.pal", kpal::find_palette_format("nes")->shown);
    const std::string firmware = (test::source_dir / "firmware_examples/nes-background").string();
    test::must("cd " + q(d) + " && ca65 -D BANK=" + std::to_string(bank) + " -o show.o " +
               q(firmware + "/show.s") + " && ld65 -C " + q(firmware + "/nes.cfg") +
               " -o show.nes show.o");
    test::must(q((test::source_dir / "tools/mednafen-capture.sh").string()) + " nes " +
               q(d + "/show.nes") + " " + q(d + "/screen.png") + " palette " + q(d + "/kpal.pal") +
               " nes.slstart 0 nes.slend 239");
    return kpal::load_image(d + "/screen.png");
}

} // namespace

// Four palettes (the default: each 16x16 area's attribute names its own), from palette 1 on
// (three palettes, the attribute table read as kpal wrote it), and a whole screen merged to fit.
BOOST_AUTO_TEST_CASE(mednafen_shows_the_nes_preview_pixel_for_pixel) {
    const std::vector<Small> nes{{photos[0], 160, 112}, {photos[1], 128, 96}, {photos[2], 128, 96}};
    for (const Small& s : nes)
        for (int bank : {0, 1}) {
            if (bank && s.photo != photos[0]) continue;
            BOOST_TEST_CONTEXT(s.photo.filename() << ", bank " << bank) {
                test::ScratchDir dir;
                const Image screen = show_nes(s, bank, dir);
                BOOST_TEST(mismatches(screen, kpal::load_image((dir / "expect.png").string())) ==
                           0u);
            }
        }
    { // a whole screen of photo, its 900-odd tiles merged into the 256 the pattern table holds
        test::ScratchDir dir;
        const Image screen = show_nes({photos[1], 256, 240}, 0, dir, false, {"--merge-tiles"});
        BOOST_TEST(fs::file_size(dir / "tiles.bin") <= 256u * 16);
        BOOST_TEST(mismatches(screen, kpal::load_image((dir / "expect.png").string())) == 0u);
    }
    test::ScratchDir dir;
    const Image screen = show_nes(nes[0], 0, dir, true);
    const std::size_t bad = mismatches(screen, kpal::load_image((dir / "expect.png").string()));
    BOOST_TEST(bad > 100u, bad << " pixels differ");
}
