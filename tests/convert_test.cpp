#define BOOST_TEST_MODULE convert
#include "kpal/convert.h"
#include "kpal/dither.h"
#include "kpal/error.h"
#include "kpal/load.h"
#include "kpal/remap.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

using namespace kpal;

namespace {
const Image& photo() {
    static const Image img = load_image((test::source_dir / "tests/golden/parrot.png").string());
    return img;
}

// The photo with a transparent hole (alpha 0) in a square.
Image with_hole() {
    Image img = photo();
    for (int y = 5; y < 15; ++y)
        for (int x = 10; x < 20; ++x) img.rgba[(std::size_t(y) * img.width + x) * 4 + 3] = 0;
    return img;
}
} // namespace

BOOST_AUTO_TEST_CASE(pinned_entries_keep_their_exact_colours_and_indices) {
    const Target target = load_target("vga-mode13h");
    ConvertOptions options;
    options.colors = 16;
    // Colours the DAC shows exactly: 6-bit 63 -> 255, 0 -> 0, 42 -> 170.
    options.fixed = {{0, Rgb{0, 0, 0}}, {7, Rgb{170, 170, 170}}, {15, Rgb{255, 255, 255}}};
    const Conversion c = convert(photo(), target, options);
    BOOST_TEST_REQUIRE(c.palette.size() == 16u);
    BOOST_TEST((c.shown_palette[0] == Rgb{0, 0, 0}));
    BOOST_TEST((c.shown_palette[7] == Rgb{170, 170, 170}));
    BOOST_TEST((c.shown_palette[15] == Rgb{255, 255, 255}));
    // The designed entries differ from the pinned ones and from each other.
    for (std::size_t a = 0; a < 16; ++a)
        for (std::size_t b = a + 1; b < 16; ++b)
            BOOST_TEST_REQUIRE(!(c.palette[a] == c.palette[b]));
}

BOOST_AUTO_TEST_CASE(transparent_pixels_and_only_they_take_the_transparent_index) {
    const Image img = with_hole();
    ConvertOptions options;
    options.transparent_index = 3;
    for (DitherKind kind : {DitherKind::none, DitherKind::fs, DitherKind::bayer4}) {
        options.dither.kind = kind;
        const Conversion c = convert(img, load_target("generic-4bpp"), options);
        BOOST_TEST_REQUIRE((c.transparent == 3));
        for (std::size_t i = 0; i < img.pixel_count(); ++i)
            BOOST_TEST_REQUIRE((c.indexed.indices[i] == 3) == (img.rgba[4 * i + 3] == 0));
    }
}

BOOST_AUTO_TEST_CASE(a_colour_key_is_transparent_too) {
    Image img = photo();
    const Rgb key = img.rgb_at(0);
    ConvertOptions options;
    options.transparency.key = key;
    const Conversion c = convert(img, load_target("generic-8bpp"), options);
    BOOST_TEST_REQUIRE((c.transparent == 0));
    for (std::size_t i = 0; i < img.pixel_count(); ++i)
        BOOST_TEST_REQUIRE((c.indexed.indices[i] == 0) == (img.rgb_at(i) == key));
}

BOOST_AUTO_TEST_CASE(an_opaque_image_reserves_no_index) {
    const Conversion c = convert(photo(), load_target("generic-4bpp"), ConvertOptions{});
    BOOST_TEST(!c.transparent.has_value());
    BOOST_TEST(c.colors_used == 16);
}

BOOST_AUTO_TEST_CASE(a_shared_palette_does_not_depend_on_the_order_of_the_images) {
    const Image a = photo(),
                b = load_image((test::source_dir / "tests/golden/gradient.png").string());
    const Image c = with_hole();
    const Target target = load_target("generic-8bpp");
    const auto shared = [&](std::vector<const Image*> images) {
        Histogram all;
        bool any = false;
        for (const Image* img : images) {
            const Transparency alpha;
            const Histogram h = build_histogram(*img, &alpha);
            any = any || h.total() < img->pixel_count();
            merge_histogram(all, h);
        }
        return choose_palette(all, any, target, ConvertOptions{}).entries;
    };
    BOOST_TEST((shared({&a, &b, &c}) == shared({&c, &a, &b})));
    BOOST_TEST((shared({&a, &b, &c}) == shared({&b, &c, &a})));
}

