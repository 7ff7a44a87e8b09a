#define BOOST_TEST_MODULE animation
// Animations as input: GIFs written here with giflib's encoder and Aseprite files written here
// from the published format (docs/ase-file-specs.md), read back frame by frame against what
// each frame must show; then converted by the program into frames, durations and an animated
// preview that Pillow reads.
#include "aseprite_writer.h"
#include "kpal/animation.h"
#include "kpal/error.h"
#include "kpal/load.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

#include <gif_lib.h>

namespace fs = std::filesystem;
using kpal::Animation;
using kpal::Image;
using kpal::Rgb;

namespace {

// ---- GIF, through giflib's encoder ----------------------------------------------------------

struct GifFrame {
    int left, top, width, height;
    std::vector<std::uint8_t> indices;
    int delay_cs, disposal, transparent; // transparent: an index, or -1
    bool interlace = false;
};

// A GIF of `frames` on a width x height screen, colours: 0 black, 1 red, 2 green, 3 blue.
void write_gif(const fs::path& path, int width, int height, const std::vector<GifFrame>& frames) {
    int error = 0;
    GifFileType* gif = EGifOpenFileName(path.c_str(), false, &error);
    BOOST_TEST_REQUIRE(gif);
    const GifColorType colours[4] = {{0, 0, 0}, {255, 0, 0}, {0, 255, 0}, {0, 0, 255}};
    ColorMapObject* map = GifMakeMapObject(4, colours);
    EGifSetGifVersion(gif, true);
    BOOST_TEST_REQUIRE(EGifPutScreenDesc(gif, width, height, 2, 0, map) == GIF_OK);
    for (const GifFrame& f : frames) {
        const GraphicsControlBlock gcb{f.disposal, false, f.delay_cs, f.transparent};
        GifByteType ext[4];
        const std::size_t n = EGifGCBToExtension(&gcb, ext);
        EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, int(n), ext);
        BOOST_TEST_REQUIRE(EGifPutImageDesc(gif, f.left, f.top, f.width, f.height, f.interlace,
                                            nullptr) == GIF_OK);
        std::vector<int> rows;
        if (f.interlace)
            for (const auto& [first, step] : {std::pair{0, 8}, {4, 8}, {2, 4}, {1, 2}})
                for (int y = first; y < f.height; y += step) rows.push_back(y);
        else
            for (int y = 0; y < f.height; ++y) rows.push_back(y);
        for (const int y : rows) {
            std::vector<GifPixelType> line(f.indices.begin() + y * f.width,
                                           f.indices.begin() + (y + 1) * f.width);
            EGifPutLine(gif, line.data(), f.width);
        }
    }
    EGifCloseFile(gif, &error);
    GifFreeMapObject(map);
}

Rgb pixel(const Image& image, int x, int y) {
    return image.rgb_at(std::size_t(y) * std::size_t(image.width) + std::size_t(x));
}
int alpha(const Image& image, int x, int y) {
    return image.rgba[(std::size_t(y) * std::size_t(image.width) + std::size_t(x)) * 4 + 3];
}

} // namespace

