/* kpal core: palette design, remap, ordered dithering, pixel packing and palette encoding for
 * microcontrollers, in freestanding C99 (only <stdint.h> and <stddef.h>; no heap, no floating
 * point, no recursion, no division in per-pixel loops). The PC tool runs the same code for
 * `kpal convert --engine fixed`, so a frame quantized on the device can be checked byte for byte.
 *
 * The caller owns all memory: a workspace of kpal_workspace_size() bytes (4-byte aligned; do not
 * move it between calls). Frames arrive in rows, so a device can quantize a camera frame it never
 * holds whole:
 *
 *   kpal_begin(ws, size, &params);
 *   for each row: kpal_histogram(ws, row, width, format);     pass 1: count colours
 *   kpal_cluster(ws);                                          design on the counted colours
 *   for each row: kpal_refine(ws, row, width, format);         pass 2 (optional, repeatable:
 *   kpal_refine_end(ws);                                         exact means, Lloyd on pixels)
 *   kpal_palette(ws, rgb);                                     the palette, K x (R, G, B)
 *   for each row: kpal_remap(ws, row, 0, y, width, format, idx); pass 3: indices
 *
 * kpal_quantize() runs all of it on a frame in memory. Every function returns KPAL_OK or a
 * negative kpal_err; nothing aborts. */
#ifndef KPAL_CORE_H
#define KPAL_CORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kpal_err {
    KPAL_OK = 0,
    KPAL_ERR_ARGUMENT = -1,  /* a null pointer or a parameter out of range */
    KPAL_ERR_WORKSPACE = -2, /* workspace smaller than kpal_workspace_size() or misaligned */
    KPAL_ERR_ORDER = -3,     /* a call out of the order above (for example remap before palette) */
    KPAL_ERR_TOO_LARGE = -4, /* more than KPAL_MAX_PIXELS pixels in one pass */
    KPAL_ERR_CORRUPT = -5    /* a compressed stream that is malformed, truncated or too large */
} kpal_err;

/* The most pixels one pass may count (keeps every sum inside 32 bits). */
#define KPAL_MAX_PIXELS 16777216u

/* How input pixels are stored. */
typedef enum kpal_pixel_format {
    KPAL_RGB888 = 0,    /* three bytes R, G, B */
    KPAL_RGB565_LE = 1, /* 16-bit RRRRRGGGGGGBBBBB, low byte first (MCU memory) */
    KPAL_RGB565_BE = 2  /* 16-bit RRRRRGGGGGGBBBBB, high byte first (SPI cameras and panels) */
} kpal_pixel_format;

typedef enum kpal_dither {
    KPAL_DITHER_NONE = 0,
    KPAL_DITHER_BAYER4 = 1,
    KPAL_DITHER_BAYER8 = 2
} kpal_dither;

typedef struct kpal_params {
    uint16_t colors;        /* K: palette entries to design, 1..256 */
    uint8_t palette_format; /* index into kpal_palette_formats: entries are snapped to its levels */
    uint8_t dither;         /* kpal_dither */
    uint8_t iterations; /* cap on k-means iterations over the cells; 0: KPAL_DEFAULT_ITERATIONS */
    uint8_t refine_passes; /* kpal_quantize's exact passes over the pixels after clustering */
} kpal_params;

#define KPAL_DEFAULT_ITERATIONS 24
#define KPAL_DEFAULT_REFINE_PASSES 2

/* Workspace bytes for K colours, for static allocation: equal to kpal_workspace_size(). */
#define KPAL_WORKSPACE_BYTES(colors)                                                               \
    (KPAL_WORKSPACE_FIXED_BYTES + 16u * (colors) + (5u * (colors) + 3u) / 4u * 4u)
#define KPAL_WORKSPACE_FIXED_BYTES 8728u

/* Workspace bytes kpal_begin needs for these parameters, or 0 when they are invalid. */
size_t kpal_workspace_size(const kpal_params* params);

/* Starts a frame: checks params and the workspace, clears the colour counts. */
int kpal_begin(void* workspace, size_t size, const kpal_params* params);

/* Counts `count` pixels (pass 1). May be called once per row or once for the whole frame. */
int kpal_histogram(void* workspace, const uint8_t* pixels, uint32_t count,
                   kpal_pixel_format format);

