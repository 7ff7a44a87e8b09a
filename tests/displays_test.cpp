#define BOOST_TEST_MODULE displays
// The microcontroller displays end to end, through the program: mono OLED pages, e-paper planes
// and colour codes, grey OLEDs. Each output is decoded here by a decoder written from the
// controller's documentation (not kpal's layout code) and compared with kpal's preview.
#include "kpal/load.h"
#include "kpal/preview.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

#include <functional>
#include <sstream>

using namespace kpal;
using test::must;
using test::q;
using test::run_kpal;
using test::write_png;
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

// ---- LVGL ------------------------------------------------------------------------------------

namespace {

// LVGL's types as its documentation and headers define them (v9: src/draw/lv_image_dsc.h,
// src/misc/lv_color.h; v8: src/draw/lv_img_buf.h), written here rather than taken from LVGL.
const std::string lvgl9_h = R"(#include <stdint.h>
#define LV_IMAGE_HEADER_MAGIC 0x19
typedef enum { LV_IMAGE_FLAGS_COMPRESSED = 0x0008 } lv_image_flags_t;
typedef enum {
    LV_COLOR_FORMAT_I1 = 0x07, LV_COLOR_FORMAT_I2 = 0x08,
    LV_COLOR_FORMAT_I4 = 0x09, LV_COLOR_FORMAT_I8 = 0x0A
} lv_color_format_t;
typedef struct {
    uint32_t magic : 8;
    uint32_t cf : 8;
    uint32_t flags : 16;
    uint32_t w : 16;
    uint32_t h : 16;
    uint32_t stride : 16;
    uint32_t reserved_2 : 16;
} lv_image_header_t;
typedef struct {
    lv_image_header_t header;
    uint32_t data_size;
    const uint8_t * data;
    const void * reserved;
    const void * reserved_2;
} lv_image_dsc_t;
)";
const std::string lvgl8_h = R"(#include <stdint.h>
enum {
    LV_IMG_CF_INDEXED_1BIT = 7, LV_IMG_CF_INDEXED_2BIT = 8,
    LV_IMG_CF_INDEXED_4BIT = 9, LV_IMG_CF_INDEXED_8BIT = 10
};
typedef struct {
    uint32_t cf : 5;
    uint32_t always_zero : 3;
    uint32_t reserved : 2;
    uint32_t w : 11;
    uint32_t h : 11;
} lv_img_header_t;
typedef struct {
    lv_img_header_t header;
    uint32_t data_size;
    const uint8_t * data;
} lv_img_dsc_t;
)";

// Prints the descriptor's header as the compiler lays it out (LVGL's .bin header is those
// bytes), then its data: what the .bin file must hold.
std::string lvgl_program(int version) {
    const std::string type = version == 9 ? "lv_image_dsc_t" : "lv_img_dsc_t";
    return "#include <stdio.h>\n#include \"img.h\"\nint main(void) {\n"
           "    if (sizeof img.header != " +
           std::string(version == 9 ? "12" : "4") +
           ") return 9;\n"
           "    fwrite(&img.header, 1, sizeof img.header, stdout);\n"
           "    fwrite(img.data, 1, img.data_size, stdout);\n"
           "    return 0;\n}\n";
}

} // namespace

