#define BOOST_TEST_MODULE dither
#include "kpal/dither.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace kpal;

namespace {
const std::vector<Rgb> palette{
    {0, 0, 0}, {255, 255, 255}, {200, 30, 30}, {40, 90, 200}, {128, 128, 128}};
const DitherKind every[] = {DitherKind::none,      DitherKind::fs,     DitherKind::sierra_lite,
                            DitherKind::atkinson,  DitherKind::bayer4, DitherKind::bayer8,
                            DitherKind::blue_noise};

Image gradient(int w, int h) {
    return test::make_image(w, h, [](int x, int y) {
        return Rgb{std::uint8_t(x * 255 / 63), std::uint8_t(y * 4), std::uint8_t((x + y) % 256)};
    });
}
} // namespace

BOOST_AUTO_TEST_CASE(a_flat_area_that_matches_an_entry_stays_flat) {
    const Image flat = test::make_image(23, 17, [](int, int) { return Rgb{200, 30, 30}; });
    for (DitherKind kind : every) {
        const IndexedImage out = dither(flat, palette, {}, {}, {kind, 1.0});
        for (std::uint8_t i : out.indices) BOOST_TEST_REQUIRE(i == 2);
    }
}

BOOST_AUTO_TEST_CASE(ordered_dithering_depends_only_on_the_position_modulo_the_matrix) {
    // Shift the image by the matrix size: the overlapping pixels keep their indices.
    const int w = 100, h = 90;
    const Image big = gradient(w, h);
    for (auto [kind, n] : {std::pair{DitherKind::bayer4, 4},
                           {DitherKind::bayer8, 8},
                           {DitherKind::blue_noise, 64}}) {
        const Image shifted = test::make_image(w - n, h - n, [&](int x, int y) {
            return big.rgb_at(std::size_t(y + n) * w + std::size_t(x + n));
        });
        const IndexedImage a = dither(big, palette, {}, {}, {kind, 1.0});
        const IndexedImage b = dither(shifted, palette, {}, {}, {kind, 1.0});
        for (int y = 0; y < h - n; ++y)
            for (int x = 0; x < w - n; ++x)
                BOOST_TEST_REQUIRE(
                    b.indices[std::size_t(y) * std::size_t(w - n) + std::size_t(x)] ==
                    a.indices[std::size_t(y + n) * w + std::size_t(x + n)]);
    }
}

BOOST_AUTO_TEST_CASE(error_diffusion_keeps_the_average_colour) {
    // A grey of 64 between black and white: about a quarter of the pixels turn white.
    const std::vector<Rgb> bw{{0, 0, 0}, {255, 255, 255}};
    const Image grey = test::make_image(64, 64, [](int, int) { return Rgb{64, 64, 64}; });
    for (DitherKind kind :
         {DitherKind::fs, DitherKind::sierra_lite, DitherKind::bayer8, DitherKind::blue_noise}) {
        const IndexedImage out = dither(grey, bw, {}, {}, {kind, 1.0});
        double mean = 0;
        for (std::uint8_t i : out.indices) mean += bw[i].r;
        mean /= double(out.indices.size());
        BOOST_TEST(std::abs(mean - 64) < 4, "mean " << mean);
    }
    // Without dithering every pixel is black; at strength 0 too.
    for (std::uint8_t i : dither(grey, bw, {}, {}, {DitherKind::fs, 0.0}).indices)
        BOOST_TEST_REQUIRE(i == 0);
}

BOOST_AUTO_TEST_CASE(unusable_entries_and_skipped_pixels_are_left_alone) {
    const Image img = gradient(32, 16);
    std::vector<bool> usable(palette.size(), true);
    usable[4] = false;
    std::vector<bool> skip(img.pixel_count(), false);
    for (std::size_t i = 0; i < skip.size(); i += 3) skip[i] = true;
    for (DitherKind kind : every) {
        const IndexedImage out = dither(img, palette, usable, skip, {kind, 1.0});
        for (std::size_t i = 0; i < out.indices.size(); ++i) {
            BOOST_TEST_REQUIRE(out.indices[i] != 4);
            if (skip[i]) BOOST_TEST_REQUIRE(out.indices[i] == 0);
        }
    }
}

BOOST_AUTO_TEST_CASE(the_same_input_gives_the_same_indices) {
    const Image img = gradient(40, 30);
    for (DitherKind kind : every)
        BOOST_TEST((dither(img, palette, {}, {}, {kind, 0.7}).indices ==
                    dither(img, palette, {}, {}, {kind, 0.7}).indices));
}

BOOST_AUTO_TEST_CASE(names) {
    BOOST_TEST((parse_dither("sierra-lite") == DitherKind::sierra_lite));
    BOOST_TEST((parse_dither("bayer8") == DitherKind::bayer8));
    BOOST_TEST(!parse_dither("random").has_value());
}

// The blue-noise map holds every rank once, is the same on every call, and is blue: at every
// grey level its dots spread evenly, so a 4x4 box blur of the thresholded map varies much less
// than for the Bayer map's crosshatch-free rival, white noise (the same ranks shuffled by a
// fixed generator).
BOOST_AUTO_TEST_CASE(the_blue_noise_map_is_a_permutation_whose_dots_spread_evenly) {
    const int n = 64;
    const std::vector<int> map = blue_noise(n);
    BOOST_TEST((map == blue_noise(n)));
    std::vector<int> sorted = map;
    std::sort(sorted.begin(), sorted.end());
    for (int i = 0; i < n * n; ++i) BOOST_TEST_REQUIRE(sorted[std::size_t(i)] == i);
    std::vector<int> white = map;
    test::Random random(7);
    for (std::size_t i = white.size(); i > 1; --i)
        std::swap(white[i - 1], white[random.next() % i]);
    // The variance of the fraction of dots in each 4x4 window (on the torus).
    const auto blurred_variance = [&](const std::vector<int>& m, int level) {
        double sum = 0, squares = 0;
        for (int y = 0; y < n; ++y)
            for (int x = 0; x < n; ++x) {
                int dots = 0;
                for (int dy = 0; dy < 4; ++dy)
                    for (int dx = 0; dx < 4; ++dx)
                        dots += m[std::size_t(((y + dy) % n) * n + (x + dx) % n)] < level;
                sum += dots / 16.0, squares += dots * dots / 256.0;
            }
        const double mean = sum / (n * n);
        return squares / (n * n) - mean * mean;
    };
    for (int level : {n * n / 8, n * n / 4, n * n / 2}) {
        BOOST_TEST_CONTEXT("level " << level) {
            BOOST_TEST(blurred_variance(map, level) < 0.25 * blurred_variance(white, level));
        }
    }
}
