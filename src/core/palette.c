/* Palette formats: the table made from core.h's list (KPAL_PALETTE_FORMATS), and the
 * encode/decode of entries. A channel's code is expanded by bit replication, which is what the
 * hardware shows: the VGA DAC's 6-bit v is shown as (v << 2) | (v >> 4); EGA's 2-bit levels as 0,
 * 85, 170, 255. */
#include "core_internal.h"

/* A channel whose bits sit together, the lowest at bit `shift`. */
#define FIELD(bits, shift)                                                                         \
    { bits, (shift) + (bits)-1, -1 }

/* Channel bits set apart: `bits` bits, the highest at `top`, each next `step` further. */
#define BITS(bits, top, step)                                                                      \
    { bits, top, step }

#define KPAL_FORMAT_LAYOUT(id, name, use, bytes, big_endian, fixed, red, green, blue)              \
    [KPAL_FORMAT_##id] = {bytes, big_endian, fixed, {red, green, blue}},
const kpal_palette_format kpal_palette_formats[KPAL_FORMAT_COUNT] = {
    KPAL_PALETTE_FORMATS(KPAL_FORMAT_LAYOUT)};
#undef KPAL_FORMAT_LAYOUT

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