// The LVGL C output compiles against LVGL's types with gcc -std=c99 -Wall -Werror (and for a
// Cortex-M4 with arm-none-eabi-gcc), and the descriptor holds exactly the .bin file's bytes.
BOOST_AUTO_TEST_CASE(lvgl_c_images_compile_and_equal_the_bin_files) {
    const std::string parrot = (test::source_dir / "tests/golden/parrot.png").string();
    const bool arm = test::have_tool("arm-none-eabi-gcc");
    for (const std::string compress : {"", " --compress lvgl-rle", " --compress lvgl-lz4"})
        for (int version : {9, 8})
            for (const char* target : {"lvgl-i1", "lvgl-i2", "lvgl-i4", "lvgl-i8"}) {
                if (version == 8 && !compress.empty()) continue; // LVGL 8 has no compressed images
                BOOST_TEST_CONTEXT("LVGL " << version << " " << target << compress) {
                    test::ScratchDir dir;
                    const std::string v = std::to_string(version);
                    must(q(KPAL_EXE) + " convert " + q(parrot) + " -t " + target +
                         " --format lvgl -q --lvgl " + v + compress + " -o " + q(dir / "img.c"));
                    must(q(KPAL_EXE) + " convert " + q(parrot) + " -t " + target +
                         " --format lvgl-bin -q --lvgl " + v + compress + " -o " +
                         q(dir / "img.bin"));
                    test::write_text(dir / "lvgl.h", version == 9 ? lvgl9_h : lvgl8_h);
                    test::write_text(dir / "main.c", lvgl_program(version));
                    const std::string cd = "cd " + q(dir.path) + " && ";
                    must(cd +
                         "cc -std=c99 -pedantic -Wall -Wextra -Werror -DLV_LVGL_H_INCLUDE_SIMPLE "
                         "-I. main.c img.c -o show");
                    const test::Run shown = must(cd + "./show");
                    BOOST_TEST((shown.out == test::read_text(dir / "img.bin")));
                    if (arm)
                        must(cd +
                             "arm-none-eabi-gcc -std=c99 -Wall -Wextra -Werror -mcpu=cortex-m4 "
                             "-mthumb -Os -DLV_LVGL_H_INCLUDE_SIMPLE -I. -c img.c -o img.o");
                }
            }
}

// A compressed LVGL image draws nothing unless lv_conf.h loads images into RAM and has the
// method's unpacker: the .c stops the build naming the setting, and compiles once it is on.
BOOST_AUTO_TEST_CASE(a_compressed_lvgl_image_needs_the_settings_that_draw_it) {
    const std::string parrot = (test::source_dir / "tests/golden/parrot.png").string();
    for (const std::string method : {"lvgl-rle", "lvgl-lz4"}) {
        test::ScratchDir dir;
        must(q(KPAL_EXE) + " convert " + q(parrot) + " -t lvgl-i4 --format lvgl -q --compress " +
             method + " -o " + q(dir / "img.c"));
        const std::string unpacker = method == "lvgl-rle" ? "LV_USE_RLE" : "LV_USE_LZ4_INTERNAL";
        const auto compile = [&](int ram_load, int unpack) {
            test::write_text(dir / "lvgl.h", "#define LV_BIN_DECODER_RAM_LOAD " +
                                                 std::to_string(ram_load) + "\n#define " +
                                                 unpacker + " " + std::to_string(unpack) + "\n" +
                                                 "#define LV_USE_LZ4_EXTERNAL 0\n" + lvgl9_h);
            return test::run_shell("cd " + q(dir.path) +
                                   " && cc -std=c99 -Wall -Werror -DLV_LVGL_H_INCLUDE_SIMPLE -I. "
                                   "-c img.c");
        };
        BOOST_TEST_CONTEXT(method) {
            BOOST_TEST(compile(1, 1).status == 0);
            const test::Run off = compile(0, 1);
            BOOST_TEST(off.status != 0);
            BOOST_TEST(off.err.find("LV_BIN_DECODER_RAM_LOAD 1") != std::string::npos, off.err);
            const test::Run no_unpacker = compile(1, 0);
            BOOST_TEST(no_unpacker.status != 0);
            BOOST_TEST(no_unpacker.err.find(unpacker + " 1") != std::string::npos, no_unpacker.err);
        }
    }
}

