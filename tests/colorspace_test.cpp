#define BOOST_TEST_MODULE colorspace
#include "kpal/colorspace.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

#include <cmath>

using namespace kpal;

BOOST_AUTO_TEST_CASE(known_oklab_values) {
    const auto white = to_oklab({255, 255, 255});
    BOOST_TEST(white[0] == 1.0, boost::test_tools::tolerance(1e-4));
    BOOST_TEST(std::abs(white[1]) < 1e-3);
    BOOST_TEST(std::abs(white[2]) < 1e-3);
    const auto black = to_oklab({0, 0, 0});
    BOOST_TEST(std::abs(black[0]) < 1e-9);
    // Ottosson's published value for sRGB red: L 0.6280, a 0.2249, b 0.1258.
    const auto red = to_oklab({255, 0, 0});
    BOOST_TEST(red[0] == 0.6280, boost::test_tools::tolerance(1e-3));
    BOOST_TEST(red[1] == 0.2249, boost::test_tools::tolerance(1e-3));
    BOOST_TEST(red[2] == 0.1258, boost::test_tools::tolerance(1e-3));
}

BOOST_AUTO_TEST_CASE(converting_there_and_back_returns_the_colour) {
    test::Random rnd(5);
    for (int i = 0; i < 2000; ++i) {
        const Rgb c{std::uint8_t(rnd.below(256)), std::uint8_t(rnd.below(256)),
                    std::uint8_t(rnd.below(256))};
        const auto back = oklab_to_srgb(to_oklab(c));
        BOOST_TEST_REQUIRE(std::abs(back[0] - c.r) < 1e-3);
        BOOST_TEST_REQUIRE(std::abs(back[1] - c.g) < 1e-3);
        BOOST_TEST_REQUIRE(std::abs(back[2] - c.b) < 1e-3);
    }
}

BOOST_AUTO_TEST_CASE(names) {
    BOOST_TEST((parse_color_space("oklab") == ColorSpace::oklab));
    BOOST_TEST((parse_color_space("rgb") == ColorSpace::rgb));
    BOOST_TEST(!parse_color_space("lab").has_value());
}
