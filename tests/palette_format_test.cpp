#define BOOST_TEST_MODULE palette_format
#include "kpal/palette_format.h"

#include <boost/test/unit_test.hpp>

#include <cstdlib>

using namespace kpal;

BOOST_AUTO_TEST_CASE(expansion_replicates_bits_like_the_hardware) {
    // The VGA DAC shows 6-bit v as (v << 2) | (v >> 4).
    for (unsigned v = 0; v < 64; ++v) BOOST_TEST(expand_channel(v, 6) == ((v << 2) | (v >> 4)));
    for (unsigned v = 0; v < 32; ++v) BOOST_TEST(expand_channel(v, 5) == ((v << 3) | (v >> 2)));
    BOOST_TEST(expand_channel(1, 1) == 255);
    BOOST_TEST(expand_channel(2, 2) == 170);
    BOOST_TEST(expand_channel(0xf, 4) == 255);
    BOOST_TEST(expand_channel(5, 3) == 182); // 101 101 10
}

BOOST_AUTO_TEST_CASE(reduction_picks_the_nearest_shown_value_for_every_input) {
    for (int bits = 1; bits <= 8; ++bits)
        for (int v = 0; v < 256; ++v) {
            const int got = expand_channel(reduce_channel(std::uint8_t(v), bits), bits);
            for (unsigned q = 0; q < (1u << bits); ++q)
                BOOST_TEST_REQUIRE(std::abs(got - v) <= std::abs(expand_channel(q, bits) - v));
        }
    // Rounded, not truncated: 255 is DAC 63 and 2 is DAC 0 but 3 is DAC 1 (shown as 4).
    BOOST_TEST(reduce_channel(255, 6) == 63u);
    BOOST_TEST(reduce_channel(2, 6) == 0u);
    BOOST_TEST(reduce_channel(3, 6) == 1u);
}

BOOST_AUTO_TEST_CASE(known_bytes_for_each_byte_order) {
    const Rgb orange{0xff, 0x80, 0x00};
    const auto bytes = [&](const char* name) {
        std::vector<std::uint8_t> out;
        encode_palette(*find_palette_format(name), std::span(&orange, 1), out);
        return out;
    };
    // RGB565 of (255, 128, 0): 11111 100000 00000 = 0xFC00.
    BOOST_TEST(bytes("rgb565-be") == (std::vector<std::uint8_t>{0xfc, 0x00}));
    BOOST_TEST(bytes("rgb565-le") == (std::vector<std::uint8_t>{0x00, 0xfc}));
    // BGR555 (GBA): red in the low bits: 0 10000 11111 = 0x021F, low byte first.
    BOOST_TEST(bytes("bgr555-le") == (std::vector<std::uint8_t>{0x1f, 0x02}));
    BOOST_TEST(bytes("vga-dac") == (std::vector<std::uint8_t>{63, 32, 0}));
    BOOST_TEST(bytes("rgb888") == (std::vector<std::uint8_t>{0xff, 0x80, 0x00}));
    BOOST_TEST(bytes("bgrx8888") == (std::vector<std::uint8_t>{0x00, 0x80, 0xff, 0x00}));
    BOOST_TEST(bytes("rgb444-be") == (std::vector<std::uint8_t>{0x0f, 0x80}));
    BOOST_TEST(bytes("rgb332") == (std::vector<std::uint8_t>{0xf0}));
    BOOST_TEST(bytes("bgra8888") == (std::vector<std::uint8_t>{0x00, 0x80, 0xff, 0xff}));
    // EGA 00rgbRGB: red full (R and r), green 128 -> level 2 of 3 (170: G only), blue none.
    BOOST_TEST(bytes("ega64") == (std::vector<std::uint8_t>{0x26}));
    // The rest, from each layout as documented. Green 128 takes the level whose bit-replicated
    // value is nearest: 6 bits 32 (130), 5 bits 16 (132), 4 bits 8 (136), 3 bits 4 (146, against
    // 109 for 3), 2 bits 2 (170, against 85).
    BOOST_TEST(bytes("bgr888") == (std::vector<std::uint8_t>{0x00, 0x80, 0xff}));
    BOOST_TEST(bytes("rgbx8888") == (std::vector<std::uint8_t>{0xff, 0x80, 0x00, 0x00}));
    // BGR565: 00000 100000 11111 = 0x041F.
    BOOST_TEST(bytes("bgr565-be") == (std::vector<std::uint8_t>{0x04, 0x1f}));
    BOOST_TEST(bytes("bgr565-le") == (std::vector<std::uint8_t>{0x1f, 0x04}));
    // RGB555: 0 11111 10000 00000 = 0x7E00, low byte first.
    BOOST_TEST(bytes("rgb555-le") == (std::vector<std::uint8_t>{0x00, 0x7e}));
    // Mega Drive CRAM (Sega Genesis Software Manual): 0000 BBB0 GGG0 RRR0, B 0, G 4, R 7 =
    // 0x008E, high byte first.
    BOOST_TEST(bytes("md9") == (std::vector<std::uint8_t>{0x00, 0x8e}));
    // Master System CRAM (SMS VDP documentation): 00BBGGRR, G 2, R 3 = 0x0B.
    BOOST_TEST(bytes("sms6") == (std::vector<std::uint8_t>{0x0b}));
    // Game Gear CRAM: ----BBBBGGGGRRRR, G 8, R 15 = 0x008F, low byte first.
    BOOST_TEST(bytes("gg12") == (std::vector<std::uint8_t>{0x8f, 0x00}));
    // PC Engine VCE (HuC6260): GGGRRRBBB in bits 8..0, G 4, R 7 = 0x138, low byte first.
    BOOST_TEST(bytes("pce9") == (std::vector<std::uint8_t>{0x38, 0x01}));
}

