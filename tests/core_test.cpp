#define BOOST_TEST_MODULE core
#include "kpal/core.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

// The C core through its public API, on the PC. (The same code on emulated Cortex-M devices is
// held to the PC's bytes by the embedded tests.)

namespace {

using Bytes = std::vector<std::uint8_t>;

// Uninitialised on purpose: under valgrind (CTest core_valgrind) a read of workspace memory the
// core never wrote is an error.
struct Workspace {
    std::size_t bytes;
    std::unique_ptr<std::uint32_t[]> words;
    explicit Workspace(const kpal_params& p)
        : bytes(kpal_workspace_size(&p)), words(new std::uint32_t[(bytes + 3) / 4]) {}
    void* data() { return words.get(); }
    std::size_t size() const { return bytes; }
};

kpal_params params(int colors, kpal_format_id format = KPAL_FORMAT_RGB888,
                   kpal_dither dither = KPAL_DITHER_NONE, int refine = KPAL_DEFAULT_REFINE_PASSES) {
    kpal_params p{};
    p.colors = std::uint16_t(colors);
    p.palette_format = std::uint8_t(format);
    p.dither = std::uint8_t(dither);
    p.refine_passes = std::uint8_t(refine);
    return p;
}

Bytes random_pixels(test::Random& rng, std::size_t n, int levels = 256) {
    Bytes px(3 * n);
    for (auto& v : px) v = std::uint8_t(rng.below(levels) * (255 / std::max(levels - 1, 1)));
    return px;
}

int distance(const std::uint8_t* a, const std::uint8_t* b) {
    int d = 0;
    for (int c = 0; c < 3; ++c) d += (a[c] - b[c]) * (a[c] - b[c]);
    return d;
}

// The exhaustive nearest entry, lowest index on a tie.
int nearest(const Bytes& palette, const std::uint8_t* pixel) {
    int best = 0;
    for (int j = 1; j < int(palette.size() / 3); ++j)
        if (distance(&palette[3 * j], pixel) < distance(&palette[3 * best], pixel)) best = j;
    return best;
}

struct Result {
    Bytes palette, indices;
};

Result quantize(const kpal_params& p, const Bytes& pixels, int width, int height) {
    Workspace ws(p);
    Result r{Bytes(3 * p.colors), Bytes(std::size_t(width) * height)};
    BOOST_REQUIRE_EQUAL(kpal_quantize(ws.data(), ws.size(), &p, pixels.data(), width, height,
                                      3 * width, KPAL_RGB888, r.palette.data(), r.indices.data()),
                        KPAL_OK);
    return r;
}

long long error(const Bytes& pixels, const Bytes& palette, const Bytes& indices) {
    long long sse = 0;
    for (std::size_t i = 0; i < indices.size(); ++i)
        sse += distance(&pixels[3 * i], &palette[3 * indices[i]]);
    return sse;
}

} // namespace

BOOST_AUTO_TEST_CASE(workspace_size_matches_the_static_macro_and_refuses_bad_params) {
    for (int k = 1; k <= 256; ++k) {
        const kpal_params p = params(k);
        BOOST_TEST(kpal_workspace_size(&p) == KPAL_WORKSPACE_BYTES(k));
        BOOST_TEST(kpal_workspace_size(&p) % 4 == 0);
    }
    kpal_params p = params(0);
    BOOST_TEST(kpal_workspace_size(&p) == 0u);
    p = params(257);
    BOOST_TEST(kpal_workspace_size(&p) == 0u);
    p = params(16);
    p.palette_format = KPAL_FORMAT_COUNT;
    BOOST_TEST(kpal_workspace_size(&p) == 0u);
    p = params(16);
    p.dither = 3;
    BOOST_TEST(kpal_workspace_size(&p) == 0u);
    BOOST_TEST(kpal_workspace_size(nullptr) == 0u);
}

