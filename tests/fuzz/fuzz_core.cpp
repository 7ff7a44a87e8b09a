// libFuzzer target: the C core's streaming API driven by the input. The first bytes choose the
// parameters and a sequence of calls (in or out of order); the rest are pixels. Every call must
// return a code, never crash or touch memory outside the workspace (exactly the size asked for,
// so ASan sees any overrun), and whenever a remap succeeds its indices must be the exhaustive
// nearest entries.
#include "kpal/core.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

namespace {

int nearest(const std::uint8_t* palette, int k, const std::uint8_t* c) {
    int best = 0, best_d = 1 << 30;
    for (int j = 0; j < k; ++j) {
        int d = 0;
        for (int ch = 0; ch < 3; ++ch)
            d += (palette[3 * j + ch] - c[ch]) * (palette[3 * j + ch] - c[ch]);
        if (d < best_d) best = j, best_d = d;
    }
    return best;
}

// The 8-bit colour the core reads for one pixel (RGB565 expanded by bit replication).
void read(const std::uint8_t* p, kpal_pixel_format f, std::uint8_t* c) {
    if (f == KPAL_RGB888) {
        c[0] = p[0], c[1] = p[1], c[2] = p[2];
        return;
    }
    const unsigned v = f == KPAL_RGB565_LE ? p[0] | p[1] << 8 : p[1] | p[0] << 8;
    c[0] = kpal_expand_channel(v >> 11, 5);
    c[1] = kpal_expand_channel(v >> 5 & 63, 6);
    c[2] = kpal_expand_channel(v & 31, 5);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 10) return 0;
    kpal_params p{};
    p.colors = std::uint16_t(data[0] + 1);
    p.palette_format = data[1] % (KPAL_FORMAT_COUNT + 1); // one past the end: refused
    p.dither = data[2] % 4;
    p.iterations = data[3] % 8;
    p.refine_passes = data[4] % 4;
    const auto format = kpal_pixel_format(data[5] % 3);
    const std::uint32_t step = format == KPAL_RGB888 ? 3 : 2;
    const std::uint8_t* calls = data + 6;
    const std::size_t ncalls = 4;
    data += 10, size -= 10;
    if (size < step) return 0;
    const std::uint32_t count = std::uint32_t(size / step);

    const std::size_t bytes = kpal_workspace_size(&p);
    if (bytes == 0) {
        std::uint32_t small[4];
        if (kpal_begin(small, sizeof small, &p) != KPAL_ERR_ARGUMENT) std::abort();
        return 0;
    }
    const auto ws = std::make_unique<std::uint32_t[]>(bytes / 4);
    std::vector<std::uint8_t> rgb(3 * p.colors), indices(count);
    if (kpal_begin(ws.get(), bytes, &p) != KPAL_OK) std::abort();
    bool ready = false;
    for (std::size_t i = 0; i < ncalls; ++i) {
        const std::uint32_t n = count - (calls[i] >> 3) % (count + 1) / 2; // some of the pixels
        switch (calls[i] % 8) {
        case 0:
            kpal_histogram(ws.get(), data, n, format);
            break;
        case 1:
            kpal_cluster(ws.get());
            break;
        case 2:
            kpal_refine(ws.get(), data, n, format);
            break;
        case 3:
            kpal_refine_end(ws.get());
            break;
        case 4:
            ready = kpal_palette(ws.get(), rgb.data()) == KPAL_OK || ready;
            break;
        case 5: // the first pixels' bytes as a given palette
            if (size >= 3u * p.colors && kpal_set_palette(ws.get(), data) == KPAL_OK)
                ready = kpal_palette(ws.get(), rgb.data()) == KPAL_OK;
            break;
        default: {
            // The usual order from here: histogram, cluster, refine, palette.
            if (kpal_histogram(ws.get(), data, count, format) == KPAL_OK &&
                kpal_cluster(ws.get()) == KPAL_OK) {
                for (int pass = 0; pass < p.refine_passes; ++pass) {
                    kpal_refine(ws.get(), data, count, format);
                    if (kpal_refine_end(ws.get()) <= 0) break;
                }
            }
            ready = kpal_palette(ws.get(), rgb.data()) == KPAL_OK || ready;
        }
        }
    }
    if (!ready) return 0;
    const std::uint32_t x = calls[0], y = calls[1];
    if (kpal_remap(ws.get(), data, x, y, count, format, indices.data()) != KPAL_OK) std::abort();
    if (p.dither == KPAL_DITHER_NONE)
        for (std::uint32_t i = 0; i < count; ++i) {
            std::uint8_t c[3];
            read(data + step * i, format, c);
            if (indices[i] != nearest(rgb.data(), p.colors, c)) std::abort();
        }
    for (std::uint32_t i = 0; i < count; ++i)
        if (indices[i] >= p.colors) std::abort();
    return 0;
}