/* Designs the palette from the counted colours: variance-split seeds, then k-means on the
 * counted colours with entries snapped to the palette format, to a fixed point or the cap. */
int kpal_cluster(void* workspace);

/* Optional pass 2: assigns pixels to the designed entries and sums them exactly, so that
 * kpal_refine_end (or kpal_palette) moves the entries to their exact means (snapped). */
int kpal_refine(void* workspace, const uint8_t* pixels, uint32_t count, kpal_pixel_format format);

/* Ends a refine pass: moves each entry to the exact mean of the pixels it took (snapped) and
 * returns how many channel values moved (0: converged), ready for another pass. */
int kpal_refine_end(void* workspace);

/* Writes the K palette entries as R, G, B bytes (3 * colors bytes): colours the format shows. */
int kpal_palette(void* workspace, uint8_t* rgb);

/* Instead of designing (after kpal_begin, in place of passes 1 and 2): remap to these K R, G, B
 * entries as given, for frames that share one palette. */
int kpal_set_palette(void* workspace, const uint8_t* rgb);

/* Maps `count` pixels of a row (pass 3), the first at (x, y) in the frame (ordered dithering
 * needs the position), to palette indices, one byte a pixel. Each index is the nearest entry
 * (lowest on a tie) to the pixel, plus the Bayer threshold when dithering. Remap caches
 * answers in the workspace: one workspace serves one thread. */
int kpal_remap(void* workspace, const uint8_t* pixels, uint32_t x, uint32_t y, uint32_t count,
               kpal_pixel_format format, uint8_t* indices);

/* Passes 1 and 2 on a frame in memory (rows `stride` bytes apart): begins, counts, clusters,
 * refines (params->refine_passes, fewer when the entries stop moving) and writes the palette to
 * `rgb` (3 * colors bytes). The workspace is then ready for kpal_remap. */
int kpal_design_frame(void* workspace, size_t size, const kpal_params* params,
                      const uint8_t* pixels, uint32_t width, uint32_t height, uint32_t stride,
                      kpal_pixel_format format, uint8_t* rgb);

/* kpal_design_frame, then every row remapped: `indices` gets width * height bytes. */
int kpal_quantize(void* workspace, size_t size, const kpal_params* params, const uint8_t* pixels,
                  uint32_t width, uint32_t height, uint32_t stride, kpal_pixel_format format,
                  uint8_t* rgb, uint8_t* indices);

/* ---- Pixel layouts: one-byte indices to framebuffer bytes. ---- */

typedef enum kpal_layout {
    KPAL_LAYOUT_LINEAR = 0, /* one byte a pixel (bpp 8) */
    KPAL_LAYOUT_PACKED_MSB =
        1, /* 8/bpp pixels a byte, the leftmost in the high bits (bpp 1, 2, 4, 8) */
    KPAL_LAYOUT_PACKED_LSB = 2, /* the leftmost in the low bits */
    KPAL_LAYOUT_PLANAR = 3      /* bit p of each index in plane p, leftmost in bit 7 (bpp 1..4) */
} kpal_layout;

typedef struct kpal_geometry {
    uint32_t width, height;
    uint8_t bpp;        /* bits a pixel */
    uint16_t row_align; /* each row (of each plane) is padded to a multiple of this many bytes */
} kpal_geometry;

/* Bytes of one packed row (of one plane when planar), padding included; 0 when `layout` does
 * not support the geometry. */
uint32_t kpal_packed_stride(const kpal_geometry* g, kpal_layout layout);

/* Bytes of the whole packed image; 0 when unsupported. */
uint32_t kpal_packed_size(const kpal_geometry* g, kpal_layout layout);

/* Packs row `y` of indices (g->width bytes, masked to bpp bits) into `image`, a buffer of
 * kpal_packed_size bytes; writes every byte of the row, padding as zero. */
int kpal_pack_row(const kpal_geometry* g, kpal_layout layout, const uint8_t* indices, uint32_t y,
                  uint8_t* image);

/* ---- Palette formats: how a display stores one entry. ---- */

