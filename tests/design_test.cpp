#define BOOST_TEST_MODULE design
#include "kpal/design.h"
#include "kpal/load.h"
#include "kpal/remap.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

#include <set>

using namespace kpal;

namespace {

DesignOptions opts(int k, std::uint64_t seed = 0) {
    DesignOptions o;
    o.colors = k;
    o.seed = seed;
    return o;
}

const DeviceLevels& levels(const char* format) {
    static std::map<std::string, DeviceLevels> cache;
    auto it = cache.find(format);
    if (it == cache.end())
        it = cache.emplace(format, device_levels(*find_palette_format(format))).first;
    return it->second;
}

const Histogram& photo() {
    static const Histogram h =
        build_histogram(load_image((test::shared_images / "kodak/kodim05.png").string()));
    return h;
}

// How many device colours the photo's colours snap onto.
std::size_t snapped_count(const char* format) {
    std::set<std::uint32_t> snapped;
    for (std::uint32_t c : photo().colors)
        snapped.insert(pack_rgb(levels(format).snap(unpack_rgb(c))));
    return snapped.size();
}

// The property k-means converges to: every label is the nearest entry, and every entry is its
// cluster's mean snapped to the device.
void check_fixed_point(const Histogram& h, const Design& d, const DeviceLevels& lv) {
    std::vector<std::array<double, 4>> sums(d.palette.size());
    for (std::size_t i = 0; i < h.size(); ++i) {
        const Rgb c = unpack_rgb(h.colors[i]);
        BOOST_TEST_REQUIRE(d.labels[i] == nearest_exhaustive(d.palette, c));
        auto& s = sums[d.labels[i]];
        s[0] += double(h.counts[i]) * c.r, s[1] += double(h.counts[i]) * c.g;
        s[2] += double(h.counts[i]) * c.b, s[3] += h.counts[i];
    }
    for (std::size_t j = 0; j < d.palette.size(); ++j) {
        BOOST_TEST_REQUIRE(sums[j][3] > 0, "entry " << j << " is unused");
        const Rgb mean = lv.snap(std::array<double, 3>{
            sums[j][0] / sums[j][3], sums[j][1] / sums[j][3], sums[j][2] / sums[j][3]});
        BOOST_TEST_REQUIRE((mean == d.palette[j]), "entry " << j << " is not its cluster's mean");
    }
}

void check_monotone(const Design& d) {
    for (std::size_t i = 1; i < d.error_trace.size(); ++i)
        if (int(i) != d.snapped_from)
            BOOST_TEST_REQUIRE(d.error_trace[i] <= d.error_trace[i - 1] * (1 + 1e-12),
                               "error rose at iteration " << i);
}

void check_distinct_and_representable(const Design& d, const DeviceLevels& lv) {
    std::set<std::uint32_t> seen;
    for (Rgb c : d.palette) {
        BOOST_TEST_REQUIRE((lv.snap(c) == c));
        BOOST_TEST_REQUIRE(seen.insert(pack_rgb(c)).second, "duplicate entry");
    }
}

} // namespace

// Every effort ends at a fixed point: the stop rules cut the free run short, not the snapped one,
// and over-relaxed steps never raise the error.
BOOST_AUTO_TEST_CASE(converges_to_a_fixed_point_without_ever_raising_the_error) {
    for (const char* format : {"rgb888", "rgb565-be", "vga-dac", "rgb332", "md9"})
        for (int k : {1, 2, 16, 64, 256})
            for (int effort : {1, 2, 3}) {
                BOOST_TEST_CONTEXT(format << " K=" << k << " effort " << effort) {
                    DesignOptions o = opts(k);
                    o.effort = effort;
                    const Design d = design_palette(photo(), levels(format), o);
                    BOOST_TEST(d.palette.size() == std::min<std::size_t>(k, snapped_count(format)));
                    check_monotone(d);
                    check_fixed_point(photo(), d, levels(format));
                    check_distinct_and_representable(d, levels(format));
                    if (!d.error_trace.empty())
                        BOOST_TEST(weighted_error(photo(), d.palette, d.labels) ==
                                       d.error_trace.back(),
                                   boost::test_tools::tolerance(1e-9));
                }
            }
}

// On a coarse device the descent to neighbouring device colours never raises the error, and on
// a photo at 3 and 4 bits a channel it lowers it at K = 16 (at K = 4 no move is found); on an
// 8-bit device it does not run.
BOOST_AUTO_TEST_CASE(the_descent_on_a_coarse_device_lowers_the_error) {
    for (const char* format : {"md9", "rgb444-be", "rgb565-be", "rgb888"})
        for (int k : {4, 16}) {
            BOOST_TEST_CONTEXT(format << " K=" << k) {
                DesignOptions o = opts(k);
                const Design with = design_palette(photo(), levels(format), o);
                o.descend = false;
                const Design without = design_palette(photo(), levels(format), o);
                const double a = weighted_error(photo(), with.palette, with.labels);
                const double b = weighted_error(photo(), without.palette, without.labels);
                BOOST_TEST(a <= b);
                if (k == 16 && (std::string(format) == "md9" || std::string(format) == "rgb444-be"))
                    BOOST_TEST(a < b);
                if (std::string(format) == "rgb888") BOOST_TEST((with.palette == without.palette));
                check_distinct_and_representable(with, levels(format));
                check_fixed_point(photo(), with, levels(format));
            }
        }
}