// The .bin header field by field (v9: magic, cf, flags, w, h, stride, reserved; v8: one u32),
// and the data decoded by this test (palette B, G, R, A; rows first pixel high) is the preview.
BOOST_AUTO_TEST_CASE(lvgl_bin_headers_and_data_decode_to_the_preview) {
    test::ScratchDir dir;
    const Bytes v9 =
        convert(dir, photo, "lvgl-i4", "45x20", {"--format", "lvgl-bin", "--row-align", "4"});
    BOOST_TEST_REQUIRE(v9.size() == 12 + 64 + 24u * 20);
    const auto u16 = [&](std::size_t at) { return v9[at] | v9[at + 1] << 8; };
    BOOST_TEST(v9[0] == 0x19); // magic
    BOOST_TEST(v9[1] == 0x09); // LV_COLOR_FORMAT_I4
    BOOST_TEST(u16(2) == 0);   // flags
    BOOST_TEST(u16(4) == 45);  // w
    BOOST_TEST(u16(6) == 20);  // h
    BOOST_TEST(u16(8) == 24);  // stride: 23 bytes padded to 4
    BOOST_TEST(u16(10) == 0);  // reserved
    agrees_with_preview(dir, 45, 20, [&](int x, int y) {
        const std::uint8_t b = v9[12 + 64 + std::size_t(y) * 24 + std::size_t(x / 2)];
        const std::size_t entry = 12 + 4 * std::size_t(x % 2 ? b & 15 : b >> 4);
        BOOST_TEST(v9[entry + 3] == 255); // opaque
        return std::uint32_t(v9[entry + 2]) << 16 | v9[entry + 1] << 8 | v9[entry];
    });

    const Bytes v8 =
        convert(dir, photo, "lvgl-i2", "45x20", {"--format", "lvgl-bin", "--lvgl", "8"});
    BOOST_TEST_REQUIRE(v8.size() == 4 + 16 + 12u * 20);
    const std::uint32_t header = v8[0] | v8[1] << 8 | v8[2] << 16 | std::uint32_t(v8[3]) << 24;
    BOOST_TEST((header & 31) == 8u);          // LV_IMG_CF_INDEXED_2BIT
    BOOST_TEST((header >> 5 & 31) == 0u);     // always_zero, reserved
    BOOST_TEST((header >> 10 & 2047) == 45u); // w
    BOOST_TEST((header >> 21) == 20u);        // h
    agrees_with_preview(dir, 45, 20, [&](int x, int y) {
        const std::uint8_t b = v8[4 + 16 + std::size_t(y) * 12 + std::size_t(x / 4)];
        const std::size_t entry = 4 + 4 * std::size_t((b >> (6 - 2 * (x % 4))) & 3);
        return std::uint32_t(v8[entry + 2]) << 16 | v8[entry + 1] << 8 | v8[entry];
    });
}

// Transparent pixels take an entry whose alpha is 0, which LVGL blends away.
BOOST_AUTO_TEST_CASE(lvgl_transparent_entry_has_alpha_zero) {
    test::ScratchDir dir;
    write_png(dir / "key.png", test::make_image(8, 4, [](int x, int) {
                  return x < 4 ? Rgb{255, 0, 255} : Rgb{10, 200, 30};
              }));
    const Bytes bin = convert(dir, dir / "key.png", "lvgl-i1", "8x4",
                              {"--format", "lvgl-bin", "--key", "#ff00ff"});
    BOOST_TEST_REQUIRE(bin.size() == 12 + 8 + 4u);
    BOOST_TEST(bin[12 + 3] == 0);   // entry 0, the transparent one
    BOOST_TEST(bin[16 + 3] == 255); // entry 1
    BOOST_TEST(bin[20] == 0x0f);    // the left half transparent
}

BOOST_AUTO_TEST_CASE(lvgl_refuses_what_its_header_cannot_say) {
    test::ScratchDir dir;
    const auto refused = [&](std::vector<std::string> args, const std::string& says) {
        args.insert(args.end(), {"--resize", "45x30"});
        test::convert_refused(photo.string(), dir / "x.bin", args, says);
    };
    refused({"-t", "st7735-4bpp", "--format", "lvgl-bin"}, "LVGL indexed target");
    refused({"-t", "lvgl-i4", "--format", "lvgl-bin", "--lvgl", "7"}, "--lvgl 7");
    refused({"-t", "lvgl-i4", "--format", "lvgl-bin", "--lvgl", "8", "--row-align", "4"},
            "no stride");
    refused({"-t", "lvgl-i4", "--format", "bin", "--lvgl", "8"}, "--lvgl does not go with");
}

// ---- XBM, masks, --fit ---------------------------------------------------------------------

