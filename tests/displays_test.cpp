#define BOOST_TEST_MODULE displays
// The microcontroller displays end to end, through the program: mono OLED pages, e-paper planes
// and colour codes, grey OLEDs. Each output is decoded here by a decoder written from the
// controller's documentation (not kpal's layout code) and compared with kpal's preview.
#include "kpal/load.h"
#include "kpal/preview.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

#include <functional>

using namespace kpal;
using test::must;
using test::q;
using test::run_kpal;
using Bytes = std::vector<std::uint8_t>;
namespace fs = std::filesystem;

namespace {

const fs::path photo = test::shared_images / "kodak/kodim23.png";

// The preview's colour at each pixel, as 0xRRGGBB.
std::vector<std::uint32_t> colours_of(const fs::path& png) {
    const Image image = load_image(png.string());
    std::vector<std::uint32_t> out;
    for (std::size_t i = 0; i < image.pixel_count(); ++i)
        out.push_back(std::uint32_t(image.rgba[4 * i]) << 16 | image.rgba[4 * i + 1] << 8 |
                      image.rgba[4 * i + 2]);
    return out;
}

// Converts `input` for `target` at `size` (with `extra` options) into dir/out.bin and its
// preview; returns the bytes.
Bytes convert(const test::ScratchDir& dir, const fs::path& input, const std::string& target,
              const std::string& size, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"convert",   input.string(),
                                  "-t",        target,
                                  "--resize",  size,
                                  "-o",        (dir / "out.bin").string(),
                                  "--preview", (dir / "preview.png").string(),
                                  "-q"};
    args.insert(args.end(), extra.begin(), extra.end());
    const test::Run r = run_kpal(args);
    BOOST_TEST_REQUIRE(r.status == 0, r.err);
    return test::read_bytes(dir / "out.bin");
}

// Checks that decoding `bytes` pixel by pixel with `colour_at(x, y)` gives the preview.
void agrees_with_preview(const test::ScratchDir& dir, int w, int h,
                         const std::function<std::uint32_t(int, int)>& colour_at) {
    const auto preview = colours_of(dir / "preview.png");
    BOOST_TEST_REQUIRE(preview.size() == std::size_t(w) * h);
    int differ = 0;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) differ += colour_at(x, y) != preview[std::size_t(y) * w + x];
    BOOST_TEST(differ == 0);
}

void write_png(const fs::path& path, const Image& image) {
    const Bytes png = encode_rgba_png(image);
    test::write_text(path, std::string(png.begin(), png.end()));
}

} // namespace

// SSD1306 datasheet 8.7: page p holds rows 8p..8p+7, byte x of a page is column x, D0 the top
// row; 1 lights the pixel. The last page of a 61-row image is padded.
BOOST_AUTO_TEST_CASE(ssd1306_pages_hold_columns_of_eight_rows_top_row_in_bit_0) {
    test::ScratchDir dir;
    const Bytes bytes = convert(dir, photo, "ssd1306-128x64", "128x61", {"--dither", "fs"});
    BOOST_TEST_REQUIRE(bytes.size() == 128u * 8);
    agrees_with_preview(dir, 128, 61, [&](int x, int y) -> std::uint32_t {
        return (bytes[std::size_t(y / 8) * 128 + std::size_t(x)] >> (y % 8)) & 1 ? 0xffffff : 0;
    });
    for (std::size_t x = 0; x < 128; ++x) BOOST_TEST((bytes[7 * 128 + x] & 0xe0) == 0); // padding
}

// GxEPD2 / Waveshare three-colour panels: the black plane (0 = black) then the red plane
// (0 = red), each a row of bits with the leftmost pixel in bit 7; white is 1 in both.
BOOST_AUTO_TEST_CASE(three_colour_epaper_is_a_black_plane_then_a_red_plane) {
    test::ScratchDir dir;
    const Bytes bytes = convert(dir, photo, "epd-bwr", "60x40", {"--dither", "fs"});
    const std::size_t stride = 8, plane = stride * 40;
    BOOST_TEST_REQUIRE(bytes.size() == 2 * plane);
    int red = 0, black = 0;
    agrees_with_preview(dir, 60, 40, [&](int x, int y) -> std::uint32_t {
        const std::size_t at = std::size_t(y) * stride + std::size_t(x / 8);
        const bool black_ink = !((bytes[at] >> (7 - x % 8)) & 1);
        const bool red_ink = !((bytes[plane + at] >> (7 - x % 8)) & 1);
        red += red_ink, black += black_ink;
        BOOST_TEST(!(black_ink && red_ink)); // no pixel asks for both inks
        return red_ink ? 0xff0000 : black_ink ? 0x000000 : 0xffffff;
    });
    BOOST_TEST(red > 100); // the parrots are red
    BOOST_TEST(black > 100);
}

// Waveshare 4-grey: the plane sent with 10h then the one sent with 13h; white 1/1, light grey
// 1/0, dark grey 0/1, black 0/0.
BOOST_AUTO_TEST_CASE(four_grey_epaper_planes_follow_waveshare) {
    test::ScratchDir dir;
    const Bytes bytes = convert(dir, photo, "epd-4grey", "64x48");
    const std::size_t stride = 8, plane = stride * 48;
    BOOST_TEST_REQUIRE(bytes.size() == 2 * plane);
    std::array<int, 4> seen{};
    agrees_with_preview(dir, 64, 48, [&](int x, int y) -> std::uint32_t {
        const std::size_t at = std::size_t(y) * stride + std::size_t(x / 8);
        const int first = (bytes[at] >> (7 - x % 8)) & 1,
                  second = (bytes[plane + at] >> (7 - x % 8)) & 1;
        const std::uint32_t grey = first && second ? 255 : first ? 170 : second ? 85 : 0;
        ++seen[std::size_t(grey / 85)];
        return grey * 0x010101u;
    });
    for (int n : seen) BOOST_TEST(n > 0);
}

