/* Palette formats: one row of a table per format, and the encode/decode of entries. The C++
 * library reads this table (adding a description for the help text), so every format is defined
 * once. A channel's code is expanded by bit replication, which is what the hardware shows: the
 * VGA DAC's 6-bit v is shown as (v << 2) | (v >> 4); EGA's 2-bit levels as 0, 85, 170, 255. */
#include "core_internal.h"

/* A channel whose bits sit together, the lowest at bit `shift`. */
#define FIELD(bits, shift)                                                                         \
    { bits, (shift) + (bits)-1, -1 }

/* clang-format off */
/* The entry word is stored most significant byte first when big_endian. EGA's register holds
 * each channel as two bits apart: the 2/3-intensity bit (the code's high bit) in bits 2, 1, 0
 * for red, green, blue and the 1/3 bit three above it, in bits 5, 4, 3. */
const kpal_palette_format kpal_palette_formats[KPAL_FORMAT_COUNT] = {
    /*                        bytes BE fixed red            green          blue */
    [KPAL_FORMAT_RGB888]    = {3, 1, 0,    {FIELD(8, 16), FIELD(8, 8),  FIELD(8, 0)}},
    [KPAL_FORMAT_BGR888]    = {3, 1, 0,    {FIELD(8, 0),  FIELD(8, 8),  FIELD(8, 16)}},
    [KPAL_FORMAT_RGBX8888]  = {4, 1, 0,    {FIELD(8, 24), FIELD(8, 16), FIELD(8, 8)}},
    [KPAL_FORMAT_BGRX8888]  = {4, 1, 0,    {FIELD(8, 8),  FIELD(8, 16), FIELD(8, 24)}},
    [KPAL_FORMAT_BGRA8888]  = {4, 1, 0xff, {FIELD(8, 8),  FIELD(8, 16), FIELD(8, 24)}},
    [KPAL_FORMAT_VGA_DAC]   = {3, 1, 0,    {FIELD(6, 16), FIELD(6, 8),  FIELD(6, 0)}},
    [KPAL_FORMAT_RGB565_BE] = {2, 1, 0,    {FIELD(5, 11), FIELD(6, 5),  FIELD(5, 0)}},
    [KPAL_FORMAT_RGB565_LE] = {2, 0, 0,    {FIELD(5, 11), FIELD(6, 5),  FIELD(5, 0)}},
    [KPAL_FORMAT_BGR565_BE] = {2, 1, 0,    {FIELD(5, 0),  FIELD(6, 5),  FIELD(5, 11)}},
    [KPAL_FORMAT_BGR565_LE] = {2, 0, 0,    {FIELD(5, 0),  FIELD(6, 5),  FIELD(5, 11)}},
    [KPAL_FORMAT_BGR555_LE] = {2, 0, 0,    {FIELD(5, 0),  FIELD(5, 5),  FIELD(5, 10)}},
    [KPAL_FORMAT_RGB555_LE] = {2, 0, 0,    {FIELD(5, 10), FIELD(5, 5),  FIELD(5, 0)}},
    [KPAL_FORMAT_RGB444_BE] = {2, 1, 0,    {FIELD(4, 8),  FIELD(4, 4),  FIELD(4, 0)}},
    [KPAL_FORMAT_RGB332]    = {1, 1, 0,    {FIELD(3, 5),  FIELD(3, 2),  FIELD(2, 0)}},
    [KPAL_FORMAT_EGA64]     = {1, 1, 0,    {{2, 2, 3},    {2, 1, 3},    {2, 0, 3}}},
    [KPAL_FORMAT_MD9]       = {2, 1, 0,    {FIELD(3, 1),  FIELD(3, 5),  FIELD(3, 9)}},
    [KPAL_FORMAT_SMS6]      = {1, 1, 0,    {FIELD(2, 0),  FIELD(2, 2),  FIELD(2, 4)}},
    [KPAL_FORMAT_GG12]      = {2, 0, 0,    {FIELD(4, 0),  FIELD(4, 4),  FIELD(4, 8)}},
    [KPAL_FORMAT_PCE9]      = {2, 0, 0,    {FIELD(3, 3),  FIELD(3, 6),  FIELD(3, 0)}},
};
/* clang-format on */

