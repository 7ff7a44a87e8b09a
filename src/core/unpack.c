/* Unpackers for the compressed outputs of `kpal convert --compress`: GBA BIOS LZ77 and RLE
 * (GBATEK, "BIOS Decompression Functions": the same streams LZ77UnCompWram/Vram and
 * RLUnCompWram/Vram take), LZ4 blocks (the LZ4 Block Format description) and LVGL 9's RLE
 * (lv_rle.c: a control byte with bit 7 set is followed by that many literal bytes, one with bit
 * 7 clear by a byte repeated that many times). Every read and
 * write is checked against its buffer: a corrupt or truncated stream gives KPAL_ERR_CORRUPT and
 * never a byte past `out_size`. */
#include "core_internal.h"

#define GBA_LZ77 0x10u
#define GBA_RLE 0x30u

/* The size a GBA BIOS header (type byte, then 24 bits little-endian) announces, or 0 when the
 * type is not `type`. */
static uint32_t gba_size(const uint8_t* in, uint32_t in_size, uint32_t type) {
    if (in_size < 4u || in[0] != type) return 0;
    return (uint32_t)in[1] | (uint32_t)in[2] << 8 | (uint32_t)in[3] << 16;
}

static int32_t unpack_gba_lz77(const uint8_t* in, uint32_t in_size, uint8_t* out,
                               uint32_t out_size) {
    const uint32_t size = gba_size(in, in_size, GBA_LZ77);
    uint32_t at = 4, done = 0;
    if (in_size < 4u || in[0] != GBA_LZ77 || size > out_size) return KPAL_ERR_CORRUPT;
    while (done < size) {
        uint32_t flags, bit;
        if (at >= in_size) return KPAL_ERR_CORRUPT;
        flags = in[at++];
        for (bit = 0; bit < 8u && done < size; ++bit, flags <<= 1) {
            if (!(flags & 0x80u)) {
                if (at >= in_size) return KPAL_ERR_CORRUPT;
                out[done++] = in[at++];
            } else {
                uint32_t length, distance;
                if (at + 2u > in_size) return KPAL_ERR_CORRUPT;
                length = (uint32_t)(in[at] >> 4) + 3u;
                distance = ((uint32_t)(in[at] & 15u) << 8 | in[at + 1u]) + 1u;
                at += 2u;
                if (distance > done || length > size - done) return KPAL_ERR_CORRUPT;
                for (; length; --length, ++done) out[done] = out[done - distance];
            }
        }
    }
    return (int32_t)size;
}

static int32_t unpack_lz4(const uint8_t* in, uint32_t in_size, uint8_t* out, uint32_t out_size) {
    uint32_t at = 0, done = 0;
    if (in_size == 0u) return KPAL_ERR_CORRUPT;
    for (;;) {
        const uint32_t token = in[at++];
        uint32_t literals = token >> 4, length = (token & 15u) + 4u, offset, b;
        if (literals == 15u) do {
                if (at >= in_size) return KPAL_ERR_CORRUPT;
                b = in[at++];
                literals += b;
            } while (b == 255u);
        if (literals > in_size - at || literals > out_size - done) return KPAL_ERR_CORRUPT;
        for (; literals; --literals) out[done++] = in[at++];
        if (at == in_size) return (int32_t)done; /* the last sequence has no match */
        if (in_size - at < 2u) return KPAL_ERR_CORRUPT;
        offset = (uint32_t)in[at] | (uint32_t)in[at + 1u] << 8;
        at += 2u;
        if ((token & 15u) == 15u) do {
                if (at >= in_size) return KPAL_ERR_CORRUPT;
                b = in[at++];
                length += b;
            } while (b == 255u);
        if (offset == 0u || offset > done || length > out_size - done) return KPAL_ERR_CORRUPT;
        for (; length; --length, ++done) out[done] = out[done - offset];
        if (at >= in_size) return KPAL_ERR_CORRUPT; /* a block ends with literals */
    }
}