BOOST_AUTO_TEST_CASE(gif_frames_follow_their_disposal) {
    test::ScratchDir dir;
    // Frame 1: the whole 8x4 screen red. Frame 2: a green 2x2 at (1, 1), kept (disposal 1).
    // Frame 3: a blue 2x2 at (4, 1) with a transparent pixel, then cleared (disposal 2).
    // Frame 4: nothing but a blue pixel at (7, 3), interlaced, restored after (disposal 3).
    write_gif(dir / "a.gif", 8, 4,
              {{0, 0, 8, 4, std::vector<std::uint8_t>(32, 1), 10, 1, -1},
               {1, 1, 2, 2, {2, 2, 2, 2}, 20, 1, -1},
               {4, 1, 2, 2, {3, 0, 3, 3}, 0, 2, 0},
               {0, 0, 8, 4,
                [] {
                    std::vector<std::uint8_t> v(32, 0);
                    v[31] = 3;
                    return v;
                }(),
                5, 3, 0, true}});
    const Animation a = kpal::load_animation((dir / "a.gif").string());
    BOOST_TEST_REQUIRE(a.frames.size() == 4u);
    BOOST_TEST((a.durations_ms == std::vector<int>{100, 200, 100, 50})); // 0: shown as 100 ms
    BOOST_TEST((pixel(a.frames[0], 1, 1) == Rgb{255, 0, 0}));
    BOOST_TEST((pixel(a.frames[1], 1, 1) == Rgb{0, 255, 0}));
    BOOST_TEST((pixel(a.frames[2], 1, 1) == Rgb{0, 255, 0})); // kept
    BOOST_TEST((pixel(a.frames[2], 4, 1) == Rgb{0, 0, 255}));
    BOOST_TEST((pixel(a.frames[2], 5, 1) == Rgb{255, 0, 0})); // its transparent pixel
    BOOST_TEST(alpha(a.frames[3], 4, 1) == 0);                // cleared by disposal 2
    BOOST_TEST((pixel(a.frames[3], 1, 1) == Rgb{0, 255, 0}));
    BOOST_TEST((pixel(a.frames[3], 7, 3) == Rgb{0, 0, 255})); // the interlaced frame's pixel
    BOOST_TEST(alpha(a.frames[3], 6, 3) == 255);
}

BOOST_AUTO_TEST_CASE(aseprite_frames_compose_their_visible_layers) {
    test::ScratchDir dir;
    const std::vector<std::uint8_t> bytes = test::hero();
    const Animation a = kpal::decode_aseprite(bytes, "hero.aseprite");
    BOOST_TEST_REQUIRE(a.frames.size() == 4u);
    BOOST_TEST((a.durations_ms == std::vector<int>{100, 120, 80, 200}));
    BOOST_TEST_REQUIRE(a.tags.size() == 2u);
    BOOST_TEST((a.tags[1].name == "jump" && a.tags[1].from == 2 && a.tags[1].to == 3));
    for (int f = 0; f < 4; ++f) {
        BOOST_TEST_CONTEXT("frame " << f) {
            const Image& im = a.frames[std::size_t(f)];
            BOOST_TEST(alpha(im, 0, 0) == 0); // the hidden guide is not drawn
            BOOST_TEST((pixel(im, 4 + f, f < 2 ? 2 : 0) == Rgb{200, 40, 40}));
            BOOST_TEST(alpha(im, 3 + f, 5) == 0);
            BOOST_TEST(alpha(im, 2, 12) == 128); // the shadow at the layer's 50 %
            BOOST_TEST((pixel(im, 6, 12) == Rgb{0, 0, 0}));
        }
    }
    // The shadow (layer 0) is under the body: where both are, the body shows.
    BOOST_TEST((pixel(a.frames[0], 5, 11) == Rgb{200, 40, 40}));
    BOOST_TEST(alpha(a.frames[0], 5, 11) == 255);
}

// Corrupt and hostile files: one error naming the file, never a crash (fuzz_animation goes
// further).
BOOST_AUTO_TEST_CASE(corrupt_animations_are_input_errors) {
    std::vector<std::uint8_t> bytes = test::hero();
    for (const std::size_t cut :
         {std::size_t(3), std::size_t(100), std::size_t(200), bytes.size() - 5}) {
        const std::vector<std::uint8_t> part(bytes.begin(), bytes.begin() + std::ptrdiff_t(cut));
        BOOST_CHECK_THROW(kpal::decode_aseprite(part, "cut.aseprite"), kpal::Error);
    }
    std::vector<std::uint8_t> huge = bytes;
    huge[8] = huge[9] = huge[10] = huge[11] = 0xFF; // a 65535x65535 canvas
    try {
        kpal::decode_aseprite(huge, "huge.aseprite");
        BOOST_ERROR("a 65535x65535 canvas was read");
    } catch (const kpal::Error& e) {
        BOOST_TEST(std::string(e.what()).find("huge.aseprite: has a 65535x65535 canvas") == 0u,
                   e.what());
    }
    test::ScratchDir dir;
    write_gif(dir / "a.gif", 8, 4, {{0, 0, 8, 4, std::vector<std::uint8_t>(32, 1), 10, 1, -1}});
    const std::vector<std::uint8_t> gif = test::read_bytes(dir / "a.gif");
    kpal::LoadLimits small;
    small.max_pixels = 16; // the 8x4 screen is 32: refused before its canvas is made
    try {
        kpal::decode_gif(gif, "big.gif", small);
        BOOST_ERROR("a screen past the limit was read");
    } catch (const kpal::Error& e) {
        BOOST_TEST(std::string(e.what()) == "big.gif: has a 8x4 screen, more than 16 pixels");
    }
    for (std::size_t cut = 6; cut < gif.size(); cut += 7)
        BOOST_CHECK_THROW(
            kpal::decode_gif({gif.begin(), gif.begin() + std::ptrdiff_t(cut)}, "cut.gif"),
            kpal::Error);
}

