#define BOOST_TEST_MODULE remap
#include "kpal/remap.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

using namespace kpal;

BOOST_AUTO_TEST_CASE(search_equals_exhaustive_scan_on_random_palettes) {
    test::Random rnd(11);
    for (int round = 0; round < 200; ++round) {
        const int k = 1 + rnd.below(256);
        // Narrow palettes make many ties, which must resolve to the lowest index.
        const int spread = round % 3 == 0 ? 4 : 256;
        std::vector<Rgb> palette(static_cast<std::size_t>(k));
        for (Rgb& c : palette)
            c = {std::uint8_t(rnd.below(spread) * (256 / spread)),
                 std::uint8_t(rnd.below(spread) * (256 / spread)), std::uint8_t(rnd.below(spread))};
        const NearestSearch search(palette);
        for (int q = 0; q < 500; ++q) {
            const Rgb c{std::uint8_t(rnd.below(256)), std::uint8_t(rnd.below(256)),
                        std::uint8_t(rnd.below(256))};
            BOOST_TEST_REQUIRE(search.nearest(c) == nearest_exhaustive(palette, c));
        }
    }
}

BOOST_AUTO_TEST_CASE(remap_sends_each_pixel_through_its_colours_label) {
    const Image img = test::make_image(4, 2, [](int x, int y) {
        return Rgb{std::uint8_t(x * 60), std::uint8_t(y * 200), 0};
    });
    const Histogram h = build_histogram(img);
    std::vector<std::uint8_t> labels(h.size());
    for (std::size_t i = 0; i < h.size(); ++i) labels[i] = std::uint8_t(i * 3);
    const IndexedImage out = remap(img, h, labels);
    BOOST_TEST_REQUIRE(out.indices.size() == 8u);
    for (std::size_t i = 0; i < 8; ++i)
        BOOST_TEST(out.indices[i] == labels[h.find(pack_rgb(img.rgb_at(i)))]);
}