int kpal_rle_begin(kpal_rle_stream* s, const uint8_t* in, uint32_t in_size) {
    if (!s || !in) return KPAL_ERR_ARGUMENT;
    if (in_size < 4u || in[0] != GBA_RLE) return KPAL_ERR_CORRUPT;
    s->in = in + 4;
    s->left = in_size - 4u;
    s->size = gba_size(in, in_size, GBA_RLE);
    s->done = 0;
    s->run = s->literal = s->value = 0;
    return KPAL_OK;
}

int32_t kpal_rle_read(kpal_rle_stream* s, uint8_t* out, uint32_t count) {
    uint32_t n = 0;
    if (!s || (!out && count)) return KPAL_ERR_ARGUMENT;
    while (n < count && s->done < s->size) {
        if (!s->run && !s->literal) { /* the next block's flag byte */
            uint8_t flag;
            if (!s->left) return KPAL_ERR_CORRUPT;
            flag = *s->in++;
            --s->left;
            if (flag & 0x80u) {
                if (!s->left) return KPAL_ERR_CORRUPT;
                s->run = (uint8_t)((flag & 0x7fu) + 3u);
                s->value = *s->in++;
                --s->left;
            } else {
                s->literal = (uint8_t)((flag & 0x7fu) + 1u);
            }
        }
        if (s->run) {
            out[n++] = s->value;
            --s->run;
        } else {
            if (!s->left) return KPAL_ERR_CORRUPT;
            out[n++] = *s->in++;
            --s->left;
            --s->literal;
        }
        ++s->done;
    }
    return (int32_t)n;
}

static int32_t unpack_gba_rle(const uint8_t* in, uint32_t in_size, uint8_t* out,
                              uint32_t out_size) {
    kpal_rle_stream s;
    int32_t got;
    if (kpal_rle_begin(&s, in, in_size) != KPAL_OK || s.size > out_size) return KPAL_ERR_CORRUPT;
    got = kpal_rle_read(&s, out, s.size);
    return got < 0 || (uint32_t)got != s.size ? KPAL_ERR_CORRUPT : got;
}

static int32_t unpack_lvgl_rle(const uint8_t* in, uint32_t in_size, uint8_t* out,
                               uint32_t out_size) {
    uint32_t at = 0, done = 0;
    while (at < in_size) {
        const uint32_t control = in[at++], count = control & 0x7fu;
        if (count > out_size - done) return KPAL_ERR_CORRUPT;
        if (control & 0x80u) {
            if (count > in_size - at) return KPAL_ERR_CORRUPT;
            for (uint32_t i = 0; i < count; ++i) out[done++] = in[at++];
        } else {
            if (at >= in_size) return KPAL_ERR_CORRUPT;
            for (uint32_t i = 0; i < count; ++i) out[done++] = in[at];
            ++at;
        }
    }
    return (int32_t)done;
}

uint32_t kpal_unpacked_size(kpal_method method, const uint8_t* in, uint32_t in_size) {
    if (!in) return 0;
    if (method == KPAL_METHOD_GBA_LZ77) return gba_size(in, in_size, GBA_LZ77);
    if (method == KPAL_METHOD_GBA_RLE) return gba_size(in, in_size, GBA_RLE);
    return 0;
}

/* One unpacker a method, in kpal_method's order. */
static int32_t (*const unpackers[KPAL_METHOD_COUNT])(const uint8_t*, uint32_t, uint8_t*,
                                                     uint32_t) = {unpack_gba_lz77, unpack_gba_rle,
                                                                  unpack_lz4, unpack_lvgl_rle};

int32_t kpal_unpack(kpal_method method, const uint8_t* in, uint32_t in_size, uint8_t* out,
                    uint32_t out_size) {
    if ((!in && in_size) || (!out && out_size) || in_size > 0x7fffffffu || out_size > 0x7fffffffu ||
        (uint32_t)method >= (uint32_t)KPAL_METHOD_COUNT)
        return KPAL_ERR_ARGUMENT;
    return unpackers[method](in, in_size, out, out_size);
}
