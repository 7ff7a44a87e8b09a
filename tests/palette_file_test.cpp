#define BOOST_TEST_MODULE palette_file
#include "kpal/error.h"
#include "kpal/palette_file.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

using namespace kpal;

BOOST_AUTO_TEST_CASE(built_in_palettes) {
    const auto vga = read_palette("vga-default");
    BOOST_TEST_REQUIRE(vga.size() == 256u);
    BOOST_TEST((vga[1] == Rgb{0, 0, 170}));      // DAC 0, 0, 42
    BOOST_TEST((vga[6] == Rgb{170, 85, 0}));     // brown
    BOOST_TEST((vga[16] == Rgb{0, 0, 0}));       // the grey ramp starts at black
    BOOST_TEST((vga[31] == Rgb{255, 255, 255})); // and ends at white
    BOOST_TEST((vga[32] == Rgb{0, 0, 255}));     // the hue walk starts at blue
    BOOST_TEST((vga[40] == Rgb{255, 0, 0}));     // and reaches red after 8 steps
    BOOST_TEST((vga[248] == Rgb{0, 0, 0}));
    const auto ega = read_palette("ega16");
    BOOST_TEST_REQUIRE(ega.size() == 16u);
    BOOST_TEST((ega[9] == Rgb{85, 85, 255}));
    BOOST_TEST(read_palette("cga").size() == 4u);
}

BOOST_AUTO_TEST_CASE(gimp_jasc_and_act_files) {
    test::ScratchDir dir;
    test::write_text(
        dir / "a.gpl",
        "GIMP Palette\nName: x\nColumns: 4\n# comment\n  1   2   3\tone\n255 0 16 two\n");
    test::write_text(dir / "b.pal", "JASC-PAL\r\n0100\r\n2\r\n1 2 3\r\n255 0 16\r\n");
    std::string act(772, '\0');
    act[0] = 1, act[1] = 2, act[2] = 3, act[3] = char(255), act[5] = 16, act[769] = 2;
    test::write_text(dir / "c.act", act);
    const std::vector<Rgb> want{{1, 2, 3}, {255, 0, 16}};
    BOOST_TEST((read_palette((dir / "a.gpl").string()) == want));
    BOOST_TEST((read_palette((dir / "b.pal").string()) == want));
    BOOST_TEST((read_palette((dir / "c.act").string()) == want));
}

BOOST_AUTO_TEST_CASE(png_palettes_come_from_plte_or_the_pixels) {
    const auto plte = read_palette((test::shared_images / "pngsuite/basn3p02.png").string());
    BOOST_TEST(plte.size() == 4u);
    const auto pixels = read_palette((test::shared_images / "pngsuite/basn0g02.png").string());
    BOOST_TEST(pixels.size() == 4u);
    BOOST_CHECK_THROW(read_palette((test::shared_images / "kodak/kodim23.png").string()), Error);
}

BOOST_AUTO_TEST_CASE(bad_files_name_the_file_and_the_line) {
    test::ScratchDir dir;
    test::write_text(dir / "bad.gpl", "GIMP Palette\n1 2 3\n4 five 6\n");
    test::write_text(dir / "junk.txt", "hello");
    const auto error_of = [](const std::string& path) {
        try {
            read_palette(path);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    BOOST_TEST(error_of((dir / "bad.gpl").string()) ==
               (dir / "bad.gpl").string() + ":3: 'five' is not a colour value 0..255");
    BOOST_TEST(error_of((dir / "junk.txt").string()).find("not a palette file") !=
               std::string::npos);
    BOOST_TEST(error_of("no-such.gpl").find("no such palette file") != std::string::npos);
}
