/* Pass 3: each pixel's nearest entry, found without scanning the whole palette: entries are
 * sorted by green, and the search walks out from the pixel's green in both directions until the
 * green difference alone exceeds the best distance (the "sorted search" of Heckbert 1982). The
 * result is the exhaustive search's, lowest index on a tie. Ordered dithering adds a Bayer
 * threshold to the pixel first. */
#include "core_internal.h"

/* The Bayer 8x8 matrix (Bayer 1973). Its top-left 4x4 block is four times the 4x4 matrix. */
static const uint8_t bayer8[64] = {0,  32, 8,  40, 2,  34, 10, 42, 48, 16, 56, 24, 50, 18, 58, 26,
                                   12, 44, 4,  36, 14, 46, 6,  38, 60, 28, 52, 20, 62, 30, 54, 22,
                                   3,  35, 11, 43, 1,  33, 9,  41, 51, 19, 59, 27, 49, 17, 57, 25,
                                   15, 47, 7,  39, 13, 45, 5,  37, 63, 31, 55, 23, 61, 29, 53, 21};

void kpal__index_palette(kpal_ws* ws) {
    const uint8_t* rgb = KPAL_RGB(ws);
    uint8_t *order = KPAL_ORDER(ws), *greens = KPAL_GREENS(ws);
    uint32_t i, j, g;
    for (i = 0; i < ws->colors; ++i) {
        /* Insertion sort by green, then index: stable and deterministic. */
        const uint8_t entry = (uint8_t)i;
        for (j = i; j > 0 && rgb[3u * order[j - 1u] + 1u] > rgb[3u * i + 1u]; --j)
            order[j] = order[j - 1u];
        order[j] = entry;
    }
    for (i = 0; i < ws->colors; ++i) greens[i] = rgb[3u * order[i] + 1u];
    for (g = 0, i = 0; g < 256; ++g) {
        while (i < ws->colors && greens[i] < g) ++i;
        ws->green_start[g] = (uint16_t)i;
    }
}

static int32_t distance_rb(const uint8_t* e, uint32_t r, uint32_t b) {
    const int32_t dr = (int32_t)e[0] - (int32_t)r, db = (int32_t)e[2] - (int32_t)b;
    return dr * dr + db * db;
}

uint32_t kpal__nearest(const kpal_ws* ws, uint32_t r, uint32_t g, uint32_t b, uint32_t guess) {
    const uint8_t *rgb = KPAL_RGB(ws), *order = KPAL_ORDER(ws), *greens = KPAL_GREENS(ws);
    const int32_t k = (int32_t)ws->colors, start = (int32_t)ws->green_start[g];
    /* The guess (usually the previous pixel's entry: neighbours are alike) bounds the walks
     * from the start. The up and down walks are written out twice on purpose: one loop with a
     * direction costs 4.7% more instructions on the Cortex-M4 (8.28 M against 7.91 M). */
    const uint8_t* e = rgb + 3u * guess;
    int32_t t = (int32_t)e[1] - (int32_t)g, at;
    int32_t best = t * t + distance_rb(e, r, b);
    uint32_t best_index = guess;
    for (at = start; at < k; ++at) {
        uint32_t j;
        int32_t d;
        t = (int32_t)greens[at] - (int32_t)g;
        d = t * t;
        if (d > best) break;
        j = order[at];
        d += distance_rb(rgb + 3u * j, r, b);
        if (d < best || (d == best && j < best_index)) {
            best = d;
            best_index = j;
        }
    }
    for (at = start - 1; at >= 0; --at) {
        uint32_t j;
        int32_t d;
        t = (int32_t)g - (int32_t)greens[at];
        d = t * t;
        if (d > best) break;
        j = order[at];
        d += distance_rb(rgb + 3u * j, r, b);
        if (d < best || (d == best && j < best_index)) {
            best = d;
            best_index = j;
        }
    }
    return best_index;
}

/* Ordered dithering adds to R, G and B alike (t + 1/2) / n^2 - 1/2 of the palette's spacing,
 * for the n x n Bayer value t at the pixel. The spacing is the root mean square of the
 * distances from each entry to its nearest other entry, over sqrt(3) (a gap d in 3-D is
 * d / sqrt 3 along each channel); the k-means engine (src/dither.cpp) takes the median gap.
 * Runs once the entries are final. */
