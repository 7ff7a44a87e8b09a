/* Framebuffer packing: one-byte indices to the bytes a display reads. The C++ library packs
 * these layouts through this file too, so the device and the PC share one implementation. */
#include "core_internal.h"

/* Planes a layout stores (planar: one per index bit). */
static uint32_t planes(const kpal_geometry* g, kpal_layout layout) {
    return layout == KPAL_LAYOUT_PLANAR ? g->bpp : 1u;
}

static int supported(const kpal_geometry* g, kpal_layout layout) {
    const uint32_t bpp = g->bpp;
    switch (layout) {
    case KPAL_LAYOUT_LINEAR:
        return bpp == 8;
    case KPAL_LAYOUT_PACKED_MSB:
    case KPAL_LAYOUT_PACKED_LSB:
        return bpp == 1 || bpp == 2 || bpp == 4 || bpp == 8;
    case KPAL_LAYOUT_PLANAR:
        return bpp >= 1 && bpp <= 4;
    }
    return 0;
}

uint32_t kpal_packed_stride(const kpal_geometry* g, kpal_layout layout) {
    uint32_t bits, bytes, align;
    if (!g || !supported(g, layout) || g->width > KPAL_MAX_PIXELS) return 0;
    bits = layout == KPAL_LAYOUT_PLANAR ? g->width : g->width * g->bpp;
    align = g->row_align ? g->row_align : 1u;
    bytes = (bits + 7u) / 8u;
    return (bytes + align - 1u) / align * align;
}

uint32_t kpal_packed_size(const kpal_geometry* g, kpal_layout layout) {
    const uint32_t stride = kpal_packed_stride(g, layout);
    if (stride == 0 || g->height > 0xffffffffu / stride / planes(g, layout)) return 0;
    return stride * g->height * planes(g, layout);
}

int kpal_pack_row(const kpal_geometry* g, kpal_layout layout, const uint8_t* indices, uint32_t y,
                  uint8_t* image) {
    const uint32_t stride = kpal_packed_stride(g, layout);
    uint32_t x, p, at, shift, byte;
    if (stride == 0 || kpal_packed_size(g, layout) == 0 || !indices || !image || y >= g->height)
        return KPAL_ERR_ARGUMENT;
    if (layout == KPAL_LAYOUT_PLANAR) {
        for (p = 0; p < g->bpp; ++p) {
            uint8_t* row = image + ((size_t)p * g->height + y) * stride;
            for (at = 0, x = 0; at < stride; ++at) {
                for (byte = 0, shift = 8; shift-- > 0; ++x)
                    if (x < g->width) byte |= ((indices[x] >> p) & 1u) << shift;
                row[at] = (uint8_t)byte;
            }
        }
        return KPAL_OK;
    }
    {
        /* Each byte takes the pixels left, up to 8 / bpp of them: none in the padding. */
        const uint32_t bpp = g->bpp, mask = (1u << bpp) - 1u, per_byte = 8u / bpp;
        const int msb = layout != KPAL_LAYOUT_PACKED_LSB;
        const uint32_t first = msb ? 8u - bpp : 0u;
        uint8_t* row = image + (size_t)y * stride;
        for (at = 0, x = 0; at < stride; ++at) {
            const uint32_t left = g->width - x < per_byte ? g->width - x : per_byte;
            for (byte = 0, shift = first, p = 0; p < left; ++p, ++indices) {
                byte |= (*indices & mask) << shift;
                shift = msb ? shift - bpp : shift + bpp;
            }
            x += left;
            row[at] = (uint8_t)byte;
        }
    }
    return KPAL_OK;
}