BOOST_AUTO_TEST_CASE(palette_order_sorts_the_designed_entries) {
    ConvertOptions options;
    options.order = PaletteOrder::luminance;
    const auto luma = [](Rgb c) { return 299 * c.r + 587 * c.g + 114 * c.b; };
    const Conversion lum = convert(photo(), load_target("generic-4bpp"), options);
    for (std::size_t i = 1; i < lum.palette.size(); ++i)
        BOOST_TEST_REQUIRE(luma(lum.palette[i - 1]) <= luma(lum.palette[i]));
    options.order = PaletteOrder::frequency;
    const Conversion freq = convert(photo(), load_target("generic-4bpp"), options);
    std::vector<int> counts(16, 0);
    for (std::uint8_t i : freq.indexed.indices) ++counts[i];
    for (std::size_t i = 1; i < 16; ++i) BOOST_TEST_REQUIRE(counts[i - 1] >= counts[i]);
    // The same colours whatever the order.
    const Conversion plain = convert(photo(), load_target("generic-4bpp"), ConvertOptions{});
    auto sorted = [](std::vector<Rgb> v) {
        std::sort(v.begin(), v.end(), [](Rgb a, Rgb b) { return pack_rgb(a) < pack_rgb(b); });
        return v;
    };
    BOOST_TEST((sorted(lum.palette) == sorted(plain.palette)));
    BOOST_TEST((sorted(freq.palette) == sorted(plain.palette)));
}

BOOST_AUTO_TEST_CASE(a_given_palette_is_used_as_it_is_and_pixels_take_their_nearest_entry) {
    ConvertOptions options;
    options.given_palette = {{0, 0, 0}, {255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};
    const Conversion c = convert(photo(), load_target("generic-8bpp"), options);
    BOOST_TEST((c.palette == options.given_palette));
    for (std::size_t i = 0; i < photo().pixel_count(); ++i)
        BOOST_TEST_REQUIRE(c.indexed.indices[i] ==
                           nearest_exhaustive(options.given_palette, photo().rgb_at(i)));
}

BOOST_AUTO_TEST_CASE(impossible_requests_are_usage_errors) {
    const auto fails = [](ConvertOptions options) {
        try {
            convert(photo(), load_target("generic-4bpp"), options);
        } catch (const Error& e) {
            return e.kind() == ErrorKind::usage;
        }
        return false;
    };
    ConvertOptions o;
    o.fixed = {{16, Rgb{}}};
    BOOST_TEST(fails(o));
    o.fixed = {{2, Rgb{}}, {2, Rgb{1, 1, 1}}};
    BOOST_TEST(fails(o));
    o = {};
    o.transparent_index = 16;
    BOOST_TEST(fails(o));
    o = {};
    o.transparent_index = 1;
    o.fixed = {{1, Rgb{}}};
    BOOST_TEST(fails(o));
    o = {};
    o.given_palette.assign(17, Rgb{});
    BOOST_TEST(fails(o));
}

// Ordered dithering on tile hardware repeats with the tiles: a picture of four 8x8 tiles cut
// from the photo, each repeated many times over a 128x64 screen, dithered by bayer8 or
// blue-noise, keeps the four tiles (none added); error diffusion adds hundreds.
BOOST_AUTO_TEST_CASE(ordered_dithering_keeps_repeated_tiles_identical) {
    const Image tiled = test::make_image(128, 64, [](int x, int y) {
        const int tile = (x / 8 * 7 + y / 8 * 3) % 4; // which of the four
        return photo().rgb_at(std::size_t(8 + y % 8) * std::size_t(photo().width) +
                              std::size_t(tile * 9 + x % 8));
    });
    const Target target = load_target("gba-bg-4bpp");
    ConvertOptions options;
    options.tile.flips = false;
    const std::size_t plain = convert(tiled, target, options).tiles->tiles.size();
    BOOST_TEST(plain == 4u);
    for (DitherKind kind : {DitherKind::bayer8, DitherKind::blue_noise}) {
        options.dither = {kind};
        BOOST_TEST(convert(tiled, target, options).tiles->tiles.size() == plain);
    }
    options.dither = {DitherKind::fs};
    BOOST_TEST(convert(tiled, target, options).tiles->tiles.size() > 100u);
}