BOOST_AUTO_TEST_CASE(ega_shows_the_64_colours_of_the_hardware) {
    // Every register value decodes to levels 0, 85, 170, 255 as the EGA monitor shows them:
    // the 2/3 bit is worth 170, the 1/3 bit 85.
    const PaletteFormat& ega = *find_palette_format("ega64");
    for (unsigned v = 0; v < 64; ++v) {
        const std::uint8_t byte = std::uint8_t(v);
        const Rgb c = decode_palette(ega, std::span(&byte, 1))[0];
        BOOST_TEST(c.r == 170 * ((v >> 2) & 1) + 85 * ((v >> 5) & 1));
        BOOST_TEST(c.g == 170 * ((v >> 1) & 1) + 85 * ((v >> 4) & 1));
        BOOST_TEST(c.b == 170 * (v & 1) + 85 * ((v >> 3) & 1));
        std::vector<std::uint8_t> again;
        encode_palette(ega, std::span(&c, 1), again);
        BOOST_TEST(again == std::vector<std::uint8_t>{byte});
    }
}

BOOST_AUTO_TEST_CASE(decode_of_encode_is_the_snapped_colour_for_every_format) {
    for (const PaletteFormat& f : palette_formats()) {
        if (f.is_fixed()) continue; // stores nothing (next test)
        const DeviceLevels levels = device_levels(f);
        std::vector<Rgb> colors;
        for (int v = 0; v < 256; v += 3)
            colors.push_back({std::uint8_t(v), std::uint8_t(255 - v), std::uint8_t(v * 7)});
        colors.resize(84); // whole bytes of packed entries
        std::vector<std::uint8_t> bytes;
        encode_palette(f, colors, bytes);
        BOOST_TEST_REQUIRE(bytes.size() == palette_byte_size(f, colors.size()));
        BOOST_TEST_REQUIRE(palette_entry_count(f, bytes.size()) == colors.size());
        const std::vector<Rgb> shown = decode_palette(f, bytes);
        BOOST_TEST_REQUIRE(shown.size() == colors.size());
        for (std::size_t i = 0; i < colors.size(); ++i) {
            BOOST_TEST((shown[i] == levels.snap(colors[i])), f.name);
            // A shown colour encodes back to itself: decode and encode agree on the grid.
            std::vector<std::uint8_t> again;
            encode_palette(f, std::span(&shown[i], 1), again);
            BOOST_TEST((decode_palette(f, again)[0] == shown[i]), f.name);
        }
    }
}

// A fixed palette's pixels are its codes: no bytes, and it decodes to its table whatever it is
// given; every code encoding may pick has a colour, and the first is the background.
BOOST_AUTO_TEST_CASE(fixed_palettes_store_nothing_and_show_their_table) {
    int fixed = 0;
    for (const PaletteFormat& f : palette_formats()) {
        if (!f.is_fixed()) continue;
        ++fixed;
        std::vector<std::uint8_t> bytes;
        encode_palette(f, f.shown, bytes);
        BOOST_TEST(bytes.empty(), f.name);
        BOOST_TEST(palette_byte_size(f, f.shown.size()) == 0u);
        BOOST_TEST((decode_palette(f, {}) == f.shown), f.name);
        for (std::uint8_t code : f.codes) BOOST_TEST(code < f.shown.size(), f.name);
    }
    BOOST_TEST(fixed == 12);
    const PaletteFormat& acep = *find_palette_format("acep7");
    BOOST_TEST((acep.codes == std::vector<std::uint8_t>{1, 0, 2, 3, 4, 5, 6})); // no 7 ("clean")
    const PaletteFormat& spectra = *find_palette_format("spectra6");
    BOOST_TEST((spectra.codes == std::vector<std::uint8_t>{1, 0, 2, 3, 5, 6})); // no 4
}