// XBM as X11 documents it (XReadBitmapFile): width and height #defines, then the bytes of the
// rows, each row whole bytes, the leftmost pixel in the least significant bit.
BOOST_AUTO_TEST_CASE(xbm_decodes_to_the_preview) {
    test::ScratchDir dir;
    convert(dir, photo, "ssd1306-128x64", "37x21", {"--dither", "fs"});
    must(q(KPAL_EXE) + " convert " + q(photo) + " -t ssd1306-128x64 --resize 37x21 --dither fs " +
         "-q -o " + q(dir / "out.xbm"));
    const std::string text = test::read_text(dir / "out.xbm");
    BOOST_TEST(text.find("#define out_width 37\n#define out_height 21\n") != std::string::npos);
    Bytes bits;
    for (std::size_t at = text.find("_bits[] = {"); (at = text.find("0x", at)) != std::string::npos;
         at += 4)
        bits.push_back(std::uint8_t(std::stoul(text.substr(at, 4), nullptr, 16)));
    BOOST_TEST_REQUIRE(bits.size() == 5u * 21);
    agrees_with_preview(dir, 37, 21, [&](int x, int y) -> std::uint32_t {
        return (bits[std::size_t(y) * 5 + std::size_t(x / 8)] >> (x % 8)) & 1 ? 0xffffff : 0;
    });
    const test::Run r =
        run_kpal({"convert", photo.string(), "-t", "st7735-4bpp", "-o", (dir / "x.xbm").string()});
    BOOST_TEST(r.status == 1);
    BOOST_TEST(r.err.find("1 bit a pixel") != std::string::npos, r.err);
}

// Pillow reads an XBM only when the #defines come first; with --mask the mask is an XBM of its
// own beside it, 1 where opaque; with --progmem avr-gcc puts the bits in flash, where Adafruit
// GFX's drawXBitmap reads them on AVR (pgm_read_byte).
BOOST_AUTO_TEST_CASE(xbm_opens_in_pillow_with_its_mask_and_goes_to_flash) {
    test::ScratchDir dir;
    Image image = test::make_image(19, 10, [](int x, int y) {
        return Rgb{std::uint8_t(13 * x), std::uint8_t(25 * y), 50};
    });
    const auto opaque = [](int x, int y) { return (x + 2 * y) % 3 != 0; };
    for (int y = 0; y < 10; ++y)
        for (int x = 0; x < 19; ++x)
            image.rgba[(std::size_t(y) * 19 + x) * 4 + 3] = opaque(x, y) ? 255 : 0;
    write_png(dir / "alpha.png", image);
    must(q(KPAL_EXE) + " convert " + q(dir / "alpha.png") + " -t ssd1306-128x64 --mask " +
         "--progmem -q -o " + q(dir / "img.xbm"));
    if (test::have_tool("/usr/bin/python3")) {
        const std::string script =
            "from PIL import Image\n"
            "import sys\n"
            "for name in sys.argv[1:]:\n"
            "    im = Image.open(name)\n"
            "    print(im.size[0], im.size[1], ''.join('1' if im.getpixel((x, y)) else '0' "
            "for y in range(im.size[1]) for x in range(im.size[0])))\n";
        test::write_text(dir / "read.py", script);
        const test::Run r = must("/usr/bin/python3 " + q(dir / "read.py") + " " +
                                 q(dir / "img.xbm") + " " + q(dir / "img_mask.xbm"));
        std::string mask;
        for (int y = 0; y < 10; ++y)
            for (int x = 0; x < 19; ++x) mask += opaque(x, y) ? '1' : '0';
        // Pillow shows a set bit as 1; the mask's second line is the opaque pixels.
        BOOST_TEST(r.out.find("19 10 ") == 0u, r.out);
        BOOST_TEST(r.out.find("\n19 10 " + mask + "\n") != std::string::npos, r.out);
    }
    if (test::have_tool("avr-gcc")) {
        test::write_text(dir / "use.c", "#include \"img.xbm\"\n#include \"img_mask.xbm\"\n"
                                        "const unsigned char *used(int i) { return i ? "
                                        "img_mask_bits : img_bits; }\n");
        must("cd " + q(dir.path) + " && avr-gcc -mmcu=atmega32u4 -Os -Wall -Werror -c use.c");
        const test::Run sections = must("avr-objdump -t " + q(dir / "use.o"));
        std::istringstream lines(sections.out);
        int in_flash = 0;
        for (std::string line; std::getline(lines, line);)
            in_flash += line.find(".progmem.data") != std::string::npos &&
                        (line.ends_with(" img_bits") || line.ends_with(" img_mask_bits"));
        BOOST_TEST(in_flash == 2, sections.out);
    }
}