/* Every palette format, one row each: the id, the name and use the C++ library shows, then
 * the layout: bytes an entry, stored most significant byte first, bits always set in the low
 * byte (an opaque alpha), and the red, green and blue fields: FIELD(bits, lowest bit) for
 * adjacent bits, BITS(bits, top bit, step) for bits set apart (EGA's register holds each
 * channel's 2/3-intensity bit in bits 2, 1, 0 and its 1/3 bit three above). The enum below, the
 * core's table (src/core/palette.c) and the C++ names (src/palette_format.cpp) are made from
 * this list, so a new format is one row here (and its documented-bytes test). */
/* clang-format off */
#define KPAL_PALETTE_FORMATS(X) \
    X(RGB888, "rgb888", "R, G, B bytes: generic, PC tools", 3, 1, 0, FIELD(8, 16), FIELD(8, 8), FIELD(8, 0)) \
    X(BGR888, "bgr888", "B, G, R bytes", 3, 1, 0, FIELD(8, 0), FIELD(8, 8), FIELD(8, 16)) \
    X(RGBX8888, "rgbx8888", "R, G, B, 0 bytes", 4, 1, 0, FIELD(8, 24), FIELD(8, 16), FIELD(8, 8)) \
    X(BGRX8888, "bgrx8888", "B, G, R, 0 bytes: BMP palettes", 4, 1, 0, FIELD(8, 8), FIELD(8, 16), FIELD(8, 24)) \
    X(BGRA8888, "bgra8888", "B, G, R, 255 bytes: LVGL indexed images (lv_color32_t)", 4, 1, 0xff, FIELD(8, 8), FIELD(8, 16), FIELD(8, 24)) \
    X(VGA_DAC, "vga-dac", "VGA DAC: R, G, B bytes of 0..63", 3, 1, 0, FIELD(6, 16), FIELD(6, 8), FIELD(6, 0)) \
    X(RGB565_BE, "rgb565-be", "RGB565 high byte first: SPI panels (ST7735, ILI9341)", 2, 1, 0, FIELD(5, 11), FIELD(6, 5), FIELD(5, 0)) \
    X(RGB565_LE, "rgb565-le", "RGB565 low byte first: little-endian MCU memory", 2, 0, 0, FIELD(5, 11), FIELD(6, 5), FIELD(5, 0)) \
    X(BGR565_BE, "bgr565-be", "BGR565 high byte first: panels wired BGR", 2, 1, 0, FIELD(5, 0), FIELD(6, 5), FIELD(5, 11)) \
    X(BGR565_LE, "bgr565-le", "BGR565 low byte first", 2, 0, 0, FIELD(5, 0), FIELD(6, 5), FIELD(5, 11)) \
    X(BGR555_LE, "bgr555-le", "BGR555 low byte first: GBA, NDS, SNES", 2, 0, 0, FIELD(5, 0), FIELD(5, 5), FIELD(5, 10)) \
    X(RGB555_LE, "rgb555-le", "RGB555 low byte first", 2, 0, 0, FIELD(5, 10), FIELD(5, 5), FIELD(5, 0)) \
    X(RGB444_BE, "rgb444-be", "0RGB 4 bits each, high byte first", 2, 1, 0, FIELD(4, 8), FIELD(4, 4), FIELD(4, 0)) \
    X(RGB332, "rgb332", "RRRGGGBB in one byte", 1, 1, 0, FIELD(3, 5), FIELD(3, 2), FIELD(2, 0)) \
    X(EGA64, "ega64", "EGA palette register (00rgbRGB): 16 entries of the 64 EGA colours", 1, 1, 0, BITS(2, 2, 3), BITS(2, 1, 3), BITS(2, 0, 3)) \
    X(MD9, "md9", "Mega Drive CRAM word, high byte first: 0000BBB0GGG0RRR0", 2, 1, 0, FIELD(3, 1), FIELD(3, 5), FIELD(3, 9)) \
    X(SMS6, "sms6", "Master System CRAM byte: 00BBGGRR", 1, 1, 0, FIELD(2, 0), FIELD(2, 2), FIELD(2, 4)) \
    X(GG12, "gg12", "Game Gear CRAM word, low byte first: ----BBBBGGGGRRRR", 2, 0, 0, FIELD(4, 0), FIELD(4, 4), FIELD(4, 8)) \
    X(PCE9, "pce9", "PC Engine VCE word, low byte first: blue bits 0-2, red 3-5, green 6-8", 2, 0, 0, FIELD(3, 3), FIELD(3, 6), FIELD(3, 0))
