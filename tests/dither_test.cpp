#define BOOST_TEST_MODULE dither
#include "kpal/dither.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <span>
#include <tuple>

using namespace kpal;

namespace {
const std::vector<Rgb> palette{
    {0, 0, 0}, {255, 255, 255}, {200, 30, 30}, {40, 90, 200}, {128, 128, 128}};
const DitherKind every[] = {DitherKind::none,        DitherKind::search,    DitherKind::fs,
                            DitherKind::sierra_lite, DitherKind::atkinson,  DitherKind::bayer4,
                            DitherKind::bayer8,      DitherKind::blue_noise};
const std::vector<Rgb> bw{{0, 0, 0}, {255, 255, 255}};

Image flat(Rgb c, int side = 96) {
    return test::make_image(side, side, [c](int, int) { return c; });
}

// The mean grey level a dithered black-and-white picture shows.
double mean_level(const IndexedImage& out) {
    double mean = 0;
    for (std::uint8_t i : out.indices) mean += bw[i].r;
    return mean / double(out.indices.size());
}

// The squared error the eye sees, written apart from the code under test: both pictures
// blurred by a Gaussian of sigma 1 (7 taps, edges clamped), summed over channels and pixels.
double blurred_error(const Image& image, const IndexedImage& out, std::span<const Rgb> shown) {
    const int w = image.width, h = image.height;
    double taps[7], sum = 0, total = 0;
    for (int k = -3; k <= 3; ++k) sum += taps[k + 3] = std::exp(-k * k / 2.0);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int ch = 0; ch < 3; ++ch) {
                double d = 0;
                for (int dy = -3; dy <= 3; ++dy)
                    for (int dx = -3; dx <= 3; ++dx) {
                        const auto i = std::size_t(std::clamp(y + dy, 0, h - 1)) * std::size_t(w) +
                                       std::size_t(std::clamp(x + dx, 0, w - 1));
                        const Rgb a = image.rgb_at(i), b = shown[out.indices[i]];
                        const int va = ch == 0 ? a.r : ch == 1 ? a.g : a.b;
                        const int vb = ch == 0 ? b.r : ch == 1 ? b.g : b.b;
                        d += taps[dy + 3] * taps[dx + 3] / (sum * sum) * (vb - va);
                    }
                total += d * d;
            }
    return total;
}

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
    // On tile hardware (tile 8), blue-noise repeats every 8 pixels.
    for (auto [kind, n, tile] : {std::tuple{DitherKind::bayer4, 4, 0},
                                 {DitherKind::bayer8, 8, 0},
                                 {DitherKind::blue_noise, 64, 0},
                                 {DitherKind::blue_noise, 8, 8}}) {
        const Image shifted = test::make_image(w - n, h - n, [&](int x, int y) {
            return big.rgb_at(std::size_t(y + n) * w + std::size_t(x + n));
        });
        const IndexedImage a = dither(big, palette, {}, {}, {kind, 1.0, tile});
        const IndexedImage b = dither(shifted, palette, {}, {}, {kind, 1.0, tile});
        for (int y = 0; y < h - n; ++y)
            for (int x = 0; x < w - n; ++x)
                BOOST_TEST_REQUIRE(
                    b.indices[std::size_t(y) * std::size_t(w - n) + std::size_t(x)] ==
                    a.indices[std::size_t(y + n) * w + std::size_t(x + n)]);
    }
}

BOOST_AUTO_TEST_CASE(error_diffusion_keeps_the_average_colour) {
    // A grey of 64 between black and white: about a quarter of the pixels turn white.
    const Image grey = flat({64, 64, 64}, 64);
    for (DitherKind kind :
         {DitherKind::fs, DitherKind::sierra_lite, DitherKind::bayer8, DitherKind::blue_noise}) {
        const double mean = mean_level(dither(grey, bw, {}, {}, {kind, 1.0}));
        BOOST_TEST(std::abs(mean - 64) < 4, "mean " << mean);
    }
    // Without dithering every pixel is black; at strength 0 too.
    for (std::uint8_t i : dither(grey, bw, {}, {}, {DitherKind::fs, 0.0}).indices)
        BOOST_TEST_REQUIRE(i == 0);
}

// Every grey level, the darkest and lightest too, keeps its brightness on a 1-bit panel by error
// diffusion (a fixed clamp on the error diffused turned greys under a quarter black and over
// three quarters white).
BOOST_AUTO_TEST_CASE(a_one_bit_panel_keeps_every_grey_level) {
    for (DitherKind kind : {DitherKind::fs, DitherKind::sierra_lite})
        for (std::uint8_t level : {8, 20, 40, 128, 215, 235, 247}) {
            const double mean = mean_level(dither(flat({level, level, level}), bw, {}, {}, {kind}));
            BOOST_TEST(std::abs(mean - level) < 2.5, "level " << int(level) << ": " << mean);
        }
}