// --mask: 1 where alpha is at least the threshold. On a colour target it is rows of bits with
// the leftmost in bit 7 (Adafruit GFX drawRGBBitmap: mask[y * ((w + 7) / 8) + x / 8] &
// (0x80 >> (x & 7))); on a 1-bit target it takes the target's layout (pages on an SSD1306).
BOOST_AUTO_TEST_CASE(masks_mark_the_opaque_pixels_in_the_layout_of_their_use) {
    test::ScratchDir dir;
    Image image = test::make_image(13, 11, [](int x, int y) {
        return Rgb{std::uint8_t(20 * x), std::uint8_t(20 * y), 90};
    });
    const auto opaque = [](int x, int y) { return (x * 7 + y * 3) % 5 != 0; };
    for (int y = 0; y < 11; ++y)
        for (int x = 0; x < 13; ++x)
            image.rgba[(std::size_t(y) * 13 + x) * 4 + 3] = opaque(x, y) ? 200 : 40;
    write_png(dir / "alpha.png", image);
    convert(dir, dir / "alpha.png", "st7735-4bpp", "13x11", {"--mask"});
    const Bytes rows = test::read_bytes(dir / "out.mask");
    BOOST_TEST_REQUIRE(rows.size() == 2u * 11);
    convert(dir, dir / "alpha.png", "ssd1306-128x64", "13x11", {"--mask"});
    const Bytes pages = test::read_bytes(dir / "out.mask");
    BOOST_TEST_REQUIRE(pages.size() == 13u * 2);
    for (int y = 0; y < 11; ++y)
        for (int x = 0; x < 13; ++x) {
            BOOST_TEST(bool(rows[std::size_t(y) * 2 + std::size_t(x / 8)] & (0x80 >> (x & 7))) ==
                       opaque(x, y));
            BOOST_TEST(bool(pages[std::size_t(y / 8) * 13 + std::size_t(x)] & (1 << (y % 8))) ==
                       opaque(x, y));
        }
    must(q(KPAL_EXE) + " convert " + q(dir / "alpha.png") + " -t st7735-4bpp --mask -q -o " +
         q(dir / "img.h"));
    const std::string header = test::read_text(dir / "img.h");
    BOOST_TEST(header.find("img_mask[22]") != std::string::npos);
    BOOST_TEST(header.find("#define IMG_MASK_STRIDE 2\n") != std::string::npos);
}

// --fit: the centre of the image in the screen's aspect, scaled to the screen.
BOOST_AUTO_TEST_CASE(fit_fills_the_screen_with_the_centre_of_the_image) {
    test::ScratchDir dir;
    // 48x16, each column its own grey: fitting to 16x16 keeps columns 16..31 unchanged.
    write_png(dir / "wide.png", test::make_image(48, 16, [](int x, int) {
                  return Rgb{std::uint8_t(5 * x), std::uint8_t(5 * x), std::uint8_t(5 * x)};
              }));
    test::write_text(dir / "grey.ini", "layout = linear\nbpp = 8\npalette_format = rgb888\n"
                                       "width = 16\nheight = 16\n");
    must(q(KPAL_EXE) + " convert " + q(dir / "wide.png") + " -t " + q(dir / "grey.ini") +
         " --fit screen -q -o " + q(dir / "out.bin") + " --preview " + q(dir / "preview.png"));
    agrees_with_preview(dir, 16, 16,
                        [](int x, int) { return std::uint32_t(5 * (x + 16)) * 0x010101u; });
    const test::Run r = run_kpal({"convert", photo.string(), "-t", "generic-8bpp", "--fit",
                                  "screen", "-o", (dir / "x.bin").string()});
    BOOST_TEST(r.status == 1);
    BOOST_TEST(r.err.find("no screen size") != std::string::npos, r.err);
    // --resize screen stretches to the screen instead.
    must(q(KPAL_EXE) + " convert " + q(dir / "wide.png") + " -t " + q(dir / "grey.ini") +
         " --resize screen -q -o " + q(dir / "out.bin") + " --preview " + q(dir / "preview.png"));
    agrees_with_preview(dir, 16, 16, [](int x, int) {
        return std::uint32_t(5 * (3 * x + 1)) * 0x010101u; // the mean of columns 3x..3x+2
    });
    const test::Run both = run_kpal({"convert", photo.string(), "-t", "epd-bw", "--fit", "8x8",
                                     "--resize", "8x8", "-o", (dir / "x.bin").string()});
    BOOST_TEST(both.status == 1);
}