// ACeP: two pixels a byte, the first in the high nibble, codes 0-6. Remapping matches the
// colours the panel shows: a pure red patch takes the red code (4), a patch of the measured
// orange the orange code (6), and no pixel takes code 7 (not a colour).
BOOST_AUTO_TEST_CASE(acep_matches_measured_colours_and_writes_their_codes) {
    test::ScratchDir dir;
    write_png(dir / "patches.png", test::make_image(16, 8, [](int x, int) {
                  return x < 8 ? Rgb{255, 0, 0} : Rgb{177, 106, 73};
              }));
    const Bytes bytes = convert(dir, dir / "patches.png", "epd-acep7", "16x8", {"--dither", "fs"});
    BOOST_TEST_REQUIRE(bytes.size() == 64u);
    for (std::size_t row = 0; row < 8; ++row) {
        for (std::size_t i = 0; i < 4; ++i) BOOST_TEST(bytes[row * 8 + i] == 0x44);
        for (std::size_t i = 4; i < 8; ++i) BOOST_TEST(bytes[row * 8 + i] == 0x66);
    }
    const Bytes photo_bytes = convert(dir, photo, "epd-acep7", "90x60", {"--dither", "fs"});
    const std::uint32_t measured[8] = {0x393039, 0xffffff, 0x3a5b46, 0x3d3b5e,
                                       0x9c484b, 0xd0be47, 0xb16a49, 0xffffff};
    std::array<int, 8> used{};
    agrees_with_preview(dir, 90, 60, [&](int x, int y) {
        const std::uint8_t b = photo_bytes[std::size_t(y) * 45 + std::size_t(x / 2)];
        const int code = x % 2 ? b & 15 : b >> 4;
        BOOST_TEST_REQUIRE(code < 8);
        ++used[std::size_t(code)];
        return measured[code];
    });
    BOOST_TEST(used[7] == 0);
    for (int code = 0; code < 7; ++code) BOOST_TEST(used[std::size_t(code)] > 0, "code " << code);
}

// Spectra 6 leaves code 4 out: no pixel takes it, dithered or not.
BOOST_AUTO_TEST_CASE(spectra6_never_writes_its_unused_code) {
    test::ScratchDir dir;
    for (const char* dither : {"none", "fs", "bayer8"}) {
        const Bytes bytes = convert(dir, photo, "epd-spectra6", "64x40", {"--dither", dither});
        for (std::uint8_t b : bytes) {
            BOOST_TEST((b >> 4) != 4);
            BOOST_TEST((b & 15) != 4);
            BOOST_TEST((b >> 4) < 7);
            BOOST_TEST((b & 15) < 7);
        }
    }
}

// A profile gives its panel's measured colours; the preview shows them and remapping uses them.
BOOST_AUTO_TEST_CASE(a_profile_replaces_the_colours_of_a_fixed_palette) {
    test::ScratchDir dir;
    test::write_text(dir / "mine.ini", "layout = planar\nbpp = 2\npalette_format = epd-bwr\n"
                                       "shown_colors = c03030 c03030 202020 e0e0d0\n");
    convert(dir, photo, (dir / "mine.ini").string(), "40x30");
    for (std::uint32_t c : colours_of(dir / "preview.png"))
        BOOST_TEST((c == 0xc03030 || c == 0x202020 || c == 0xe0e0d0));
    test::write_text(dir / "bad.ini", "layout = planar\nbpp = 2\npalette_format = epd-bwr\n"
                                      "shown_colors = c03030 202020\n");
    const test::Run r = run_kpal({"convert", photo.string(), "-t", (dir / "bad.ini").string(), "-o",
                                  (dir / "x.bin").string()});
    BOOST_TEST(r.status == 2);
    BOOST_TEST(r.err.find("bad.ini") != std::string::npos);
    BOOST_TEST(r.err.find("shown_colors") != std::string::npos);
    BOOST_TEST(!fs::exists(dir / "x.bin"));
}

// A fixed palette has nothing to design: the palette options say so, and write nothing.
BOOST_AUTO_TEST_CASE(palette_options_are_refused_for_fixed_palettes) {
    test::ScratchDir dir;
    for (const std::vector<std::string>& extra : {std::vector<std::string>{"-k", "2"},
                                                  {"--fix", "0=#ff0000"},
                                                  {"--palette", "cga"},
                                                  {"--transparent-index", "7"}}) {
        std::vector<std::string> args{"convert",   photo.string(), "-t",
                                      "epd-acep7", "-o",           (dir / "x.bin").string()};
        args.insert(args.end(), extra.begin(), extra.end());
        const test::Run r = run_kpal(args);
        BOOST_TEST(r.status == 1, extra[0]);
        BOOST_TEST(r.err.find(extra[0]) != std::string::npos, r.err);
        BOOST_TEST(!fs::exists(dir / "x.bin"));
    }
}

// `kpal preview` decodes a fixed-palette target's bytes with no palette file.
BOOST_AUTO_TEST_CASE(preview_of_a_fixed_palette_needs_no_palette_file) {
    test::ScratchDir dir;
    convert(dir, photo, "epd-acep7", "50x30", {"--dither", "atkinson"});
    BOOST_TEST(!fs::exists(dir / "out.pal"));
    must(q(KPAL_EXE) + " preview " + q(dir / "out.bin") + " -t epd-acep7 --size 50x30 -o " +
         q(dir / "again.png"));
    BOOST_TEST(colours_of(dir / "again.png") == colours_of(dir / "preview.png"));
}