namespace {

// Pillow's reading of an animated PNG: frames, each one's duration and RGBA bytes as hex.
std::vector<std::string> pillow_frames(const fs::path& png) {
    const test::Run r =
        test::must("/usr/bin/python3 -c \"import sys; from PIL import Image, ImageSequence\n"
                   "im = Image.open(sys.argv[1])\n"
                   "for f in ImageSequence.Iterator(im): print(int(f.info.get('duration')), "
                   "f.convert('RGBA').tobytes().hex())\" " +
                   test::q(png));
    std::vector<std::string> out;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) out.push_back(line);
    return out;
}

} // namespace

// The Aseprite file to GBA sprites with one command: a tag's frames, each a 16x16 sprite of the
// same palette, their durations beside them in a header that compiles, and an animated preview
// whose frames are the sprites' (Pillow reads it).
BOOST_AUTO_TEST_CASE(an_aseprite_tag_converts_into_sprite_frames) {
    test::ScratchDir dir;
    const std::vector<std::uint8_t> bytes = test::hero();
    test::write_text(dir / "hero.aseprite", std::string(bytes.begin(), bytes.end()));
    const test::Run r = test::run_kpal(
        {"convert", (dir / "hero.aseprite").string(), "-t", "gba-obj-4bpp", "--tag", "jump", "-o",
         (dir / "hero.h").string(), "--preview", (dir / "hero.png").string(), "-q"});
    BOOST_TEST_REQUIRE(r.status == 0, r.err);
    const std::string h = test::read_text(dir / "hero.h");
    BOOST_TEST(h.find("#define HERO_FRAME_COUNT 2\n") != std::string::npos, h);
    BOOST_TEST(h.find("#define HERO_FRAME_TILES 4\n") != std::string::npos, h);
    BOOST_TEST(h.find("hero_durations[2] HERO_ATTRIBUTES = {80, 200};") != std::string::npos, h);
    test::write_text(dir / "main.c", "#include \"hero.h\"\nint main(void) { return "
                                     "hero_durations[1] == 200 && sizeof hero_tiles == "
                                     "HERO_FRAME_COUNT * HERO_FRAME_TILES * 32 ? 0 : 1; }\n");
    test::must("cc -std=c99 -Wall -Werror -o " + test::q(dir / "main") + " " +
               test::q(dir / "main.c") + " && " + test::q(dir / "main"));

    const std::vector<std::string> frames = pillow_frames(dir / "hero.png");
    BOOST_TEST_REQUIRE(frames.size() == 2u);
    BOOST_TEST(frames[0].starts_with("80 "));
    BOOST_TEST(frames[1].starts_with("200 "));
    BOOST_TEST(frames[0] != frames[1]);
    // Each frame as the sprite shows it: `kpal preview` of the tiles, one frame at a time.
    test::must(test::quote(KPAL_EXE) + " convert " + test::q(dir / "hero.aseprite") +
               " -t gba-obj-4bpp --tag jump -q -o " + test::q(dir / "hero.bin"));
    test::must(test::quote(KPAL_EXE) + " preview " + test::q(dir / "hero.bin") +
               " -t gba-obj-4bpp --size 16x32 --frame 16x16 --palette " +
               test::q(dir / "hero.pal") + " -o " + test::q(dir / "sheet.png"));
    const Image sheet = kpal::load_image((dir / "sheet.png").string());
    for (int f = 0; f < 2; ++f) {
        std::string hex;
        for (std::size_t i = 0; i < 16 * 16 * 4; ++i) {
            char two[3];
            std::snprintf(two, sizeof two, "%02x", sheet.rgba[std::size_t(f) * 16 * 16 * 4 + i]);
            hex += two;
        }
        BOOST_TEST(frames[std::size_t(f)].substr(frames[std::size_t(f)].find(' ') + 1) == hex,
                   "frame " << f);
    }
}