BOOST_AUTO_TEST_CASE(more_entries_than_colours_gives_the_exact_colours) {
    const Image img = test::make_image(9, 7, [](int x, int y) {
        return Rgb{std::uint8_t(x * 31 % 5 * 50), std::uint8_t(y % 3 * 100), std::uint8_t(7)};
    });
    const Histogram h = build_histogram(img);
    BOOST_TEST_REQUIRE(h.size() <= 15u);
    const Design d = design_palette(h, levels("rgb888"), opts(16));
    BOOST_TEST(d.palette.size() == h.size());
    BOOST_TEST(weighted_error(h, d.palette, d.labels) == 0.0);
}

BOOST_AUTO_TEST_CASE(a_coarse_device_gets_no_duplicate_entries) {
    // rgb332 has 256 colours; the photo snaps onto fewer, which then make the whole palette.
    const Design d = design_palette(photo(), levels("rgb332"), opts(256));
    check_distinct_and_representable(d, levels("rgb332"));
    BOOST_TEST(d.palette.size() == std::min<std::size_t>(256, snapped_count("rgb332")));
}

BOOST_AUTO_TEST_CASE(one_entry_is_the_snapped_mean) {
    const Design d = design_palette(photo(), levels("vga-dac"), opts(1));
    double s[3] = {}, w = 0;
    for (std::size_t i = 0; i < photo().size(); ++i) {
        const Rgb c = unpack_rgb(photo().colors[i]);
        s[0] += double(photo().counts[i]) * c.r, s[1] += double(photo().counts[i]) * c.g,
            s[2] += double(photo().counts[i]) * c.b, w += photo().counts[i];
    }
    BOOST_TEST_REQUIRE(d.palette.size() == 1u);
    BOOST_TEST((d.palette[0] ==
                levels("vga-dac").snap(std::array<double, 3>{s[0] / w, s[1] / w, s[2] / w})));
}

BOOST_AUTO_TEST_CASE(weights_pull_entries_toward_frequent_colours) {
    // Two colours, one entry: the result sits nine tenths of the way toward the heavy one.
    Histogram h;
    h.colors = {0x000000, 0x0000c8};
    h.counts = {1, 9};
    const Design d = design_palette(h, levels("rgb888"), opts(1));
    BOOST_TEST(d.palette[0].b == 180);
}

BOOST_AUTO_TEST_CASE(the_same_input_gives_the_same_palette) {
    const Design a = design_palette(photo(), levels("rgb565-be"), opts(48));
    const Design b = design_palette(photo(), levels("rgb565-be"), opts(48));
    BOOST_TEST((a.palette == b.palette));
    BOOST_TEST((a.labels == b.labels));
}

BOOST_AUTO_TEST_CASE(an_empty_histogram_gives_an_empty_palette) {
    const Design d = design_palette(Histogram{}, levels("rgb888"), opts(4));
    BOOST_TEST(d.palette.empty());
}

BOOST_AUTO_TEST_CASE(another_seed_is_another_converged_start_and_the_same_seed_the_same_bytes) {
    const auto& lv = levels("rgb565-be");
    for (int k : {16, 200}) {
        BOOST_TEST_CONTEXT("K=" << k) {
            DesignOptions seeded = opts(k, 12345);
            const Design a = design_palette(photo(), lv, seeded);
            const Design b = design_palette(photo(), lv, seeded);
            BOOST_TEST((a.palette == b.palette));
            check_fixed_point(photo(), a, lv);
            check_monotone(a);
            const Design plain = design_palette(photo(), lv, opts(k));
            BOOST_TEST((a.palette != plain.palette));
            // Another start lands in another local optimum of about the same quality.
            BOOST_TEST(weighted_error(photo(), a.palette, a.labels) <
                       1.05 * weighted_error(photo(), plain.palette, plain.labels));
        }
    }
}

BOOST_AUTO_TEST_CASE(the_result_does_not_depend_on_the_number_of_threads) {
    for (int k : {16, 256}) {
        DesignOptions one = opts(k), many = opts(k);
        one.threads = 1;
        many.threads = 4;
        const Design a = design_palette(photo(), levels("vga-dac"), one);
        const Design b = design_palette(photo(), levels("vga-dac"), many);
        BOOST_TEST((a.palette == b.palette));
        BOOST_TEST((a.labels == b.labels));
        BOOST_TEST(a.iterations == b.iterations);
    }
}

