/* Palette design in integers: variance-split seeds over the counted cells (after Wu 1991 and
 * the comparison in Celebi 2011), then weighted k-means (Lloyd) on the cells with every entry
 * snapped to the palette format, until no entry moves or the iteration cap; each refine pass
 * (kpal_refine, kpal_refine_end) then moves every entry to the exact mean of the pixels it
 * takes: a Lloyd step on the pixels themselves. */
#include "core_internal.h"

/* A box of cells, inclusive cell coordinates, with the spread of its counts and where a split
 * along its widest axis would cut. Boxes live in the sums area while seeding. */
typedef struct box {
    uint32_t score; /* a quarter of its weighted squared spread (cell units); 0: cannot split */
    uint8_t lo[3], hi[3];
    uint8_t axis, cut; /* the split keeps lo..cut and gives cut+1..hi to a new box */
} box;

typedef char box_fits_in_sums[sizeof(box) <= 16 ? 1 : -1];

static uint32_t cell_count(const kpal_ws* ws, uint32_t r, uint32_t g, uint32_t b) {
    return ws->cells.count[r << 8 | g << 4 | b];
}

/* A mean s / n in cell units with 4 fraction bits (s <= 15 n, n <= 2^24: no overflow). */
static uint32_t mean_4(uint32_t s, uint32_t n) {
    return (s / n) << 4 | ((s % n) << 4) / n;
}

/* Where to cut marginal counts m[lo..hi] (n counts summing to s cell units) so that the two
 * halves' squared error is least: Wu's criterion, the cut that maximises
 * n_left n_right (mean_left - mean_right)^2, with both counts scaled to 8 bits so the product
 * fits 32 bits. Both halves keep counts. */
static uint8_t best_cut(const uint32_t* m, uint32_t lo, uint32_t hi, uint32_t n, uint32_t s) {
    uint32_t shift = 0, i, nl = 0, sl = 0, best = 0, cut = lo;
    while ((n >> shift) > 255u) ++shift;
    for (i = lo; i < hi; ++i) {
        uint32_t d, score;
        nl += m[i];
        sl += m[i] * i;
        if (nl == 0 || nl == n) continue;
        d = mean_4(s - sl, n - nl) - mean_4(sl, nl);
        score = ((nl >> shift) + 1u) * (((n - nl) >> shift) + 1u) * d * d;
        if (score > best) {
            best = score;
            cut = i;
        }
    }
    return (uint8_t)cut;
}

/* Shrinks the box to its counted cells and finds its score, split axis and cut; writes the
 * mean colour of its cells (8-bit, cell centres) to `mean`. */
static void measure(const kpal_ws* ws, box* bx, uint32_t mean[3]) {
    uint32_t marginal[3][16] = {{0}};
    uint32_t r, g, b, axis, i, total = 0, widest = 0;
    bx->score = 0;
    for (r = bx->lo[0]; r <= bx->hi[0]; ++r)
        for (g = bx->lo[1]; g <= bx->hi[1]; ++g)
            for (b = bx->lo[2]; b <= bx->hi[2]; ++b) {
                const uint32_t c = cell_count(ws, r, g, b);
                marginal[0][r] += c;
                marginal[1][g] += c;
                marginal[2][b] += c;
            }
    for (axis = 0; axis < 3; ++axis) {
        const uint32_t* m = marginal[axis];
        uint32_t n = 0, s = 0, sse = 0, centre;
        while (bx->lo[axis] < bx->hi[axis] && m[bx->lo[axis]] == 0) ++bx->lo[axis];
        while (bx->hi[axis] > bx->lo[axis] && m[bx->hi[axis]] == 0) --bx->hi[axis];
        for (i = bx->lo[axis]; i <= bx->hi[axis]; ++i) {
            n += m[i];
            s += m[i] * i;
        }
        if (n == 0) n = 1; /* no box is empty (kpal_cluster needs counts); never divide by 0 */
        mean[axis] = (s * 16u + 8u * n + n / 2u) / n; /* of the cell centres, 16 i + 8 */
        centre = mean[axis] >> 4;                     /* the mean cell, rounded */
        for (i = bx->lo[axis]; i <= bx->hi[axis]; ++i) {
            const uint32_t d = i > centre ? i - centre : centre - i;
            sse += m[i] * d * d;
        }
        total += sse >> 2; /* three quarters of 2^32 at most */
        if (sse <= widest || bx->lo[axis] == bx->hi[axis]) continue;
        widest = sse;
        bx->axis = (uint8_t)axis;
        bx->cut = best_cut(m, bx->lo[axis], bx->hi[axis], n, s);
    }
    bx->score = widest ? total : 0;
}