BOOST_AUTO_TEST_CASE(errors_are_codes_never_crashes) {
    const kpal_params p = params(16);
    Workspace ws(p);
    std::uint8_t rgb[48], index[4];
    const std::uint8_t px[12] = {};
    BOOST_TEST(kpal_begin(ws.data(), ws.size() - 4, &p) == KPAL_ERR_WORKSPACE);
    BOOST_TEST(kpal_begin(static_cast<char*>(ws.data()) + 1, ws.size() - 4, &p) ==
               KPAL_ERR_WORKSPACE);
    BOOST_TEST(kpal_begin(nullptr, ws.size(), &p) == KPAL_ERR_WORKSPACE);
    BOOST_TEST(kpal_histogram(nullptr, px, 4, KPAL_RGB888) == KPAL_ERR_WORKSPACE);
    BOOST_REQUIRE(kpal_begin(ws.data(), ws.size(), &p) == KPAL_OK);
    BOOST_TEST(kpal_cluster(ws.data()) == KPAL_ERR_ORDER); // nothing counted
    BOOST_TEST(kpal_palette(ws.data(), rgb) == KPAL_ERR_ORDER);
    BOOST_TEST(kpal_remap(ws.data(), px, 0, 0, 4, KPAL_RGB888, index) == KPAL_ERR_ORDER);
    BOOST_TEST(kpal_refine(ws.data(), px, 4, KPAL_RGB888) == KPAL_ERR_ORDER);
    BOOST_TEST(kpal_histogram(ws.data(), nullptr, 4, KPAL_RGB888) == KPAL_ERR_ARGUMENT);
    BOOST_TEST(kpal_histogram(ws.data(), px, 4, kpal_pixel_format(3)) == KPAL_ERR_ARGUMENT);
    // The count is checked before any pixel is read.
    BOOST_TEST(kpal_histogram(ws.data(), px, KPAL_MAX_PIXELS + 1, KPAL_RGB888) ==
               KPAL_ERR_TOO_LARGE);
    BOOST_REQUIRE(kpal_histogram(ws.data(), px, 4, KPAL_RGB888) == KPAL_OK);
    BOOST_REQUIRE(kpal_cluster(ws.data()) == KPAL_OK);
    BOOST_TEST(kpal_histogram(ws.data(), px, 4, KPAL_RGB888) == KPAL_ERR_ORDER);
    BOOST_TEST(kpal_palette(ws.data(), nullptr) == KPAL_ERR_ARGUMENT);
    BOOST_REQUIRE(kpal_palette(ws.data(), rgb) == KPAL_OK);
    BOOST_TEST(kpal_remap(ws.data(), px, 0, 0, 4, KPAL_RGB888, index) == KPAL_OK);
    BOOST_TEST(kpal_remap(ws.data(), px, 0, 0, 4, KPAL_RGB888, nullptr) == KPAL_ERR_ARGUMENT);
    // A workspace that never saw kpal_begin (a zeroed static array, say) is refused.
    std::vector<std::uint32_t> blank(ws.size() / 4, 0);
    BOOST_TEST(kpal_cluster(blank.data()) == KPAL_ERR_ORDER);
    Bytes big(64);
    BOOST_TEST(kpal_quantize(ws.data(), ws.size(), &p, big.data(), 4, 4, 11, KPAL_RGB888, rgb,
                             index) == KPAL_ERR_ARGUMENT); // stride shorter than a row
}

