#define BOOST_TEST_MODULE layout
#include "kpal/layout.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

using namespace kpal;
using Bytes = std::vector<std::uint8_t>;

namespace {
Bytes pack(const char* layout, Geometry g, const Bytes& indices) {
    Bytes out;
    find_pixel_layout(layout)->pack(g, indices, out);
    return out;
}
} // namespace

BOOST_AUTO_TEST_CASE(every_layout_unpacks_what_it_packed) {
    test::Random rnd(3);
    for (const PixelLayout& layout : pixel_layouts())
        for (int bpp = 1; bpp <= 8; ++bpp) {
            if (!layout.supports(bpp)) continue;
            for (int width = 1; width <= 17; ++width)
                for (int height : {1, 2, 3, 5})
                    for (int align : {1, 2, 4}) {
                        const Geometry g{width, height, bpp, align};
                        Bytes indices(std::size_t(width) * height);
                        for (auto& v : indices) v = std::uint8_t(rnd.below(1 << bpp));
                        Bytes packed;
                        layout.pack(g, indices, packed);
                        BOOST_TEST_REQUIRE(packed.size() == layout.packed_size(g));
                        if (layout.name != "tiles8x8") // tiles ignore row_align
                            BOOST_TEST_REQUIRE(layout.stride(g) % std::size_t(align) == 0u);
                        BOOST_TEST_REQUIRE((layout.unpack(g, packed) == indices),
                                           layout.name << " bpp " << bpp << " " << width << "x"
                                                       << height << " align " << align);
                    }
        }
}

BOOST_AUTO_TEST_CASE(nibble_and_bit_order_match_the_hardware) {
    BOOST_TEST(pack("packed-msb", {3, 1, 4, 1}, {1, 2, 3}) == (Bytes{0x12, 0x30}));
    BOOST_TEST(pack("packed-lsb", {3, 1, 4, 1}, {1, 2, 3}) == (Bytes{0x21, 0x03}));
    BOOST_TEST(pack("packed-msb", {9, 1, 1, 1}, {1, 0, 0, 0, 0, 0, 0, 1, 1}) ==
               (Bytes{0x81, 0x80}));
    BOOST_TEST(pack("packed-lsb", {9, 1, 1, 1}, {1, 0, 0, 0, 0, 0, 0, 1, 1}) ==
               (Bytes{0x81, 0x01}));
    BOOST_TEST(pack("packed-msb", {5, 1, 2, 1}, {3, 2, 1, 0, 3}) == (Bytes{0xe4, 0xc0}));
}

// SSD1306 datasheet figure 8-13: a byte is a column of 8 rows of one page, the top row in D0.
BOOST_AUTO_TEST_CASE(pages_hold_a_column_of_eight_rows_a_byte) {
    Bytes indices(3 * 10, 0);
    indices[0 * 3 + 0] = 1; // (0, 0): page 0, byte 0, bit 0
    indices[7 * 3 + 1] = 1; // (1, 7): page 0, byte 1, bit 7
    indices[9 * 3 + 2] = 1; // (2, 9): page 1, byte 2, bit 1
    BOOST_TEST(pack("pages", {3, 10, 1, 1}, indices) == (Bytes{0x01, 0x80, 0, 0, 0, 0x02}));
    BOOST_TEST(pack("pages", {3, 10, 1, 4}, indices) ==
               (Bytes{0x01, 0x80, 0, 0, 0, 0, 0x02, 0})); // each page row padded to 4 bytes
}

BOOST_AUTO_TEST_CASE(rows_start_on_byte_boundaries_and_pad_to_the_alignment) {
    // 3 pixels at 4 bits is 2 bytes a row; with row_align 4 each row is 4 bytes.
    BOOST_TEST(pack("packed-msb", {3, 2, 4, 1}, {1, 2, 3, 4, 5, 6}) ==
               (Bytes{0x12, 0x30, 0x45, 0x60}));
    BOOST_TEST(pack("packed-msb", {3, 2, 4, 4}, {1, 2, 3, 4, 5, 6}) ==
               (Bytes{0x12, 0x30, 0, 0, 0x45, 0x60, 0, 0}));
    BOOST_TEST(pack("linear", {3, 2, 8, 4}, {1, 2, 3, 4, 5, 6}) == (Bytes{1, 2, 3, 0, 4, 5, 6, 0}));
}

BOOST_AUTO_TEST_CASE(planar_layouts_store_one_bit_of_each_index_a_plane) {
    // Indices 0..9 in one row of 10: plane p holds bit p, leftmost pixel in bit 7, rows of 2 bytes.
    const Bytes row{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    BOOST_TEST(pack("planar", {10, 1, 4, 1}, row) ==
               (Bytes{0x55, 0x40,    // bit 0: pixels 1, 3, 5, 7, 9
                      0x33, 0x00,    // bit 1: pixels 2, 3, 6, 7
                      0x0f, 0x00,    // bit 2: pixels 4..7
                      0x00, 0xc0})); // bit 3: pixels 8, 9
}

BOOST_AUTO_TEST_CASE(mode_x_puts_pixel_x_in_plane_x_mod_4) {
    // A 6x2 image: plane p holds columns p and p + 4 of each row, rows of 2 bytes a plane.
    const Bytes image{10, 11, 12, 13, 14, 15, 20, 21, 22, 23, 24, 25};
    BOOST_TEST(pack("modex", {6, 2, 8, 1}, image) ==
               (Bytes{10, 14, 20, 24, 11, 15, 21, 25, 12, 0, 22, 0, 13, 0, 23, 0}));
}

BOOST_AUTO_TEST_CASE(tiles_are_8x8_in_row_major_order_with_the_left_pixel_in_the_low_nibble) {
    // A 16x8 image: the left tile is all 1 but its first pixel 2, the right tile all 3.
    Bytes image(16 * 8, 1);
    for (int y = 0; y < 8; ++y)
        for (int x = 8; x < 16; ++x) image[std::size_t(y) * 16 + x] = 3;
    image[0] = 2;
    const Bytes packed = pack("tiles8x8", {16, 8, 4, 1}, image);
    BOOST_TEST_REQUIRE(packed.size() == 64u);
    BOOST_TEST(packed[0] == 0x12); // pixel 0 (2) low, pixel 1 (1) high
    BOOST_TEST(packed[1] == 0x11);
    BOOST_TEST(packed[31] == 0x11);
    BOOST_TEST(packed[32] == 0x33);
    // An image that is not whole tiles is padded with index 0.
    const Bytes small = pack("tiles8x8", {3, 2, 8, 1}, {1, 2, 3, 4, 5, 6});
    BOOST_TEST_REQUIRE(small.size() == 64u);
    BOOST_TEST(
        (Bytes(small.begin(), small.begin() + 11) == Bytes{1, 2, 3, 0, 0, 0, 0, 0, 4, 5, 6}));
}

BOOST_AUTO_TEST_CASE(layouts_state_the_depths_they_take) {
    BOOST_TEST(find_pixel_layout("linear")->supports(8));
    BOOST_TEST(!find_pixel_layout("linear")->supports(4));
    BOOST_TEST(find_pixel_layout("packed-msb")->supports(2));
    BOOST_TEST(!find_pixel_layout("packed-msb")->supports(3));
    BOOST_TEST(find_pixel_layout("nope") == nullptr);
}