BOOST_AUTO_TEST_CASE(snapping_a_real_mean_picks_the_nearest_level) {
    const DeviceLevels levels = device_levels(*find_palette_format("rgb565-be"));
    // Red levels near 128: 123 (15) and 132 (16).
    BOOST_TEST(levels.snap(std::array<double, 3>{127.4, 0, 0}).r == 123);
    BOOST_TEST(levels.snap(std::array<double, 3>{127.6, 0, 0}).r == 132);
    BOOST_TEST(levels.snap(std::array<double, 3>{-3, 300, 0}).g == 255);
}

// The Game Boy's BGP register (Pan Docs, "Palettes"): bits 1-0 the shade of colour 0, 3-2 of
// colour 1, 5-4 of 2, 7-6 of 3; shade 0 white, 3 black.
BOOST_AUTO_TEST_CASE(game_boy_shades_make_the_bgp_byte) {
    const PaletteFormat& f = *find_palette_format("gb-shades");
    const std::vector<Rgb> colours = {{250, 250, 250}, {0, 0, 0}, {90, 80, 85}, {160, 170, 180}};
    std::vector<std::uint8_t> bgp;
    encode_palette(f, colours, bgp);
    BOOST_TEST(bgp == std::vector<std::uint8_t>{0 | 3 << 2 | 2 << 4 | 1 << 6});
    const std::uint8_t standard = 0xe4; // the usual BGP: colour i is shade i
    const std::vector<Rgb> shown = decode_palette(f, std::span(&standard, 1));
    BOOST_TEST(
        (shown == std::vector<Rgb>{{255, 255, 255}, {170, 170, 170}, {85, 85, 85}, {0, 0, 0}}));
    BOOST_TEST(f.bytes == 0);
    BOOST_TEST(!f.in_core());
}

// NES palette RAM (NESdev wiki, "PPU palettes"): one master palette code a byte, of which the PPU
// reads six bits. Encoding never picks $0D (below black) or a black other than $0F.
BOOST_AUTO_TEST_CASE(nes_entries_are_master_palette_codes) {
    const PaletteFormat& f = *find_palette_format("nes");
    BOOST_TEST(f.shown.size() == 64u);
    const auto code_of = [&](Rgb c) {
        std::vector<std::uint8_t> out;
        encode_palette(f, std::span(&c, 1), out);
        BOOST_TEST_REQUIRE(out.size() == 1u);
        return out[0];
    };
    BOOST_TEST(code_of({0, 0, 0}) == 0x0f);
    BOOST_TEST(code_of({255, 255, 255}) == 0x20);
    for (int v = 0; v < 256; v += 5)
        for (const Rgb c : {Rgb{std::uint8_t(v), 0, 0}, Rgb{0, std::uint8_t(v), 0},
                            Rgb{0, 0, std::uint8_t(v)}, Rgb{std::uint8_t(v), std::uint8_t(v), 0}}) {
            const std::uint8_t code = code_of(c);
            BOOST_TEST_REQUIRE(code < 64);
            BOOST_TEST_REQUIRE(
                ((code != 0x0d && code != 0x1d && (code & 14) != 14) || code == 0x0f));
        }
    const std::uint8_t high = 0x40 | 0x16; // the top two bits are not stored
    BOOST_TEST((decode_palette(f, std::span(&high, 1))[0] == f.shown[0x16]));
    // Snapping is to the nearest allowed code's colour.
    const DeviceLevels levels = device_levels(f);
    BOOST_TEST(levels.gamut.size() == f.codes.size());
    BOOST_TEST((levels.snap(Rgb{3, 2, 1}) == Rgb{0, 0, 0}));
    BOOST_TEST((levels.snap(std::array<double, 3>{250.2, 252, 254.9}) == Rgb{255, 255, 255}));
}

BOOST_AUTO_TEST_CASE(lookup_by_name) {
    BOOST_TEST(find_palette_format("vga-dac")->bytes == 3);
    BOOST_TEST(find_palette_format("nope") == nullptr);
}