/* clang-format on */

/* The formats in the order of kpal_palette_formats (kpal_params.palette_format). */
/* clang-format off */
typedef enum kpal_format_id {
#define KPAL_FORMAT_ID(id, ...) KPAL_FORMAT_##id,
    KPAL_PALETTE_FORMATS(KPAL_FORMAT_ID)
#undef KPAL_FORMAT_ID
    KPAL_FORMAT_COUNT
} kpal_format_id;
/* clang-format on */

/* One channel of an entry word: a code of `bits` bits whose most significant bit sits at bit
 * `top` of the word and each following bit `step` further (-1 for a field of adjacent bits). */
typedef struct kpal_channel_bits {
    uint8_t bits; /* 1..8 */
    uint8_t top;
    int8_t step;
} kpal_channel_bits;

typedef struct kpal_palette_format {
    uint8_t bytes;                /* bytes an entry, 1..4 */
    uint8_t big_endian;           /* the word's most significant byte is stored first */
    uint8_t fixed;                /* bits always set in the word's low byte (an opaque alpha) */
    kpal_channel_bits channel[3]; /* red, green, blue */
} kpal_palette_format;

/* The formats' bit layouts, indexed by kpal_format_id. */
extern const kpal_palette_format kpal_palette_formats[KPAL_FORMAT_COUNT];

/* The 8-bit value a display shows for a `bits`-bit channel code (bit replication). */
uint8_t kpal_expand_channel(uint32_t code, uint32_t bits);

/* The `bits`-bit code whose expansion is nearest to `value` (the lower code on a tie). */
uint32_t kpal_reduce_channel(uint8_t value, uint32_t bits);

/* Encodes `count` R, G, B entries in `format`: count * bytes bytes to `out`. */
int kpal_encode_palette(uint8_t format, const uint8_t* rgb, uint32_t count, uint8_t* out);

/* Decodes `count` entries of `format` to the R, G, B colours the display shows. */
int kpal_decode_palette(uint8_t format, const uint8_t* bytes, uint32_t count, uint8_t* rgb);

/* ---- Unpackers: the compressed outputs of `kpal convert --compress`. ---- */

typedef enum kpal_method {
    KPAL_METHOD_GBA_LZ77 = 0, /* GBA BIOS LZ77 (both kpal's gba-lz77 and gba-lz77-vram) */
    KPAL_METHOD_GBA_RLE = 1,  /* GBA BIOS RLE */
    KPAL_METHOD_LZ4 = 2,      /* an LZ4 block (no frame) */
    KPAL_METHOD_LVGL_RLE = 3, /* LVGL 9's RLE of 1-byte blocks (the data of an lvgl-rle image) */
    KPAL_METHOD_COUNT
} kpal_method;

/* The size a stream's header announces (the GBA methods); 0 for LZ4, whose block has none, and
 * for a stream that is not of `method`. */
uint32_t kpal_unpacked_size(kpal_method method, const uint8_t* in, uint32_t in_size);

/* Unpacks `in_size` bytes of `method` into `out`, at most `out_size` bytes; returns the bytes
 * written, or KPAL_ERR_CORRUPT for a stream that is malformed, truncated or larger than
 * `out_size` (nothing is ever written past it), KPAL_ERR_ARGUMENT for bad arguments. */
int32_t kpal_unpack(kpal_method method, const uint8_t* in, uint32_t in_size, uint8_t* out,
                    uint32_t out_size);

/* GBA RLE as a stream, for a panel fed a row at a time without the whole image in RAM: begin
 * reads the header; each read gives the next `count` bytes (fewer at the end, 0 after it), or a
 * negative kpal_err. The stream keeps pointing into `in`. */
typedef struct kpal_rle_stream {
    const uint8_t* in;
    uint32_t left;               /* input bytes not yet read */
    uint32_t size, done;         /* bytes the header announces, bytes given so far */
    uint8_t run, literal, value; /* what is left of the current block */
} kpal_rle_stream;
int kpal_rle_begin(kpal_rle_stream* stream, const uint8_t* in, uint32_t in_size);
int32_t kpal_rle_read(kpal_rle_stream* stream, uint8_t* out, uint32_t count);

#ifdef __cplusplus
}
#endif

#endif
