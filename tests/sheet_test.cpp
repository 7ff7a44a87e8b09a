#define BOOST_TEST_MODULE sheet
#include "kpal/sheet.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

using namespace kpal;

namespace {

Rgb at(const Image& img, int x, int y) {
    return img.rgb_at(std::size_t(y) * std::size_t(img.width) + std::size_t(x));
}

// How many pixels of `img` in the rectangle have colour `c`.
int count(const Image& img, int x0, int y0, int w, int h, Rgb c) {
    int n = 0;
    for (int y = y0; y < y0 + h; ++y)
        for (int x = x0; x < x0 + w; ++x) n += at(img, x, y) == c;
    return n;
}

} // namespace

// A 2x2 picture: enlarged to at least 320 pixels a side (each pixel a square), the original on the
// left, the display beside it in the shown colours, and a swatch of each entry below; entry 1 is
// transparent, so its pixel shows as a checkerboard of two greys.
BOOST_AUTO_TEST_CASE(the_sheet_shows_the_original_the_display_and_the_swatches) {
    const Image original = test::make_image(2, 2, [](int x, int y) {
        return Rgb{std::uint8_t(100 + 50 * x), std::uint8_t(10 + 100 * y), 7};
    });
    const IndexedImage indexed{2, 2, {0, 1, 2, 0}};
    const std::vector<Rgb> shown{{250, 0, 0}, {0, 250, 0}, {0, 0, 250}};
    const Image sheet = make_sheet(original, indexed, shown, 3, 1);
    const int zoom = 160, gap = 8, w = 2 * zoom;
    BOOST_TEST_REQUIRE(sheet.width >= 3 * gap + 2 * w);
    for (int y = 0; y < 2; ++y)
        for (int x = 0; x < 2; ++x) {
            const Rgb source = at(original, x, y);
            BOOST_TEST(count(sheet, gap + x * zoom, gap + y * zoom, zoom, zoom, source) ==
                       zoom * zoom);
            const int index = indexed.indices[std::size_t(2 * y + x)];
            const int shown_pixels = count(sheet, 2 * gap + w + x * zoom, gap + y * zoom, zoom,
                                           zoom, shown[std::size_t(index)]);
            BOOST_TEST(shown_pixels == (index == 1 ? 0 : zoom * zoom), "pixel " << x << "," << y);
        }
    // The transparent pixel: two greys in 4x4 squares, half each.
    const int checker = count(sheet, 2 * gap + w + zoom, gap, zoom, zoom, {204, 204, 204});
    BOOST_TEST(checker == zoom * zoom / 2);
    // Each entry's swatch below the panels: 38 x 22 of its colour, less its digit.
    for (const Rgb c : shown) {
        const int n = count(sheet, 0, gap + w, sheet.width, sheet.height - gap - w, c);
        BOOST_TEST(n > 38 * 22 - 2 * 15 * 4);
        BOOST_TEST(n <= 38 * 22);
    }
}

// With banks, a third panel colours each cell by its bank, and the swatches are a row a bank.
BOOST_AUTO_TEST_CASE(banks_get_a_panel_and_a_row_each) {
    const Image original = test::make_image(16, 8, [](int x, int) {
        return Rgb{std::uint8_t(x), 0, 0};
    });
    IndexedImage indexed{16, 8, std::vector<std::uint8_t>(128, 0)};
    std::vector<Rgb> shown(8);
    for (std::size_t i = 0; i < shown.size(); ++i) shown[i] = {std::uint8_t(30 * i), 90, 9};
    const std::vector<int> of_cell{0, 1};
    const Image one = make_sheet(original, indexed, shown, 8, std::nullopt);
    const Image banked = make_sheet(original, indexed, shown, 8, std::nullopt, {4, 8, 2, of_cell});
    BOOST_TEST(banked.width > one.width);
    BOOST_TEST(banked.height > one.height); // two rows of four swatches, not one of eight
}
