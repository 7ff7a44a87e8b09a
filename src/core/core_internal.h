/* What the core's stages share: the workspace and reading one input pixel. Not installed. */
#ifndef KPAL_CORE_INTERNAL_H
#define KPAL_CORE_INTERNAL_H

#include "kpal/core.h"

/* Colours are counted in 16 x 16 x 16 cells (4 bits a channel): 8 KiB of counts hold any frame. */
#define KPAL_CELLS 4096u
#define KPAL_CACHE_SLOTS 2048u
#define KPAL_CACHE_EMPTY 0xffffffffu
#define KPAL_MAGIC 0x6b70616cu /* "kpal" */

enum kpal_state { KPAL_COUNTING = 1, KPAL_CLUSTERED = 2, KPAL_READY = 3 };

/* The fixed part of the workspace; the per-entry arrays follow it (see KPAL_SUMS etc.). */
typedef struct kpal_ws {
    uint32_t magic;
    uint32_t pixels;  /* pixels counted in pass 1 */
    uint32_t refined; /* pixels summed in pass 2 */
    uint16_t colors;
    uint16_t seeded; /* entries seeding found; the rest repeat the last of them */
    uint8_t format, dither, iterations, state;
    uint16_t spread; /* ordered dithering: the palette's spacing along one channel */
    uint16_t unused; /* keeps the counts 4-byte aligned (KPAL_WORKSPACE_FIXED_BYTES) */
    /* Pass 1 counts colours by cell (halved together if one saturates). Once the palette is
     * designed the counts are dead and the same memory caches nearest entries by colour. */
    union {
        uint16_t count[KPAL_CELLS];
        uint32_t cache[KPAL_CACHE_SLOTS]; /* colour << 8 | entry; KPAL_CACHE_EMPTY when unused */
    } cells;
    uint16_t green_start[256]; /* first position in `order` whose green is >= the index */
} kpal_ws;

/* Per entry: R, G, B sums and a pixel count (4 words), then the colours (3 bytes), the entries
 * sorted by green (1 byte) and their greens in that order (1 byte). (Macros rather than
 * functions: -Os does not always inline, and these sit in the per-pixel loops.) */
#define KPAL_SUMS(ws) ((uint32_t*)(void*)((ws) + 1))
#define KPAL_RGB(ws) ((uint8_t*)(void*)((ws) + 1) + 16u * (ws)->colors)
#define KPAL_ORDER(ws) (KPAL_RGB(ws) + 3u * (ws)->colors)
#define KPAL_GREENS(ws) (KPAL_RGB(ws) + 4u * (ws)->colors)

#if defined(__GNUC__)
#define KPAL_INLINE static inline __attribute__((always_inline))
#else
#define KPAL_INLINE static inline
#endif

/* Bytes one input pixel takes. */
static inline uint32_t kpal__pixel_bytes(kpal_pixel_format format) {
    return format == KPAL_RGB888 ? 3u : 2u;
}

/* Reads one pixel as 8-bit R, G, B (RGB565 expanded by bit replication). */
static inline void kpal__read_pixel(const uint8_t* p, kpal_pixel_format format, uint32_t c[3]) {
    uint32_t v;
    if (format == KPAL_RGB888) {
        c[0] = p[0];
        c[1] = p[1];
        c[2] = p[2];
        return;
    }
    v = format == KPAL_RGB565_LE ? (uint32_t)p[0] | (uint32_t)p[1] << 8
                                 : (uint32_t)p[1] | (uint32_t)p[0] << 8;
    c[0] = (v >> 11) << 3 | (v >> 13);
    c[1] = ((v >> 5) & 63u) << 2 | ((v >> 9) & 3u);
    c[2] = (v & 31u) << 3 | ((v >> 2) & 7u);
}

/* The 16 x 16 x 16 cell of one pixel: the top 4 bits of each 8-bit channel, which for RGB565
 * (expanded by bit replication) are the top bits of its 5- and 6-bit fields. */
static inline uint32_t kpal__read_cell(const uint8_t* p, kpal_pixel_format format) {
    uint32_t v;
    if (format == KPAL_RGB888)
        return (uint32_t)(p[0] >> 4) << 8 | (uint32_t)(p[1] >> 4) << 4 | p[2] >> 4;
    v = format == KPAL_RGB565_LE ? (uint32_t)p[0] | (uint32_t)p[1] << 8
                                 : (uint32_t)p[1] | (uint32_t)p[0] << 8;
    return (v >> 12) << 8 | ((v >> 7) & 15u) << 4 | ((v >> 1) & 15u);
}

/* Checks the workspace pointer and state; KPAL_OK or a kpal_err. */
int kpal__check(const void* workspace, unsigned state);

/* Sorts the entries by green and fills green_start (after any entry changes). */
void kpal__index_palette(kpal_ws* ws);

/* The entry nearest to (r, g, b) in squared RGB distance, the lowest index on a tie, whatever
 * the `guess` (an entry index that is likely near: it only speeds the search). */
uint32_t kpal__nearest(const kpal_ws* ws, uint32_t r, uint32_t g, uint32_t b, uint32_t guess);

/* The nearest entry through the colour cache (kpal__nearest on a miss). Only after the design.
 * Inlined: it runs for every pixel of passes 2 and 3. */
KPAL_INLINE uint32_t kpal__lookup(kpal_ws* ws, uint32_t r, uint32_t g, uint32_t b, uint32_t guess) {
    /* A photo has far fewer colours than pixels: most searches are answered here. (White at
     * entry 255 reads as an empty slot and is simply searched each time.) */
    const uint32_t colour = r << 16 | g << 8 | b;
    const uint32_t slot = (colour * 0x9e3779b1u) >> 21; /* Fibonacci hashing to 11 bits */
    const uint32_t cached = ws->cells.cache[slot];
    uint32_t entry;
    if (cached != KPAL_CACHE_EMPTY && cached >> 8 == colour) return cached & 255u;
    entry = kpal__nearest(ws, r, g, b, guess);
    ws->cells.cache[slot] = colour << 8 | entry;
    return entry;
}

/* Re-sorts the entries (kpal__index_palette) and empties the colour cache: after the design
 * or any later change of the entries. */
void kpal__entries_changed(kpal_ws* ws);

/* Sets the ordered-dithering spread from the final entries. */
void kpal__set_spread(kpal_ws* ws);

/* The colour the palette format shows nearest to an 8-bit value of channel `ch`. */
uint32_t kpal__snap(const kpal_ws* ws, uint32_t ch, uint32_t value);

#endif