static void set_entry(kpal_ws* ws, uint32_t j, const uint32_t c[3]) {
    uint8_t* e = KPAL_RGB(ws) + 3u * j;
    uint32_t ch;
    for (ch = 0; ch < 3; ++ch) e[ch] = (uint8_t)kpal__snap(ws, ch, c[ch]);
}

/* Entries past the seeded ones repeat the last seeded entry: a nearest search never picks a
 * copy (the lower index wins ties), and the palette holds no colour the image lacks. */
static void repeat_last(kpal_ws* ws) {
    uint8_t* e = KPAL_RGB(ws);
    uint32_t i;
    for (i = 3u * ws->seeded; i < 3u * ws->colors; ++i) e[i] = e[i - 3u];
}

/* Splits the box of largest spread until there are K boxes or none can split; each box's mean
 * seeds one entry. */
static void seed(kpal_ws* ws) {
    box* boxes = (box*)(void*)KPAL_SUMS(ws);
    uint32_t mean[3], n = 1, i;
    boxes[0].lo[0] = boxes[0].lo[1] = boxes[0].lo[2] = 0;
    boxes[0].hi[0] = boxes[0].hi[1] = boxes[0].hi[2] = 15;
    measure(ws, &boxes[0], mean);
    set_entry(ws, 0, mean);
    while (n < ws->colors) {
        uint32_t best = 0;
        for (i = 1; i < n; ++i)
            if (boxes[i].score > boxes[best].score) best = i;
        if (boxes[best].score == 0) break;
        boxes[n] = boxes[best];
        boxes[n].lo[boxes[best].axis] = (uint8_t)(boxes[best].cut + 1u);
        boxes[best].hi[boxes[best].axis] = boxes[best].cut;
        measure(ws, &boxes[best], mean);
        set_entry(ws, best, mean);
        measure(ws, &boxes[n], mean);
        set_entry(ws, n, mean);
        ++n;
    }
    ws->seeded = (uint16_t)n;
    repeat_last(ws);
}

static void clear_sums(kpal_ws* ws) {
    uint32_t *sums = KPAL_SUMS(ws), i;
    for (i = 0; i < 4u * ws->colors; ++i) sums[i] = 0;
}

static void add(uint32_t* sum, const uint32_t c[3], uint32_t weight) {
    sum[0] += c[0] * weight;
    sum[1] += c[1] * weight;
    sum[2] += c[2] * weight;
    sum[3] += weight;
}

/* Moves each entry that took pixels to their rounded mean, snapped; returns how many moved. */
static uint32_t move_entries(kpal_ws* ws) {
    const uint32_t* sums = KPAL_SUMS(ws);
    uint8_t* rgb = KPAL_RGB(ws);
    uint32_t j, ch, moved = 0;
    for (j = 0; j < ws->colors; ++j) {
        const uint32_t* s = sums + 4u * j;
        if (s[3] == 0) continue; /* an entry nobody took keeps its colour */
        for (ch = 0; ch < 3; ++ch) {
            const uint8_t v = (uint8_t)kpal__snap(ws, ch, (s[ch] + s[3] / 2u) / s[3]);
            moved += rgb[3u * j + ch] != v;
            rgb[3u * j + ch] = v;
        }
    }
    repeat_last(ws);
    return moved;
}

