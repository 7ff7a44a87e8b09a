#define BOOST_TEST_MODULE preview
#include "kpal/load.h"
#include "kpal/preview.h"

#include <boost/test/unit_test.hpp>

using namespace kpal;

namespace {

// A picture of `entries` colours, pseudo-random indices (an LCG: the same on every run).
std::pair<IndexedImage, std::vector<Rgb>> picture(int width, int height, int entries) {
    IndexedImage image{width, height, {}};
    std::uint32_t state = std::uint32_t(width * 7919 + height * 104729 + entries);
    for (int i = 0; i < width * height; ++i) {
        state = state * 1664525u + 1013904223u;
        image.indices.push_back(std::uint8_t((state >> 16) % std::uint32_t(entries)));
    }
    std::vector<Rgb> shown;
    for (int e = 0; e < entries; ++e)
        shown.push_back({std::uint8_t(e * 37), std::uint8_t(255 - e), std::uint8_t(e * e)});
    return {image, shown};
}

// Decoded again (libpng checks every chunk's CRC and the zlib stream's Adler-32), the preview
// must give each pixel its entry's colour, and alpha 0 for `transparent`.
void check_round_trip(int width, int height, int entries, std::optional<int> transparent) {
    const auto [image, shown] = picture(width, height, entries);
    const std::vector<std::uint8_t> png = encode_preview_png(image, shown, transparent);
    const Image decoded = decode_image(png, "preview.png");
    BOOST_TEST_REQUIRE(decoded.width == width);
    BOOST_TEST_REQUIRE(decoded.height == height);
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < image.indices.size(); ++i) {
        const Rgb c = shown[image.indices[i]];
        const std::uint8_t alpha = transparent && image.indices[i] == *transparent ? 0 : 255;
        wrong += decoded.rgba[4 * i] != c.r || decoded.rgba[4 * i + 1] != c.g ||
                 decoded.rgba[4 * i + 2] != c.b || decoded.rgba[4 * i + 3] != alpha;
    }
    BOOST_TEST(wrong == 0u);
    // A palette PNG whose PLTE is the shown colours.
    const std::vector<Rgb> plte = png_colors(png, "preview.png");
    BOOST_TEST((plte == shown));
}

} // namespace

BOOST_AUTO_TEST_CASE(every_depth_and_size_decodes_to_the_shown_colours) {
    for (int entries : {2, 3, 4, 16, 200, 256})
        for (const auto& [w, h] : std::vector<std::pair<int, int>>{{1, 1}, {13, 1}, {7, 3}, {1, 9}})
            BOOST_TEST_CONTEXT(entries << " entries, " << w << "x" << h)
    check_round_trip(w, h, entries, std::nullopt);
}

// Photo-sized previews (zlib's output spans many blocks), with and without a transparent entry.
BOOST_AUTO_TEST_CASE(large_previews_decode_to_the_shown_colours) {
    check_round_trip(768, 511, 256, std::nullopt);
    check_round_trip(640, 480, 16, 0);
    check_round_trip(1000, 3, 2, 1);
}

BOOST_AUTO_TEST_CASE(the_same_picture_gives_the_same_bytes) {
    const auto [image, shown] = picture(512, 400, 256);
    BOOST_TEST((encode_preview_png(image, shown) == encode_preview_png(image, shown)));
}