// The search keeps grey levels between the entries of a 16-grey ramp. (Between two entries as
// far apart as black and white it does not: a lone dot costs more than its blur gains, so it
// darkens shadows and lightens highlights. docs/bench-dither.md measures it.)
BOOST_AUTO_TEST_CASE(the_search_keeps_grey_levels_between_near_entries) {
    std::vector<Rgb> ramp;
    for (int v = 0; v < 256; v += 17)
        ramp.push_back({std::uint8_t(v), std::uint8_t(v), std::uint8_t(v)});
    for (std::uint8_t level : {3, 9, 25, 40, 128, 200, 250}) {
        const IndexedImage out =
            dither(flat({level, level, level}), ramp, {}, {}, {DitherKind::search});
        double mean = 0;
        for (std::uint8_t i : out.indices) mean += ramp[i].r;
        mean /= double(out.indices.size());
        BOOST_TEST(std::abs(mean - level) < 1.5, "level " << int(level) << ": " << mean);
    }
}

// In light, a 1-bit panel shows each grey as the share of white pixels that gives its light:
// sRGB 128 is 21.6 % of white's light, sRGB 188 is 50 %; the mean of the pixels' light matches.
BOOST_AUTO_TEST_CASE(in_light_a_one_bit_panel_keeps_the_light_of_each_grey) {
    const auto light = [](double v) {
        v /= 255;
        return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    for (DitherKind kind : {DitherKind::fs, DitherKind::sierra_lite})
        for (std::uint8_t level : {40, 128, 188, 230}) {
            DitherOptions options{kind};
            options.light = true;
            const double white =
                mean_level(dither(flat({level, level, level}), bw, {}, {}, options)) / 255;
            BOOST_TEST(std::abs(white - light(level)) < 0.01,
                       dither_name(kind) << " at " << int(level) << ": " << white
                                         << " white, light " << light(level));
        }
}

// A grey panel shows a colour's luma: pure blue is dark (29 of 255), yellow light (226), though
// by RGB distance both are a third of the way from the nearer end.
BOOST_AUTO_TEST_CASE(a_grey_panel_dithers_toward_the_luma) {
    for (DitherKind kind : {DitherKind::fs, DitherKind::sierra_lite, DitherKind::bayer8})
        for (auto [colour, luma] : {std::pair{Rgb{0, 0, 255}, 29.0}, {Rgb{255, 255, 0}, 226.0}}) {
            const double mean = mean_level(dither(flat(colour), bw, {}, {}, {kind}));
            BOOST_TEST(std::abs(mean - luma) < 3, "luma " << luma << ": " << mean);
        }
}

// A flat colour close to an entry (under 1.5 levels away) stays that entry: no speckle.
BOOST_AUTO_TEST_CASE(an_error_too_small_to_see_is_not_dithered) {
    for (DitherKind kind : {DitherKind::fs, DitherKind::sierra_lite, DitherKind::search})
        for (std::uint8_t i : dither(flat({201, 30, 30}), palette, {}, {}, {kind}).indices)
            BOOST_TEST_REQUIRE(i == 2);
}

// The search dither lowers the error the eye sees below Floyd-Steinberg's, its starting point,
// and below plain nearest, measured by an independent blur of sigma 1.
BOOST_AUTO_TEST_CASE(the_search_lowers_the_blurred_error) {
    const Image img = gradient(64, 48);
    const double fs = blurred_error(img, dither(img, palette, {}, {}, {DitherKind::fs}), palette);
    const double none =
        blurred_error(img, dither(img, palette, {}, {}, {DitherKind::none}), palette);
    const double search =
        blurred_error(img, dither(img, palette, {}, {}, {DitherKind::search}), palette);
    BOOST_TEST(search < 0.9 * fs, search << " against " << fs);
    BOOST_TEST(search < 0.6 * none, search << " against " << none);
}

// With several banks, each pixel takes only its bank's entries, swaps included.
BOOST_AUTO_TEST_CASE(every_kind_keeps_each_pixel_in_its_bank) {
    const Image img = gradient(32, 24);
    std::vector<Rgb> two_banks = palette;
    two_banks.resize(5, Rgb{});
    for (const Rgb c : std::vector<Rgb>{
             {10, 10, 10}, {250, 250, 250}, {30, 200, 30}, {90, 60, 20}, {128, 0, 128}})
        two_banks.push_back(c);
    std::vector<int> bank_of(img.pixel_count());
    for (std::size_t i = 0; i < bank_of.size(); ++i) bank_of[i] = int(i / 8 % 2); // 8-pixel runs
    for (DitherKind kind : every) {
        const IndexedImage out =
            dither_in_banks(img, two_banks, std::vector<bool>(10, true), {}, {kind}, bank_of, 5);
        for (std::size_t i = 0; i < out.indices.size(); ++i)
            BOOST_TEST_REQUIRE(out.indices[i] / 5 == bank_of[i]);
    }
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
    BOOST_TEST((parse_dither("search") == DitherKind::search));
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