// Arduboy2 Sprites as Sprites.cpp reads them: width and height bytes, then frame f at
// f * width * ceil(height / 8) (twice that in a plus-mask array, whose bytes alternate image
// and mask); the mask array has no size bytes. Frames come from the sheet in reading order.
BOOST_AUTO_TEST_CASE(arduboy_sprites_hold_frames_in_pages_with_their_masks) {
    test::ScratchDir dir;
    Image sheet = test::make_image(48, 20, [](int x, int y) {
        return (x * x + 3 * y) % 7 < 3 ? Rgb{250, 250, 250} : Rgb{5, 5, 5};
    });
    const auto opaque = [](int x, int y) { return (x + y) % 9 != 0; };
    for (int y = 0; y < 20; ++y)
        for (int x = 0; x < 48; ++x)
            sheet.rgba[(std::size_t(y) * 48 + x) * 4 + 3] = opaque(x, y) ? 255 : 0;
    write_png(dir / "sheet.png", sheet);
    must(q(KPAL_EXE) + " convert " + q(dir / "sheet.png") + " -t arduboy --format arduboy " +
         "--frame 16x10 --mask -q -o " + q(dir / "spr.h") + " --preview " + q(dir / "preview.png"));
    // Print the three arrays with the host compiler, then decode them here.
    test::write_text(dir / "main.c", "#include <stdio.h>\n#include \"spr.h\"\nint main(void) {\n"
                                     "    fwrite(spr, 1, sizeof spr, stdout);\n"
                                     "    fwrite(spr_mask, 1, sizeof spr_mask, stdout);\n"
                                     "    fwrite(spr_plus_mask, 1, sizeof spr_plus_mask, stdout);\n"
                                     "    return SPR_FRAMES == 6 ? 0 : 1;\n}\n");
    const std::string cd = "cd " + q(dir.path) + " && ";
    must(cd + "cc -std=c99 -Wall -Wextra -Werror main.c -o show");
    const std::string out = must(cd + "./show").out;
    const std::size_t frame_bytes = 16 * 2, frames = 6;
    BOOST_TEST_REQUIRE(out.size() == (2 + frames * frame_bytes) + frames * frame_bytes +
                                         (2 + 2 * frames * frame_bytes));
    const auto byte = [&](std::size_t at) { return std::uint8_t(out[at]); };
    BOOST_TEST(byte(0) == 16);
    BOOST_TEST(byte(1) == 10);
    const std::size_t mask_at = 2 + frames * frame_bytes, plus_at = mask_at + frames * frame_bytes;
    BOOST_TEST(byte(plus_at) == 16);
    BOOST_TEST(byte(plus_at + 1) == 10);
    agrees_with_preview(dir, 48, 20, [&](int x, int y) -> std::uint32_t {
        const std::size_t f = std::size_t(y / 10) * 3 + std::size_t(x / 16);
        const int fx = x % 16, fy = y % 10;
        const std::size_t in_frame = std::size_t(fy / 8) * 16 + std::size_t(fx);
        const bool lit = (byte(2 + f * frame_bytes + in_frame) >> (fy % 8)) & 1;
        const bool shown = (byte(mask_at + f * frame_bytes + in_frame) >> (fy % 8)) & 1;
        BOOST_TEST(shown == opaque(x, y));
        BOOST_TEST(((byte(plus_at + 2 + 2 * (f * frame_bytes + in_frame)) >> (fy % 8)) & 1) == lit);
        BOOST_TEST(((byte(plus_at + 3 + 2 * (f * frame_bytes + in_frame)) >> (fy % 8)) & 1) ==
                   shown);
        return lit ? 0xffffff : 0;
    });
    if (test::have_tool("avr-gcc")) // the Arduboy's compiler: PROGMEM arrays in flash
        must(cd + "avr-gcc -mmcu=atmega32u4 -Os -std=c99 -Wall -Werror -x c -c spr.h -o spr.o");
}