// A GIF to a framebuffer panel: the frames stacked, each FRAME_HEIGHT rows, the durations in a
// .dur file of 16-bit words beside the pixels; --frames picks a range.
BOOST_AUTO_TEST_CASE(a_gif_converts_into_framebuffer_frames) {
    test::ScratchDir dir;
    write_gif(dir / "a.gif", 8, 4,
              {{0, 0, 8, 4, std::vector<std::uint8_t>(32, 1), 10, 1, -1},
               {1, 1, 2, 2, {2, 2, 2, 2}, 20, 1, -1},
               {4, 1, 2, 2, {3, 3, 3, 3}, 30, 1, -1}});
    const test::Run r =
        test::run_kpal({"convert", (dir / "a.gif").string(), "-t", "generic-4bpp", "--frames",
                        "2-3", "--format", "bin", "-o", (dir / "a.bin").string(), "-q"});
    BOOST_TEST_REQUIRE(r.status == 0, r.err);
    BOOST_TEST((test::read_bytes(dir / "a.dur") == std::vector<std::uint8_t>{200, 0, 44, 1}));
    BOOST_TEST(fs::file_size(dir / "a.bin") == 2u * 4u * 4u); // 2 frames, 4 rows of 4 bytes

    const std::string out = (dir / "b.h").string();
    for (const auto& [args, says] : std::vector<std::pair<std::vector<std::string>, std::string>>{
             {{"--frames", "3-5"}, "--frames 3-5: "},
             {{"--frames", "two"}, "--frames two is not FIRST-LAST"},
             {{"--tag", "walk"}, "has no tags"}}) {
        std::vector<std::string> all{
            "convert", (dir / "a.gif").string(), "-t", "generic-4bpp", "-o", out};
        all.insert(all.end(), args.begin(), args.end());
        const test::Run refused = test::run_kpal(all);
        BOOST_TEST(refused.status == 1, refused.err);
        BOOST_TEST(refused.err.find(says) != std::string::npos, refused.err);
        BOOST_TEST(!fs::exists(out));
    }
    // Arduboy's arrays take the frames as its frames, with their durations.
    const test::Run arduboy =
        test::run_kpal({"convert", (dir / "a.gif").string(), "-t", "arduboy", "--format", "arduboy",
                        "-o", (dir / "a.h").string(), "-q"});
    BOOST_TEST_REQUIRE(arduboy.status == 0, arduboy.err);
    const std::string h = test::read_text(dir / "a.h");
    BOOST_TEST(h.find("#define A_FRAMES 3\n") != std::string::npos, h);
    BOOST_TEST(h.find("#define A_FRAME_HEIGHT 4\n") != std::string::npos, h);
    BOOST_TEST(h.find("a_durations[3] PROGMEM = {100, 200, 300};") != std::string::npos, h);
    // LVGL's image holds one picture: a set of animations is refused before anything is written.
    fs::copy_file(dir / "a.gif", dir / "b.gif");
    const test::Run lvgl = test::run_kpal(
        {"convert", (dir / "a.gif").string(), (dir / "b.gif").string(), "-t", "lvgl-i4", "--format",
         "lvgl", "--shared-palette", "-o", (dir / "set").string() + "/", "-q"});
    BOOST_TEST(lvgl.status == 1, lvgl.err);
    BOOST_TEST(lvgl.err.find("--format lvgl holds one picture") != std::string::npos, lvgl.err);
    BOOST_TEST(fs::is_empty(dir / "set"));
    test::write_png(dir / "still.png", test::make_image(4, 4, [](int, int) { return Rgb{}; }));
    test::convert_refused((dir / "still.png").string(), out, {"-t", "generic-4bpp", "--tag", "x"},
                          "is a still picture, not an animation");
}