int kpal_cluster(void* workspace) {
    kpal_ws* ws = (kpal_ws*)workspace;
    uint32_t it, cell, c[3], j = 0;
    int err = kpal__check(workspace, KPAL_COUNTING);
    if (err) return err;
    if (ws->pixels == 0) return KPAL_ERR_ORDER;
    seed(ws);
    for (it = 0; it < ws->iterations; ++it) {
        uint32_t* sums = KPAL_SUMS(ws);
        kpal__index_palette(ws);
        clear_sums(ws);
        for (cell = 0; cell < KPAL_CELLS; ++cell) {
            const uint32_t n = ws->cells.count[cell];
            if (n == 0) continue;
            c[0] = (cell >> 8) * 16u + 8u;
            c[1] = ((cell >> 4) & 15u) * 16u + 8u;
            c[2] = (cell & 15u) * 16u + 8u;
            j = kpal__nearest(ws, c[0], c[1], c[2], j);
            add(sums + 4u * j, c, n);
        }
        if (move_entries(ws) == 0) break;
    }
    kpal__entries_changed(ws);
    clear_sums(ws);
    ws->refined = 0;
    ws->state = KPAL_CLUSTERED;
    return KPAL_OK;
}

int kpal_refine(void* workspace, const uint8_t* pixels, uint32_t count, kpal_pixel_format format) {
    kpal_ws* ws = (kpal_ws*)workspace;
    uint32_t* sums;
    const uint32_t step = kpal__pixel_bytes(format);
    uint32_t i, c[3], j = 0;
    int err = kpal__check(workspace, KPAL_CLUSTERED);
    if (err) return err;
    if ((!pixels && count) || format > KPAL_RGB565_BE) return KPAL_ERR_ARGUMENT;
    if (count > KPAL_MAX_PIXELS - ws->refined) return KPAL_ERR_TOO_LARGE;
    ws->refined += count;
    sums = KPAL_SUMS(ws);
    for (i = 0; i < count; ++i, pixels += step) {
        uint32_t* s;
        kpal__read_pixel(pixels, format, c);
        j = kpal__lookup(ws, c[0], c[1], c[2], j);
        s = sums + 4u * j;
        s[0] += c[0];
        s[1] += c[1];
        s[2] += c[2];
        ++s[3];
    }
    return KPAL_OK;
}

int kpal_refine_end(void* workspace) {
    kpal_ws* ws = (kpal_ws*)workspace;
    uint32_t moved;
    int err = kpal__check(workspace, KPAL_CLUSTERED);
    if (err) return err;
    moved = move_entries(ws);
    kpal__entries_changed(ws);
    clear_sums(ws);
    ws->refined = 0;
    return (int)moved;
}

int kpal_palette(void* workspace, uint8_t* rgb) {
    kpal_ws* ws = (kpal_ws*)workspace;
    const uint8_t* entries;
    uint32_t i;
    int err = kpal__check(workspace, 0);
    if (err) return err;
    if (ws->state == KPAL_COUNTING) return KPAL_ERR_ORDER;
    if (!rgb) return KPAL_ERR_ARGUMENT;
    if (ws->state == KPAL_CLUSTERED) {
        if (ws->refined && move_entries(ws)) kpal__entries_changed(ws);
        kpal__set_spread(ws);
        ws->state = KPAL_READY;
    }
    entries = KPAL_RGB(ws);
    for (i = 0; i < 3u * ws->colors; ++i) rgb[i] = entries[i];
    return KPAL_OK;
}

int kpal_set_palette(void* workspace, const uint8_t* rgb) {
    kpal_ws* ws = (kpal_ws*)workspace;
    uint8_t* entries;
    uint32_t i;
    int err = kpal__check(workspace, KPAL_COUNTING);
    if (err) return err;
    if (!rgb) return KPAL_ERR_ARGUMENT;
    entries = KPAL_RGB(ws);
    for (i = 0; i < 3u * ws->colors; ++i) entries[i] = rgb[i];
    ws->seeded = ws->colors;
    kpal__entries_changed(ws);
    kpal__set_spread(ws);
    ws->state = KPAL_READY;
    return KPAL_OK;
}