uint8_t kpal_expand_channel(uint32_t code, uint32_t bits) {
    /* Repeat the code's bits from the top down. */
    uint32_t value = 0;
    int32_t pos;
    if (bits == 0 || bits > 8) return 0;
    code &= (1u << bits) - 1u;
    for (pos = 8 - (int32_t)bits;; pos -= (int32_t)bits) {
        value |= pos >= 0 ? code << pos : code >> -pos;
        if (pos <= 0) break;
    }
    return (uint8_t)value;
}

uint32_t kpal_reduce_channel(uint8_t value, uint32_t bits) {
    /* The answer is the truncated code or a neighbour; try the three, lowest first. */
    uint32_t top, q, best = 0, best_d = 256, c;
    if (bits == 0 || bits > 8) return 0;
    top = (1u << bits) - 1u;
    q = (uint32_t)value >> (8u - bits);
    for (c = q ? q - 1u : 0u; c <= q + 1u && c <= top; ++c) {
        const int32_t e = (int32_t)kpal_expand_channel(c, bits) - (int32_t)value;
        const uint32_t d = (uint32_t)(e < 0 ? -e : e);
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    return best;
}

uint32_t kpal__snap(const kpal_ws* ws, uint32_t ch, uint32_t value) {
    const uint32_t bits = kpal_palette_formats[ws->format].channel[ch].bits;
    return kpal_expand_channel(kpal_reduce_channel((uint8_t)value, bits), bits);
}

int kpal_encode_palette(uint8_t format, const uint8_t* rgb, uint32_t count, uint8_t* out) {
    const kpal_palette_format* f;
    uint32_t i, ch, k, b;
    if (format >= KPAL_FORMAT_COUNT || ((!rgb || !out) && count)) return KPAL_ERR_ARGUMENT;
    f = &kpal_palette_formats[format];
    for (i = 0; i < count; ++i, rgb += 3, out += f->bytes) {
        uint32_t word = f->fixed;
        for (ch = 0; ch < 3; ++ch) {
            const kpal_channel_bits* cb = &f->channel[ch];
            const uint32_t code = kpal_reduce_channel(rgb[ch], cb->bits);
            int32_t at = cb->top;
            for (k = 0; k < cb->bits; ++k, at += cb->step)
                word |= ((code >> (cb->bits - 1u - k)) & 1u) << at;
        }
        for (b = 0; b < f->bytes; ++b)
            out[b] = (uint8_t)(word >> (8u * (f->big_endian ? f->bytes - 1u - b : b)));
    }
    return KPAL_OK;
}

int kpal_decode_palette(uint8_t format, const uint8_t* bytes, uint32_t count, uint8_t* rgb) {
    const kpal_palette_format* f;
    uint32_t i, ch, k, b;
    if (format >= KPAL_FORMAT_COUNT || ((!rgb || !bytes) && count)) return KPAL_ERR_ARGUMENT;
    f = &kpal_palette_formats[format];
    for (i = 0; i < count; ++i, rgb += 3, bytes += f->bytes) {
        uint32_t word = 0;
        for (b = 0; b < f->bytes; ++b)
            word |= (uint32_t)bytes[b] << (8u * (f->big_endian ? f->bytes - 1u - b : b));
        for (ch = 0; ch < 3; ++ch) {
            const kpal_channel_bits* cb = &f->channel[ch];
            uint32_t code = 0;
            int32_t at = cb->top;
            for (k = 0; k < cb->bits; ++k, at += cb->step) code = code << 1 | ((word >> at) & 1u);
            rgb[ch] = kpal_expand_channel(code, cb->bits);
        }
    }
    return KPAL_OK;
}