BOOST_AUTO_TEST_CASE(remap_equals_the_exhaustive_search_with_ties_to_the_lowest_index) {
    test::Random rng(7);
    for (int k : {1, 2, 3, 16, 17, 100, 255, 256}) {
        for (int levels : {256, 4}) { // few levels: many ties and duplicate entries
            const kpal_params p = params(k);
            Workspace ws(p);
            const Bytes palette = random_pixels(rng, std::size_t(k), levels);
            const Bytes pixels = random_pixels(rng, 3000, levels == 4 ? 8 : 256);
            BOOST_REQUIRE(kpal_begin(ws.data(), ws.size(), &p) == KPAL_OK);
            BOOST_REQUIRE(kpal_set_palette(ws.data(), palette.data()) == KPAL_OK);
            Bytes indices(3000);
            // Twice: the second pass answers from the colour cache.
            for (int pass = 0; pass < 2; ++pass) {
                BOOST_REQUIRE(kpal_remap(ws.data(), pixels.data(), 0, 0, 3000, KPAL_RGB888,
                                         indices.data()) == KPAL_OK);
                int wrong = 0;
                for (std::size_t i = 0; i < 3000; ++i)
                    wrong += indices[i] != nearest(palette, &pixels[3 * i]);
                BOOST_TEST(wrong == 0, "K " << k << " levels " << levels << " pass " << pass);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(white_at_entry_255_is_found_although_its_cache_word_reads_as_empty) {
    const kpal_params p = params(256);
    Workspace ws(p);
    Bytes palette(768, 0);
    for (int j = 0; j < 255; ++j) palette[3 * j] = std::uint8_t(j); // reds
    palette[765] = palette[766] = palette[767] = 255;
    const Bytes white(30, 255);
    Bytes indices(10);
    BOOST_REQUIRE(kpal_begin(ws.data(), ws.size(), &p) == KPAL_OK);
    BOOST_REQUIRE(kpal_set_palette(ws.data(), palette.data()) == KPAL_OK);
    for (int pass = 0; pass < 2; ++pass) {
        BOOST_REQUIRE(kpal_remap(ws.data(), white.data(), 0, 0, 10, KPAL_RGB888, indices.data()) ==
                      KPAL_OK);
        for (std::uint8_t i : indices) BOOST_TEST(int(i) == 255);
    }
}

BOOST_AUTO_TEST_CASE(distinct_colours_in_distinct_cells_come_back_exactly) {
    // Seven colours more than 16 levels apart (each its own cell) and K = 16: the refine pass
    // replaces cell centres with the exact colours; entries past them repeat the last.
    const std::array<std::array<std::uint8_t, 3>, 7> colours = {{{0, 0, 0},
                                                                 {255, 255, 255},
                                                                 {200, 30, 60},
                                                                 {30, 200, 60},
                                                                 {60, 30, 200},
                                                                 {128, 128, 0},
                                                                 {7, 99, 250}}};
    Bytes pixels;
    for (int i = 0; i < 700; ++i) {
        const auto& c = colours[std::size_t(i * 3 + i / 7) % 7]; // every colour, mixed order
        pixels.insert(pixels.end(), c.begin(), c.end());
    }
    const Result r = quantize(params(16), pixels, 70, 10);
    for (std::size_t i = 0; i < r.indices.size(); ++i)
        BOOST_TEST(distance(&r.palette[3 * r.indices[i]], &pixels[3 * i]) == 0);
    BOOST_TEST(error(pixels, r.palette, r.indices) == 0);
}

BOOST_AUTO_TEST_CASE(one_colour_and_k1) {
    const Bytes grey(3 * 64, 77);
    const Result r = quantize(params(16), grey, 8, 8);
    for (int j = 0; j < 16; ++j) BOOST_TEST(int(r.palette[3 * j + 1]) == 77);
    test::Random rng(3);
    const Bytes pixels = random_pixels(rng, 400);
    const Result one = quantize(params(1), pixels, 20, 20);
    long long sum = 0;
    for (std::size_t i = 1; i < pixels.size(); i += 3) sum += pixels[i];
    BOOST_TEST(int(one.palette[1]) == int((sum + 200) / 400)); // K = 1: the mean green
    for (std::uint8_t i : one.indices) BOOST_TEST(int(i) == 0);
}

BOOST_AUTO_TEST_CASE(entries_are_colours_the_format_shows) {
    test::Random rng(11);
    const Bytes pixels = random_pixels(rng, 2000);
    for (int f = 0; f < KPAL_FORMAT_COUNT; ++f) {
        const Result r = quantize(params(16, kpal_format_id(f)), pixels, 40, 50);
        Bytes encoded(16 * 4), decoded(48);
        BOOST_REQUIRE(kpal_encode_palette(std::uint8_t(f), r.palette.data(), 16, encoded.data()) ==
                      KPAL_OK);
        BOOST_REQUIRE(kpal_decode_palette(std::uint8_t(f), encoded.data(), 16, decoded.data()) ==
                      KPAL_OK);
        BOOST_TEST(decoded == r.palette, "format " << f);
    }
}

BOOST_AUTO_TEST_CASE(refine_passes_never_increase_the_error) {
    // Each pass moves entries to the rounded means of their pixels, which cannot raise the
    // error of that assignment, and reassigning to the nearest entry only lowers it.
    test::Random rng(5);
    Bytes pixels;
    for (int i = 0; i < 4000; ++i) { // clustered colours, like a photo's
        const int base = rng.below(6) * 40;
        for (int c = 0; c < 3; ++c) pixels.push_back(std::uint8_t(base + rng.below(30) + 10 * c));
    }
    long long previous = -1;
    for (int passes = 0; passes <= 6; ++passes) {
        const Result r =
            quantize(params(8, KPAL_FORMAT_RGB888, KPAL_DITHER_NONE, passes), pixels, 80, 50);
        const long long sse = error(pixels, r.palette, r.indices);
        if (previous >= 0) BOOST_TEST(sse <= previous, passes << " passes");
        previous = sse;
    }
}

BOOST_AUTO_TEST_CASE(rows_chunks_and_whole_frames_give_the_same_bytes) {
    test::Random rng(9);
    const int w = 37, h = 11;
    const Bytes pixels = random_pixels(rng, std::size_t(w) * h);
    for (kpal_dither d : {KPAL_DITHER_NONE, KPAL_DITHER_BAYER4, KPAL_DITHER_BAYER8}) {
        const kpal_params p = params(12, KPAL_FORMAT_RGB565_BE, d);
        const Result whole = quantize(p, pixels, w, h);
        BOOST_TEST(quantize(p, pixels, w, h).indices == whole.indices); // same bytes again
        // Streamed: counted and refined pixel by pixel, remapped in chunks of 5.
        Workspace ws(p);
        BOOST_REQUIRE(kpal_begin(ws.data(), ws.size(), &p) == KPAL_OK);
        for (int i = 0; i < w * h; ++i)
            BOOST_REQUIRE(kpal_histogram(ws.data(), &pixels[3 * i], 1, KPAL_RGB888) == KPAL_OK);
        BOOST_REQUIRE(kpal_cluster(ws.data()) == KPAL_OK);
        for (int pass = 0; pass < p.refine_passes; ++pass) {
            for (int y = 0; y < h; ++y)
                kpal_refine(ws.data(), &pixels[3 * std::size_t(y) * w], w, KPAL_RGB888);
            if (kpal_refine_end(ws.data()) == 0) break;
        }
        Bytes palette(36), indices(std::size_t(w) * h);
        BOOST_REQUIRE(kpal_palette(ws.data(), palette.data()) == KPAL_OK);
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; x += 5)
                BOOST_REQUIRE(kpal_remap(ws.data(), &pixels[3 * (std::size_t(y) * w + x)], x, y,
                                         std::min(5, w - x), KPAL_RGB888,
                                         &indices[std::size_t(y) * w + x]) == KPAL_OK);
        BOOST_TEST(palette == whole.palette);
        BOOST_TEST(indices == whole.indices);
    }
}

BOOST_AUTO_TEST_CASE(rgb565_input_reads_as_its_expanded_colours) {
    // The same frame as RGB565 (both byte orders) and as the RGB888 colours those codes show.
    test::Random rng(13);
    const int n = 500;
    Bytes le, be, rgb;
    for (int i = 0; i < n; ++i) {
        const unsigned v = rng.next() & 0xffff;
        le.insert(le.end(), {std::uint8_t(v), std::uint8_t(v >> 8)});
        be.insert(be.end(), {std::uint8_t(v >> 8), std::uint8_t(v)});
        rgb.insert(rgb.end(), {kpal_expand_channel(v >> 11, 5), kpal_expand_channel(v >> 5 & 63, 6),
                               kpal_expand_channel(v & 31, 5)});
    }
    const kpal_params p = params(16, KPAL_FORMAT_RGB565_LE, KPAL_DITHER_BAYER4);
    const Result want = quantize(p, rgb, 25, 20);
    for (const auto& [frame, format] : {std::pair{le, KPAL_RGB565_LE}, {be, KPAL_RGB565_BE}}) {
        Workspace ws(p);
        Result got{Bytes(48), Bytes(n)};
        BOOST_REQUIRE(kpal_quantize(ws.data(), ws.size(), &p, frame.data(), 25, 20, 50, format,
                                    got.palette.data(), got.indices.data()) == KPAL_OK);
        BOOST_TEST(got.palette == want.palette);
        BOOST_TEST(got.indices == want.indices);
    }
}

BOOST_AUTO_TEST_CASE(a_saturated_cell_halves_the_counts_and_design_goes_on) {
    // 70000 pixels of one colour overflow its 16-bit count; a few of another stay counted.
    Bytes pixels;
    for (int i = 0; i < 70000; ++i) pixels.insert(pixels.end(), {10, 20, 30});
    for (int i = 0; i < 100; ++i) pixels.insert(pixels.end(), {240, 230, 220});
    const Result r = quantize(params(2), pixels, 701, 100);
    BOOST_TEST(int(r.indices.front()) != int(r.indices.back()));
    BOOST_TEST(error(pixels, r.palette, r.indices) == 0);
}

BOOST_AUTO_TEST_CASE(ordered_dithering_depends_on_position_only) {
    // A flat colour between two entries: Bayer thresholds make a pattern that repeats every 4
    // (bayer4) or 8 (bayer8) pixels, whatever comes before it.
    for (auto [d, n] : {std::pair{KPAL_DITHER_BAYER4, 4}, {KPAL_DITHER_BAYER8, 8}}) {
        const kpal_params p = params(2, KPAL_FORMAT_RGB888, d);
        Workspace ws(p);
        const Bytes palette = {0, 0, 0, 255, 255, 255};
        BOOST_REQUIRE(kpal_begin(ws.data(), ws.size(), &p) == KPAL_OK);
        BOOST_REQUIRE(kpal_set_palette(ws.data(), palette.data()) == KPAL_OK);
        const Bytes grey(3 * 32, 128);
        std::vector<Bytes> rows(16, Bytes(32));
        for (int y = 0; y < 16; ++y)
            kpal_remap(ws.data(), grey.data(), 0, y, 32, KPAL_RGB888, rows[y].data());
        int ones = 0;
        for (int y = 0; y < 16; ++y)
            for (int x = 0; x < 32; ++x) {
                BOOST_TEST(rows[y][x] == rows[(y + n) % 16][(x + n) % 32]);
                ones += rows[y][x];
            }
        BOOST_TEST(ones > 16 * 32 / 4);     // a real mix of both entries,
        BOOST_TEST(ones < 16 * 32 * 3 / 4); // about half each
    }
}

BOOST_AUTO_TEST_CASE(pack_row_writes_padding_as_zero_and_rejects_what_a_layout_cannot_hold) {
    const std::uint8_t indices[5] = {1, 2, 3, 0, 3};
    const kpal_geometry g{5, 1, 2, 4}; // 5 pixels of 2 bits: 2 bytes, padded to 4
    Bytes out(4, 0xaa);
    BOOST_REQUIRE(kpal_packed_stride(&g, KPAL_LAYOUT_PACKED_MSB) == 4u);
    BOOST_REQUIRE(kpal_pack_row(&g, KPAL_LAYOUT_PACKED_MSB, indices, 0, out.data()) == KPAL_OK);
    BOOST_TEST(out == (Bytes{0x6c, 0xc0, 0, 0})); // 01 10 11 00 | 11 00 00 00
    BOOST_REQUIRE(kpal_pack_row(&g, KPAL_LAYOUT_PACKED_LSB, indices, 0, out.data()) == KPAL_OK);
    BOOST_TEST(out == (Bytes{0x39, 0x03, 0, 0})); // 00 11 10 01 | 00 00 00 11
    const kpal_geometry linear4{5, 1, 4, 1}, planar8{5, 1, 8, 1};
    BOOST_TEST(kpal_packed_stride(&linear4, KPAL_LAYOUT_LINEAR) == 0u);
    BOOST_TEST(kpal_packed_size(&planar8, KPAL_LAYOUT_PLANAR) == 0u);
    BOOST_TEST(kpal_pack_row(&linear4, KPAL_LAYOUT_LINEAR, indices, 0, out.data()) ==
               KPAL_ERR_ARGUMENT);
    BOOST_TEST(kpal_pack_row(&g, KPAL_LAYOUT_PACKED_MSB, indices, 1, out.data()) ==
               KPAL_ERR_ARGUMENT); // row 1 of a one-row image
    const kpal_geometry huge{0xffffffu, 0xffffffu, 8, 1};
    BOOST_TEST(kpal_packed_size(&huge, KPAL_LAYOUT_LINEAR) == 0u); // would overflow 32 bits
}

BOOST_AUTO_TEST_CASE(channel_reduction_is_the_nearest_code_lower_on_a_tie) {
    for (unsigned bits = 1; bits <= 8; ++bits)
        for (int v = 0; v < 256; ++v) {
            unsigned best = 0;
            for (unsigned q = 1; q < (1u << bits); ++q)
                if (std::abs(kpal_expand_channel(q, bits) - v) <
                    std::abs(kpal_expand_channel(best, bits) - v))
                    best = q;
            BOOST_TEST(kpal_reduce_channel(std::uint8_t(v), bits) == best);
        }
    BOOST_TEST(kpal_expand_channel(63, 6) == 255);
    BOOST_TEST(kpal_expand_channel(1, 2) == 85);
    BOOST_TEST(kpal_reduce_channel(10, 0) == 0u); // out of range: 0, no undefined shift
    BOOST_TEST(kpal_reduce_channel(10, 9) == 0u);
}
