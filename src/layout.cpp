#include "kpal/layout.h"
#include "table.h"

#include "kpal/core.h"

namespace kpal {
namespace {

std::size_t align_up(std::size_t n, int align) {
    const std::size_t a = align < 1 ? 1 : std::size_t(align);
    return (n + a - 1) / a * a;
}

// Packed rows: pixels side by side, several to a byte, each row starting on a byte boundary.
std::size_t packed_stride(const Geometry& g) {
    return align_up((std::size_t(g.width) * g.bpp + 7) / 8, g.row_align);
}

// The bit position of the pixel at `slot` (0 = first in the byte) for each pixel order.
template <bool FirstHigh> int bit_position(int slot, int bpp) {
    return FirstHigh ? 8 - bpp * (slot + 1) : bpp * slot;
}

// Linear, packed and planar rows are packed by the C core (src/core/pack.c), the code the
// device runs; this file keeps their strides, sizes and the reverse direction.
template <kpal_layout Layout>
void pack_core(const Geometry& g, std::span<const std::uint8_t> indices,
               std::vector<std::uint8_t>& out) {
    const kpal_geometry cg{std::uint32_t(g.width), std::uint32_t(g.height), std::uint8_t(g.bpp),
                           std::uint16_t(g.row_align)};
    const std::size_t base = out.size();
    out.resize(base + kpal_packed_size(&cg, Layout), 0);
    for (int y = 0; y < g.height; ++y)
        kpal_pack_row(&cg, Layout, indices.data() + std::size_t(y) * std::size_t(g.width),
                      std::uint32_t(y), out.data() + base);
}

template <bool FirstHigh>
std::vector<std::uint8_t> unpack_packed(const Geometry& g, std::span<const std::uint8_t> bytes) {
    const std::size_t stride = packed_stride(g);
    const int per_byte = 8 / g.bpp;
    const unsigned mask = (1u << g.bpp) - 1;
    std::vector<std::uint8_t> indices(std::size_t(g.width) * g.height);
    for (int y = 0; y < g.height; ++y)
        for (int x = 0; x < g.width; ++x)
            indices[std::size_t(y) * g.width + x] = std::uint8_t(
                (bytes[y * stride + x / per_byte] >> bit_position<FirstHigh>(x % per_byte, g.bpp)) &
                mask);
    return indices;
}

std::size_t packed_size(const Geometry& g) {
    return packed_stride(g) * std::size_t(g.height);
}

// Planar (EGA/VGA modes 0Dh, 10h, 12h): bit p of every index forms plane p, a 1-bit image with
// the leftmost pixel in the most significant bit; the planes are stored one after another.
std::size_t plane_stride(const Geometry& g) {
    return align_up((std::size_t(g.width) + 7) / 8, g.row_align);
}
std::size_t planar_size(const Geometry& g) {
    return plane_stride(g) * std::size_t(g.height) * std::size_t(g.bpp);
}

std::vector<std::uint8_t> unpack_planar(const Geometry& g, std::span<const std::uint8_t> bytes) {
    const std::size_t stride = plane_stride(g), plane = stride * std::size_t(g.height);
    std::vector<std::uint8_t> indices(std::size_t(g.width) * g.height, 0);
    for (int p = 0; p < g.bpp; ++p)
        for (int y = 0; y < g.height; ++y)
            for (int x = 0; x < g.width; ++x)
                indices[std::size_t(y) * g.width + x] |= std::uint8_t(
                    ((bytes[p * plane + y * stride + x / 8] >> (7 - x % 8)) & 1u) << p);
    return indices;
}

// VGA mode X (unchained 256 colours): pixel x lives in plane x mod 4 at byte x / 4 of its row;
// the four planes are stored one after another.
std::size_t modex_stride(const Geometry& g) {
    return align_up((std::size_t(g.width) + 3) / 4, g.row_align);
}
std::size_t modex_size(const Geometry& g) {
    return modex_stride(g) * std::size_t(g.height) * 4;
}

void pack_modex(const Geometry& g, std::span<const std::uint8_t> indices,
                std::vector<std::uint8_t>& out) {
    const std::size_t stride = modex_stride(g), plane = stride * std::size_t(g.height),
                      base = out.size();
    out.resize(base + modex_size(g), 0);
    for (int y = 0; y < g.height; ++y)
        for (int x = 0; x < g.width; ++x)
            out[base + (x % 4) * plane + y * stride + x / 4] =
                indices[std::size_t(y) * g.width + x];
}

std::vector<std::uint8_t> unpack_modex(const Geometry& g, std::span<const std::uint8_t> bytes) {
    const std::size_t stride = modex_stride(g), plane = stride * std::size_t(g.height);
    std::vector<std::uint8_t> indices(std::size_t(g.width) * g.height);
    for (int y = 0; y < g.height; ++y)
        for (int x = 0; x < g.width; ++x)
            indices[std::size_t(y) * g.width + x] = bytes[(x % 4) * plane + y * stride + x / 4];
    return indices;
}

// 8x8 tiles (GBA/NDS character data): the image, padded with index 0 to whole tiles, cut into
// tiles in row-major order; each tile is 8 rows of 8 pixels, at 4 bits the first pixel of a pair
// in the low nibble.
std::size_t tile_bytes(const Geometry& g) {
    return std::size_t(8 * g.bpp);
}
std::size_t tiles_stride(const Geometry& g) {
    return (std::size_t(g.width) + 7) / 8 * tile_bytes(g);
}
std::size_t tiles_size(const Geometry& g) {
    return tiles_stride(g) * ((std::size_t(g.height) + 7) / 8);
}
std::size_t tile_byte(const Geometry& g, int x, int y) {
    const std::size_t tile =
        std::size_t(y / 8) * ((std::size_t(g.width) + 7) / 8) + std::size_t(x / 8);
    return tile * tile_bytes(g) + std::size_t(y % 8) * std::size_t(g.bpp) +
           std::size_t(x % 8) * g.bpp / 8;
}
int tile_shift(const Geometry& g, int x) {
    return g.bpp == 4 ? 4 * (x % 2) : 0;
}

void pack_tiles(const Geometry& g, std::span<const std::uint8_t> indices,
                std::vector<std::uint8_t>& out) {
    const std::size_t base = out.size();
    const unsigned mask = (1u << g.bpp) - 1;
    out.resize(base + tiles_size(g), 0);
    for (int y = 0; y < g.height; ++y)
        for (int x = 0; x < g.width; ++x)
            out[base + tile_byte(g, x, y)] |=
                std::uint8_t((indices[std::size_t(y) * g.width + x] & mask) << tile_shift(g, x));
}

std::vector<std::uint8_t> unpack_tiles(const Geometry& g, std::span<const std::uint8_t> bytes) {
    const unsigned mask = (1u << g.bpp) - 1;
    std::vector<std::uint8_t> indices(std::size_t(g.width) * g.height);
    for (int y = 0; y < g.height; ++y)
        for (int x = 0; x < g.width; ++x)
            indices[std::size_t(y) * g.width + x] =
                std::uint8_t((bytes[tile_byte(g, x, y)] >> tile_shift(g, x)) & mask);
    return indices;
}

// Pages (monochrome controller RAM: SSD1306, SH1106, ST7565, Arduboy): the image cut into pages
// of 8 rows; byte x of page p holds column x of rows 8p..8p+7, the top row in bit 0. The last
// page is padded with 0 (off) rows.
std::size_t pages_stride(const Geometry& g) {
    return align_up(std::size_t(g.width), g.row_align);
}
std::size_t pages_size(const Geometry& g) {
    return pages_stride(g) * ((std::size_t(g.height) + 7) / 8);
}

void pack_pages(const Geometry& g, std::span<const std::uint8_t> indices,
                std::vector<std::uint8_t>& out) {
    const std::size_t stride = pages_stride(g), base = out.size();
    out.resize(base + pages_size(g), 0);
    for (int y = 0; y < g.height; ++y)
        for (int x = 0; x < g.width; ++x)
            out[base + std::size_t(y / 8) * stride + std::size_t(x)] |=
                std::uint8_t((indices[std::size_t(y) * g.width + x] & 1u) << (y % 8));
}

std::vector<std::uint8_t> unpack_pages(const Geometry& g, std::span<const std::uint8_t> bytes) {
    const std::size_t stride = pages_stride(g);
    std::vector<std::uint8_t> indices(std::size_t(g.width) * g.height);
    for (int y = 0; y < g.height; ++y)
        for (int x = 0; x < g.width; ++x)
            indices[std::size_t(y) * g.width + x] =
                std::uint8_t((bytes[std::size_t(y / 8) * stride + std::size_t(x)] >> (y % 8)) & 1u);
    return indices;
}

constexpr unsigned bpp(int n) {
    return 1u << n;
}

// clang-format off
constexpr PixelLayout layouts[] = {
    {"linear", "one byte a pixel, rows padded to row_align bytes", "",
     bpp(8), packed_stride, packed_size, pack_core<KPAL_LAYOUT_LINEAR>, unpack_packed<true>},
    {"packed-msb", "several pixels a byte, the first (leftmost) in the most significant bits", "",
     bpp(1) | bpp(2) | bpp(4) | bpp(8), packed_stride, packed_size, pack_core<KPAL_LAYOUT_PACKED_MSB>, unpack_packed<true>},
    {"packed-lsb", "several pixels a byte, the first (leftmost) in the least significant bits", "",
     bpp(1) | bpp(2) | bpp(4) | bpp(8), packed_stride, packed_size, pack_core<KPAL_LAYOUT_PACKED_LSB>, unpack_packed<false>},
    {"planar", "one 1-bit plane per index bit (leftmost pixel in bit 7), plane after plane: EGA/VGA 16 colours", " of a plane",
     bpp(1) | bpp(2) | bpp(3) | bpp(4), plane_stride, planar_size, pack_core<KPAL_LAYOUT_PLANAR>, unpack_planar},
    {"modex", "VGA mode X: pixel x in plane x mod 4, plane after plane", " of a plane",
     bpp(8), modex_stride, modex_size, pack_modex, unpack_modex},
    {"tiles8x8", "8x8 tiles in row-major order, 4 bits (first pixel in the low nibble) or 8: GBA/NDS", " of tiles",
     bpp(4) | bpp(8), tiles_stride, tiles_size, pack_tiles, unpack_tiles},
    {"pages", "1 bit, pages of 8 rows: byte x + (y/8)*width, bit y & 7 (top row in bit 0): SSD1306, SH1106", " of pages (8 pixel rows)",
     bpp(1), pages_stride, pages_size, pack_pages, unpack_pages},
};
// clang-format on

} // namespace

std::span<const PixelLayout> pixel_layouts() {
    return layouts;
}

const PixelLayout* find_pixel_layout(std::string_view name) {
    return find_row<PixelLayout>(layouts, name);
}

} // namespace kpal