BOOST_AUTO_TEST_CASE(oklab_design_labels_each_colour_with_its_nearest_entry_in_oklab) {
    const auto& lv = levels("rgb565-be");
    DesignOptions options = opts(32);
    options.space = ColorSpace::oklab;
    const Design d = design_palette(photo(), lv, options);
    BOOST_TEST(d.palette.size() == 32u);
    check_distinct_and_representable(d, lv);
    std::vector<std::array<double, 3>> entries;
    for (Rgb c : d.palette) entries.push_back(to_oklab(c));
    test::Random rnd(2);
    for (int n = 0; n < 3000; ++n) {
        const std::size_t i = std::size_t(rnd.below(int(photo().size())));
        const auto x = to_oklab(unpack_rgb(photo().colors[i]));
        double best = 1e9;
        for (const auto& e : entries)
            best = std::min(best, (x[0] - e[0]) * (x[0] - e[0]) + (x[1] - e[1]) * (x[1] - e[1]) +
                                      (x[2] - e[2]) * (x[2] - e[2]));
        const auto& got = entries[d.labels[i]];
        const double mine = (x[0] - got[0]) * (x[0] - got[0]) + (x[1] - got[1]) * (x[1] - got[1]) +
                            (x[2] - got[2]) * (x[2] - got[2]);
        // Design measures on a 2^-14 grid of OKLab; allow for that rounding.
        BOOST_TEST_REQUIRE(mine <= best + 1e-5);
    }
    // Perceptual clustering spends entries differently: a worse RGB error than RGB design.
    const Design rgb = design_palette(photo(), lv, opts(32));
    BOOST_TEST(weighted_error(photo(), d.palette, d.labels) >
               weighted_error(photo(), rgb.palette, rgb.labels));
}

BOOST_AUTO_TEST_CASE(photos_with_very_many_colours_still_get_a_converged_device_palette) {
    // 2^18 random pixels: about 2.5x10^5 distinct colours, past the size where design clusters
    // grid cells instead of single colours.
    test::Random rnd(77);
    const Image noise = test::make_image(512, 512, [&](int x, int y) {
        return Rgb{std::uint8_t(x / 2 + rnd.below(8)), std::uint8_t(y / 2 + rnd.below(8)),
                   std::uint8_t(rnd.below(256))};
    });
    const Histogram h = build_histogram(noise);
    BOOST_TEST_REQUIRE(h.size() > 131072u);
    const auto& lv = levels("rgb565-le");
    DesignOptions one = opts(64), two = opts(64);
    one.threads = 1;
    two.threads = 2;
    const Design d = design_palette(h, lv, one);
    BOOST_TEST(d.palette.size() == 64u);
    check_distinct_and_representable(d, lv);
    check_monotone(d);
    for (std::size_t i = 0; i < h.size(); i += 97)
        BOOST_TEST_REQUIRE(d.labels[i] == nearest_exhaustive(d.palette, unpack_rgb(h.colors[i])));
    const Design again = design_palette(h, lv, two);
    BOOST_TEST((again.palette == d.palette));
}

// Spreading for dithering moves each entry away from the count-weighted mean by 1 + 1/(2(K-1)):
// with K = 4 the factor is 7/6, exact up to rounding on an 8-bit device, and the mean stays.
BOOST_AUTO_TEST_CASE(spreading_for_dithering_moves_entries_out_from_the_mean) {
    const std::vector<Rgb> palette{{60, 60, 60}, {180, 180, 180}, {120, 60, 180}, {120, 180, 60}};
    const std::vector<std::uint64_t> counts{1, 1, 1, 1}; // mean (120, 120, 120)
    const std::vector<Rgb> spread = spread_for_dithering(palette, counts, levels("rgb888"));
    const std::vector<Rgb> expected{{50, 50, 50}, {190, 190, 190}, {120, 50, 190}, {120, 190, 50}};
    BOOST_TEST((spread == expected));
    // Clamped at the ends of the range; snapped to the device (the Mega Drive: 3 bits a channel).
    const std::vector<Rgb> edge =
        spread_for_dithering({{0, 0, 0}, {255, 255, 255}}, {1, 1}, levels("rgb888"));
    BOOST_TEST((edge == std::vector<Rgb>{{0, 0, 0}, {255, 255, 255}}));
    for (const Rgb c : spread_for_dithering(palette, counts, levels("md9")))
        BOOST_TEST((levels("md9").snap(c) == c));
    // A lone entry stays.
    BOOST_TEST(
        (spread_for_dithering({{9, 9, 9}}, {5}, levels("rgb888")) == std::vector<Rgb>{{9, 9, 9}}));
}
