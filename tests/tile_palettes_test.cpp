#define BOOST_TEST_MODULE tile_palettes
#include "kpal/load.h"
#include "kpal/resize.h"
#include "kpal/tile_palettes.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

#include <limits>

using namespace kpal;

namespace {

const DeviceLevels exact = device_levels(*find_palette_format("rgb888"));
const DeviceLevels gba = device_levels(*find_palette_format("bgr555-le"));

TilePaletteOptions options(int banks, int colours, int threads = 1) {
    TilePaletteOptions o;
    o.banks = banks;
    o.colours = colours;
    o.design.colors = colours;
    o.design.threads = threads;
    return o;
}

int distance2(Rgb a, Rgb b) {
    const int dr = a.r - b.r, dg = a.g - b.g, db = a.b - b.b;
    return dr * dr + dg * dg + db * db;
}

// A cell's error under a bank, computed here from the pixels.
double cell_error(const Image& image, int cx, int cy, const std::vector<Rgb>& bank) {
    double sum = 0;
    for (int y = 8 * cy; y < std::min(image.height, 8 * cy + 8); ++y)
        for (int x = 8 * cx; x < std::min(image.width, 8 * cx + 8); ++x) {
            int best = std::numeric_limits<int>::max();
            for (Rgb e : bank)
                best = std::min(best, distance2(image.rgb_at(std::size_t(y) * image.width + x), e));
            sum += best;
        }
    return sum;
}

// P groups of tiles, each tile drawn from C colours of its group's own (and, with `shared`, one
// colour every group uses), in a checkerboard of groups.
Image groups_picture(int banks, int colours, bool shared) {
    test::Random rnd(5);
    std::vector<std::vector<Rgb>> palettes(static_cast<std::size_t>(banks));
    for (auto& p : palettes)
        for (int c = 0; c < colours - (shared ? 1 : 0); ++c)
            p.push_back({std::uint8_t(rnd.below(256)), std::uint8_t(rnd.below(256)),
                         std::uint8_t(rnd.below(256))});
    const Rgb backdrop{10, 20, 30};
    return test::make_image(96, 64, [&](int x, int y) {
        const auto& p = palettes[std::size_t((x / 8 + 3 * (y / 8)) % banks)];
        const int pick = rnd.below(colours);
        return shared && pick == colours - 1 ? backdrop : p[std::size_t(pick % int(p.size()))];
    });
}

} // namespace

// Pictures whose tiles come in P groups of C colours each have an exact answer: every group's
// colours in a bank, every tile in its group's bank.
BOOST_AUTO_TEST_CASE(groups_of_tiles_with_their_own_colours_come_out_exact) {
    for (const auto& [banks, colours] : {std::pair{4, 3}, {8, 4}, {3, 15}}) {
        BOOST_TEST_CONTEXT(banks << " banks of " << colours) {
            const Image image = groups_picture(banks, colours, false);
            const TilePalettes t = design_tile_palettes(image, {}, exact, options(banks, colours));
            BOOST_TEST(t.error == 0.0);
        }
    }
    // The same with one colour every group shares (a backdrop): exact in banks of 4, and in
    // banks of 3 plus the shared colour, which must then be that backdrop.
    const Image shared = groups_picture(4, 4, true);
    BOOST_TEST(design_tile_palettes(shared, {}, exact, options(4, 4)).error == 0.0);
    TilePaletteOptions with_shared = options(4, 3);
    with_shared.shared_colour = true;
    const TilePalettes t = design_tile_palettes(shared, {}, exact, with_shared);
    BOOST_TEST(t.error == 0.0);
    BOOST_TEST_REQUIRE(t.shared.has_value());
    BOOST_TEST((*t.shared == Rgb{10, 20, 30}));
}

// On a photo: each cell is in the bank that shows it best, the reported error is the sum of the
// cells' errors, every colour is the device's, and the result is the same for any thread count.
BOOST_AUTO_TEST_CASE(every_cell_is_in_its_best_bank_and_threads_do_not_matter) {
    const Image photo =
        fit_cover(load_image((test::shared_images / "kodak/kodim23.png").string()), 120, 80);
    const TilePalettes t = design_tile_palettes(photo, {}, gba, options(8, 15));
    BOOST_TEST_REQUIRE(t.banks.size() == 8u);
    BOOST_TEST_REQUIRE(t.cell_bank.size() == 15u * 10);
    double sum = 0;
    for (int cy = 0; cy < 10; ++cy)
        for (int cx = 0; cx < 15; ++cx) {
            const int own = t.cell_bank[std::size_t(cy) * 15 + std::size_t(cx)];
            const double mine = cell_error(photo, cx, cy, t.banks[std::size_t(own)]);
            for (const auto& bank : t.banks) BOOST_TEST(mine <= cell_error(photo, cx, cy, bank));
            sum += mine;
        }
    BOOST_TEST(t.error == sum);
    for (const auto& bank : t.banks) {
        BOOST_TEST(bank.size() <= 15u);
        for (Rgb c : bank) BOOST_TEST((gba.snap(c) == c));
    }
    const TilePalettes two = design_tile_palettes(photo, {}, gba, options(8, 15, 2));
    BOOST_TEST((two.banks == t.banks));
    BOOST_TEST((two.cell_bank == t.cell_bank));
    // More banks never show the photo worse than one.
    BOOST_TEST(t.error < design_tile_palettes(photo, {}, gba, options(1, 15)).error);
}