void kpal__set_spread(kpal_ws* ws) {
    const uint8_t* rgb = KPAL_RGB(ws);
    const uint32_t k = ws->colors;
    uint32_t a, b, m = 0, sum = 0, spread = 0;
    for (a = 0; a < k && ws->dither != KPAL_DITHER_NONE; ++a) {
        uint32_t best = 0xffffffffu;
        for (b = 0; b < k; ++b) {
            const int32_t dg = (int32_t)rgb[3u * b + 1u] - (int32_t)rgb[3u * a + 1u];
            const uint32_t d =
                (uint32_t)(distance_rb(rgb + 3u * b, rgb[3u * a], rgb[3u * a + 2u]) + dg * dg);
            if (d && d < best) best = d; /* copies of an entry are not its neighbours */
        }
        if (best != 0xffffffffu) sum += best, ++m; /* at most 256 x 195075: fits */
    }
    if (m) {
        const uint32_t mean = sum / m;
        while ((spread + 1u) * (spread + 1u) <= mean) ++spread; /* at most 442 steps */
    }
    ws->spread = (uint16_t)(spread * 591u >> 10); /* 591 / 1024: 1 / sqrt 3 */
}

void kpal__entries_changed(kpal_ws* ws) {
    uint32_t i;
    kpal__index_palette(ws);
    for (i = 0; i < KPAL_CACHE_SLOTS; ++i) ws->cells.cache[i] = KPAL_CACHE_EMPTY;
}

static uint32_t clamp8(int32_t v) {
    return v < 0 ? 0u : v > 255 ? 255u : (uint32_t)v;
}

int kpal_remap(void* workspace, const uint8_t* pixels, uint32_t x, uint32_t y, uint32_t count,
               kpal_pixel_format format, uint8_t* indices) {
    kpal_ws* ws = (kpal_ws*)workspace;
    const uint32_t step = kpal__pixel_bytes(format);
    const uint8_t* bayer_row;
    uint32_t i, x_mask, shift, bits, c[3], index = 0;
    int err = kpal__check(workspace, KPAL_READY);
    if (err) return err;
    if (((!pixels || !indices) && count) || format > KPAL_RGB565_BE) return KPAL_ERR_ARGUMENT;
    /* Bayer 4x4 values are the 8x8 matrix's top-left block divided by four; 2 n^2 is 2^bits. */
    x_mask = ws->dither == KPAL_DITHER_BAYER4 ? 3u : 7u;
    shift = ws->dither == KPAL_DITHER_BAYER4 ? 2u : 0u;
    bits = ws->dither == KPAL_DITHER_BAYER4 ? 5u : 7u;
    bayer_row = bayer8 + 8u * (y & x_mask);
    for (i = 0; i < count; ++i, ++x, pixels += step) {
        kpal__read_pixel(pixels, format, c);
        if (ws->dither != KPAL_DITHER_NONE) {
            const uint32_t v = bayer_row[x & x_mask] >> shift;
            const int32_t t =
                (int32_t)(((2u * v + 1u) * ws->spread) >> bits) - (int32_t)(ws->spread >> 1);
            c[0] = clamp8((int32_t)c[0] + t);
            c[1] = clamp8((int32_t)c[1] + t);
            c[2] = clamp8((int32_t)c[2] + t);
        }
        index = kpal__lookup(ws, c[0], c[1], c[2], index);
        indices[i] = (uint8_t)index;
    }
    return KPAL_OK;
}

int kpal_design_frame(void* workspace, size_t size, const kpal_params* params,
                      const uint8_t* pixels, uint32_t width, uint32_t height, uint32_t stride,
                      kpal_pixel_format format, uint8_t* rgb) {
    uint32_t y, pass;
    int err = kpal_begin(workspace, size, params);
    if (err) return err;
    if (!pixels || !rgb || width == 0 || height == 0 || format > KPAL_RGB565_BE)
        return KPAL_ERR_ARGUMENT;
    if (width > KPAL_MAX_PIXELS / height) return KPAL_ERR_TOO_LARGE;
    if (stride < width * kpal__pixel_bytes(format)) return KPAL_ERR_ARGUMENT;
    for (y = 0; y < height && !err; ++y)
        err = kpal_histogram(workspace, pixels + (size_t)y * stride, width, format);
    if (!err) err = kpal_cluster(workspace);
    for (pass = 0; pass < params->refine_passes && !err; ++pass) {
        for (y = 0; y < height && !err; ++y)
            err = kpal_refine(workspace, pixels + (size_t)y * stride, width, format);
        if (!err) err = kpal_refine_end(workspace);
        if (err > 0)
            err = KPAL_OK; /* entries moved: another pass may help */
        else if (err == 0)
            break; /* converged */
    }
    return err ? err : kpal_palette(workspace, rgb);
}

int kpal_quantize(void* workspace, size_t size, const kpal_params* params, const uint8_t* pixels,
                  uint32_t width, uint32_t height, uint32_t stride, kpal_pixel_format format,
                  uint8_t* rgb, uint8_t* indices) {
    uint32_t y;
    int err = indices ? kpal_design_frame(workspace, size, params, pixels, width, height, stride,
                                          format, rgb)
                      : KPAL_ERR_ARGUMENT;
    for (y = 0; y < height && !err; ++y)
        err = kpal_remap(workspace, pixels + (size_t)y * stride, 0, y, width, format,
                         indices + (size_t)y * width);
    return err;
}
