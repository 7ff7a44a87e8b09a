#define BOOST_TEST_MODULE histogram
#include "kpal/histogram.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

#include <map>

using namespace kpal;

namespace {
Image random_image(int w, int h, std::uint64_t seed, int spread) {
    test::Random rnd(seed);
    return test::make_image(w, h, [&](int, int) {
        return Rgb{std::uint8_t(rnd.below(spread)), std::uint8_t(rnd.below(spread) * 7),
                   std::uint8_t(255 - rnd.below(spread))};
    });
}

std::map<std::uint32_t, std::uint32_t> brute_force(const Image& img) {
    std::map<std::uint32_t, std::uint32_t> counts;
    for (std::size_t i = 0; i < img.pixel_count(); ++i) ++counts[pack_rgb(img.rgb_at(i))];
    return counts;
}

void check_equal(const Histogram& h, const std::map<std::uint32_t, std::uint32_t>& expected) {
    BOOST_TEST_REQUIRE(h.size() == expected.size());
    std::size_t i = 0;
    for (const auto& [color, count] : expected) {
        BOOST_TEST(h.colors[i] == color);
        BOOST_TEST(h.counts[i] == count);
        ++i;
    }
}
} // namespace

BOOST_AUTO_TEST_CASE(counts_every_distinct_colour_once_in_ascending_order) {
    for (int spread : {1, 3, 30, 256}) {
        const Image img = random_image(37, 23, std::uint64_t(spread), spread);
        const Histogram h = build_histogram(img);
        check_equal(h, brute_force(img));
        BOOST_TEST(h.total() == img.pixel_count());
    }
}

BOOST_AUTO_TEST_CASE(find_locates_used_colours_and_reports_absent_ones) {
    const Image img = random_image(20, 20, 7, 10);
    const Histogram h = build_histogram(img);
    for (std::size_t i = 0; i < img.pixel_count(); ++i)
        BOOST_TEST(h.colors[h.find(pack_rgb(img.rgb_at(i)))] == pack_rgb(img.rgb_at(i)));
    BOOST_TEST(h.find(0x123456) == h.size());
}

BOOST_AUTO_TEST_CASE(merging_equals_the_histogram_of_both_images) {
    const Image a = random_image(30, 10, 1, 12), b = random_image(17, 9, 2, 12);
    Histogram merged = build_histogram(a);
    merge_histogram(merged, build_histogram(b));
    auto expected = brute_force(a);
    for (const auto& [color, count] : brute_force(b)) expected[color] += count;
    check_equal(merged, expected);
}

BOOST_AUTO_TEST_CASE(an_empty_image_has_an_empty_histogram) {
    BOOST_TEST(build_histogram(Image{}).size() == 0u);
}

// Large images are sorted in two halves on two threads and merged: the counts are the brute
// force's, the same as on one thread, with colours shared by both halves and transparent pixels
// left out.
BOOST_AUTO_TEST_CASE(two_halves_give_the_one_thread_histogram) {
    for (int spread : {3, 256}) {
        const Image img = random_image(400, 300, std::uint64_t(spread) + 7, spread);
        const Histogram one = build_histogram(img, nullptr, 1);
        check_equal(build_histogram(img, nullptr, 2), brute_force(img));
        const Histogram two = build_histogram(img, nullptr, 2);
        BOOST_TEST(one.colors == two.colors);
        BOOST_TEST(one.counts == two.counts);
        Transparency key;
        key.key = img.rgb_at(0);
        const Histogram opaque1 = build_histogram(img, &key, 1);
        const Histogram opaque2 = build_histogram(img, &key, 2);
        BOOST_TEST(opaque1.colors == opaque2.colors);
        BOOST_TEST(opaque1.counts == opaque2.counts);
        BOOST_TEST(opaque2.find(pack_rgb(img.rgb_at(0))) == opaque2.size());
    }
}

// Flat areas count three times, an edge or texture once: on a picture whose left half is flat
// grey and right half a black-and-white checkerboard, the grey's count triples and the
// checkerboard's colours keep theirs; a left-out (transparent) pixel counts nothing.
BOOST_AUTO_TEST_CASE(flat_areas_count_more_than_texture) {
    const Image img = test::make_image(16, 8, [](int x, int y) {
        if (x < 8) return Rgb{120, 120, 120};
        return (x + y) % 2 ? Rgb{255, 255, 255} : Rgb{0, 0, 0};
    });
    const Histogram plain = build_histogram(img);
    const Histogram weighted = weighted_by_flatness(plain, img);
    BOOST_TEST(weighted.colors == plain.colors);
    const auto count = [](const Histogram& h, Rgb c) { return h.counts[h.find(pack_rgb(c))]; };
    // The grey column next to the checkerboard, on one side of an edge, counts 2; the 7 others 3.
    BOOST_TEST(count(weighted, {120, 120, 120}) == 7 * 8 * 3 + 8 * 2);
    BOOST_TEST(count(weighted, {0, 0, 0}) == count(plain, {0, 0, 0}));
    BOOST_TEST(count(weighted, {255, 255, 255}) == count(plain, {255, 255, 255}));
    Image holed = img;
    holed.rgba[3] = 0; // pixel (0, 0), flat grey, transparent
    const Transparency alpha;
    BOOST_TEST(count(weighted_by_flatness(build_histogram(holed, &alpha), holed, &alpha),
                     {120, 120, 120}) == 7 * 8 * 3 + 8 * 2 - 3);
}
