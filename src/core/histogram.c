/* Pass 1: the workspace and the colour counts. Colours are counted in 16 x 16 x 16 cells so that
 * the counts of any frame fit 8 KiB; kpal_refine later measures the exact colours. */
#include "core_internal.h"

/* KPAL_WORKSPACE_BYTES in core.h must follow the workspace's layout. */
typedef char fixed_bytes_match[sizeof(kpal_ws) == KPAL_WORKSPACE_FIXED_BYTES ? 1 : -1];

size_t kpal_workspace_size(const kpal_params* params) {
    if (!params || params->colors < 1 || params->colors > 256 ||
        params->palette_format >= KPAL_FORMAT_COUNT || params->dither > KPAL_DITHER_BAYER8)
        return 0;
    return KPAL_WORKSPACE_BYTES(params->colors);
}

int kpal__check(const void* workspace, unsigned state) {
    const kpal_ws* ws = (const kpal_ws*)workspace;
    if (!ws || ((uintptr_t)ws & 3u) != 0) return KPAL_ERR_WORKSPACE;
    if (ws->magic != KPAL_MAGIC) return KPAL_ERR_ORDER;
    if (state && ws->state != state) return KPAL_ERR_ORDER;
    return KPAL_OK;
}

int kpal_begin(void* workspace, size_t size, const kpal_params* params) {
    kpal_ws* ws = (kpal_ws*)workspace;
    const size_t need = kpal_workspace_size(params);
    uint32_t i;
    if (need == 0) return KPAL_ERR_ARGUMENT;
    if (!ws || ((uintptr_t)ws & 3u) != 0 || size < need) return KPAL_ERR_WORKSPACE;
    ws->magic = KPAL_MAGIC;
    ws->pixels = 0;
    ws->refined = 0;
    ws->colors = params->colors;
    ws->format = params->palette_format;
    ws->dither = params->dither;
    ws->iterations = params->iterations ? params->iterations : KPAL_DEFAULT_ITERATIONS;
    ws->state = KPAL_COUNTING;
    for (i = 0; i < KPAL_CELLS; ++i) ws->cells.count[i] = 0;
    return KPAL_OK;
}

int kpal_histogram(void* workspace, const uint8_t* pixels, uint32_t count,
                   kpal_pixel_format format) {
    kpal_ws* ws = (kpal_ws*)workspace;
    const uint32_t step = kpal__pixel_bytes(format);
    uint32_t i;
    int err = kpal__check(workspace, KPAL_COUNTING);
    if (err) return err;
    if ((!pixels && count) || format > KPAL_RGB565_BE) return KPAL_ERR_ARGUMENT;
    if (count > KPAL_MAX_PIXELS - ws->pixels) return KPAL_ERR_TOO_LARGE;
    ws->pixels += count;
    for (i = 0; i < count; ++i, pixels += step) {
        const uint32_t cell = kpal__read_cell(pixels, format);
        if (ws->cells.count[cell] == 0xffffu) {
            /* A saturated cell halves every count (rounding up, so no colour disappears). */
            uint32_t j;
            for (j = 0; j < KPAL_CELLS; ++j)
                ws->cells.count[j] = (uint16_t)((ws->cells.count[j] + 1u) >> 1);
        }
        ++ws->cells.count[cell];
    }
    return KPAL_OK;
}
