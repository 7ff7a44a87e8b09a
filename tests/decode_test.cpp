#define BOOST_TEST_MODULE decode
#include "kpal/decode.h"
#include "kpal/error.h"
#include "kpal/target.h"

#include <boost/test/unit_test.hpp>

#include <functional>

using namespace kpal;

namespace {

// 16 RGB888 entries: entry e is (e, 2e, 3e), entry 15 pure red.
std::vector<std::uint8_t> rgb888_palette() {
    std::vector<std::uint8_t> out;
    for (int e = 0; e < 15; ++e)
        out.insert(out.end(), {std::uint8_t(e), std::uint8_t(2 * e), std::uint8_t(3 * e)});
    out.insert(out.end(), {255, 0, 0});
    return out;
}

bool fails_with_input_error(const std::function<void()>& f, const std::string& says) {
    try {
        f();
    } catch (const Error& e) {
        return e.kind() == ErrorKind::input &&
               std::string(e.what()).find(says) != std::string::npos;
    }
    return false;
}

} // namespace

// generic-4bpp packs two pixels a byte, the first in the high nibble (its profile): 0x1F is
// index 1 then 15.
BOOST_AUTO_TEST_CASE(a_packed_framebuffer_decodes_as_its_layout_documents) {
    const Target t = load_target("generic-4bpp");
    const std::vector<std::uint8_t> pixels{0x1F, 0x20};
    const Decoded d = decode_framebuffer(t, 3, 1, pixels, rgb888_palette(), "x.bin");
    BOOST_TEST((d.indexed.indices == std::vector<std::uint8_t>{1, 15, 2}));
    BOOST_TEST((d.shown[1] == Rgb{1, 2, 3}));
    BOOST_TEST((d.shown[15] == Rgb{255, 0, 0}));
}

BOOST_AUTO_TEST_CASE(byte_counts_that_do_not_fit_are_input_errors_naming_the_data) {
    const Target t = load_target("generic-4bpp");
    const std::vector<std::uint8_t> three{0x1F, 0x20, 0x00};
    BOOST_TEST(fails_with_input_error(
        [&] { decode_framebuffer(t, 3, 1, three, rgb888_palette(), "x.bin"); }, "x.bin"));
    std::vector<std::uint8_t> ragged = rgb888_palette();
    ragged.pop_back(); // not whole entries
    BOOST_TEST(fails_with_input_error(
        [&] {
            decode_framebuffer(t, 3, 1, std::vector<std::uint8_t>{0x1F, 0x20}, ragged, "x.bin");
        },
        "x.bin"));
}

// A GBA text background: 4bpp tiles, the left pixel in the low nibble; map entries u16 little
// endian, tile in bits 0-9, horizontal flip bit 10, palette bank bits 12-15 (GBATEK).
BOOST_AUTO_TEST_CASE(gba_tiles_and_map_decode_as_gbatek_documents) {
    const Target t = load_target("gba-bg-4bpp");
    std::vector<std::uint8_t> tiles(32, 0);
    tiles[0] = 0x21; // row 0: pixel 0 is 1, pixel 1 is 2
    const std::vector<std::uint8_t> plain{0x00, 0x00}, flipped_bank1{0x00, 0x14};
    const IndexedImage a = decode_tiles(t, {}, 8, 8, tiles, plain, 2, "t.bin");
    BOOST_TEST(a.indices[0] == 1);
    BOOST_TEST(a.indices[1] == 2);
    BOOST_TEST(a.indices[7] == 0);
    const IndexedImage b = decode_tiles(t, {}, 8, 8, tiles, flipped_bank1, 2, "t.bin");
    BOOST_TEST(b.indices[7] == 16 + 1); // mirrored, and bank 1's entries follow bank 0's 16
    BOOST_TEST(b.indices[6] == 16 + 2);
    BOOST_TEST(b.indices[0] == 16 + 0);
    const std::vector<std::uint8_t> tile_9{0x09, 0x00};
    BOOST_TEST(fails_with_input_error([&] { decode_tiles(t, {}, 8, 8, tiles, tile_9, 2, "t.bin"); },
                                      "t.bin"));
}
