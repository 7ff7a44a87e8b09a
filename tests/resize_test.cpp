#define BOOST_TEST_MODULE resize
#include "kpal/resize.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

using namespace kpal;

BOOST_AUTO_TEST_CASE(halving_averages_each_2x2_block) {
    const Image img = test::make_image(4, 2, [](int x, int y) {
        return Rgb{std::uint8_t(x * 60 + y * 10), std::uint8_t(200 - x), std::uint8_t(y * 100)};
    });
    const Image half = resize_area(img, 2, 1);
    BOOST_TEST_REQUIRE(half.width == 2);
    for (int x = 0; x < 2; ++x) {
        int sum[3] = {};
        for (int dy = 0; dy < 2; ++dy)
            for (int dx = 0; dx < 2; ++dx) {
                const Rgb c = img.rgb_at(std::size_t(dy * 4 + 2 * x + dx));
                sum[0] += c.r, sum[1] += c.g, sum[2] += c.b;
            }
        const Rgb got = half.rgb_at(std::size_t(x));
        BOOST_TEST(std::abs(got.r - sum[0] / 4.0) <= 0.5);
        BOOST_TEST(std::abs(got.g - sum[1] / 4.0) <= 0.5);
        BOOST_TEST(std::abs(got.b - sum[2] / 4.0) <= 0.5);
    }
}

BOOST_AUTO_TEST_CASE(a_flat_image_stays_flat_at_any_size) {
    const Image img = test::make_image(7, 5, [](int, int) { return Rgb{12, 200, 99}; });
    for (auto [w, h] : {std::pair{3, 2}, {7, 5}, {13, 11}, {1, 1}, {20, 3}}) {
        const Image out = resize_area(img, w, h);
        BOOST_TEST_REQUIRE(out.pixel_count() == std::size_t(w) * h);
        for (std::size_t i = 0; i < out.pixel_count(); ++i) {
            BOOST_TEST_REQUIRE((out.rgb_at(i) == Rgb{12, 200, 99}));
            BOOST_TEST_REQUIRE(out.rgba[4 * i + 3] == 255);
        }
    }
}

BOOST_AUTO_TEST_CASE(the_same_size_is_the_identity_and_the_mean_is_kept) {
    test::Random rnd(4);
    const Image img = test::make_image(30, 20, [&](int, int) {
        return Rgb{std::uint8_t(rnd.below(256)), std::uint8_t(rnd.below(256)),
                   std::uint8_t(rnd.below(256))};
    });
    BOOST_TEST((resize_area(img, 30, 20).rgba == img.rgba));
    // Area averaging keeps the image's mean (up to rounding) for a whole-number ratio.
    const Image small = resize_area(img, 10, 5);
    double a = 0, b = 0;
    for (std::size_t i = 0; i < img.pixel_count(); ++i) a += img.rgb_at(i).r;
    for (std::size_t i = 0; i < small.pixel_count(); ++i) b += small.rgb_at(i).r;
    BOOST_TEST(a / double(img.pixel_count()) == b / double(small.pixel_count()),
               boost::test_tools::tolerance(0.01));
}

// A portrait (a red "head" band on top, blue below) onto a wide 128x64 screen: crop at the
// centre cuts the head off, crop at the top keeps it, and letterbox keeps the whole picture,
// 32 wide at the anchor with bars of the fill (transparent here) beside it.
BOOST_AUTO_TEST_CASE(a_portrait_keeps_its_head_by_anchor_or_letterbox) {
    const Image portrait = test::make_image(60, 120, [](int, int y) {
        return y < 20 ? Rgb{255, 0, 0} : Rgb{0, 0, 255};
    });
    const auto red_rows = [](const Image& img) {
        int rows = 0;
        for (int y = 0; y < img.height; ++y)
            rows +=
                img.rgb_at(std::size_t(y) * std::size_t(img.width) + std::size_t(img.width / 2)).r >
                128;
        return rows;
    };
    BOOST_TEST(red_rows(fit_cover(portrait, 128, 64)) == 0);
    // The top 30 rows of 120 are kept: 20 red of them fill 42.7 of the 64.
    BOOST_TEST(red_rows(fit_cover(portrait, 128, 64, *parse_anchor("top"))) == 43);
    const Image boxed = fit_letterbox(portrait, 128, 64, *parse_anchor("center"), {0, 0, 0, 0});
    BOOST_TEST_REQUIRE(boxed.width == 128);
    BOOST_TEST_REQUIRE(boxed.height == 64);
    // 60x120 scaled to 32x64, columns 48..79.
    for (int x = 0; x < 128; ++x) {
        const bool inside = x >= 48 && x < 80;
        BOOST_TEST_REQUIRE((boxed.rgba[std::size_t(x) * 4 + 3] == 255) == inside, x);
    }
    BOOST_TEST(red_rows(boxed) >= 10);
    const Image left = fit_letterbox(portrait, 128, 64, *parse_anchor("left"), {9, 9, 9, 255});
    BOOST_TEST((left.rgb_at(0) == Rgb{255, 0, 0}));
    BOOST_TEST((left.rgb_at(127) == Rgb{9, 9, 9}));
    BOOST_TEST(!parse_anchor("middle"));
}

// Flattening blends each pixel with the background by its alpha, rounded: values worked by hand.
BOOST_AUTO_TEST_CASE(flattening_blends_by_alpha_and_makes_every_pixel_opaque) {
    Image img{4, 1, {}};
    img.rgba = {200, 100, 0,   255, // opaque: unchanged
                200, 100, 0,   0,   // transparent: the background
                200, 100, 0,   128, // half: (200*128 + 10*127 + 127) / 255 = 105.9 -> 105
                0,   0,   255, 51}; // a fifth: (0*51 + 10*204 + 127) / 255 = 8.49 -> 8
    const Image flat = flatten(img, Rgb{10, 20, 30});
    const std::vector<std::uint8_t> expected = {200, 100, 0,  255, 10, 20, 30, 255,
                                                105, 60,  15, 255, 8,  16, 75, 255};
    BOOST_TEST(flat.rgba == expected, boost::test_tools::per_element());
}
