#include "kpal/layout.h"

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

template <bool FirstHigh>
void pack_packed(const Geometry& g, std::span<const std::uint8_t> indices,
                 std::vector<std::uint8_t>& out) {
    const std::size_t stride = packed_stride(g);
    const int per_byte = 8 / g.bpp;
    const unsigned mask = (1u << g.bpp) - 1;
    const std::size_t base = out.size();
    out.resize(base + stride * std::size_t(g.height), 0);
    for (int y = 0; y < g.height; ++y)
        for (int x = 0; x < g.width; ++x) {
            const unsigned v = indices[std::size_t(y) * g.width + x] & mask;
            out[base + y * stride + x / per_byte] |=
                std::uint8_t(v << bit_position<FirstHigh>(x % per_byte, g.bpp));
        }
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

constexpr unsigned bpp(int n) {
    return 1u << n;
}

// clang-format off
constexpr PixelLayout layouts[] = {
    {"linear", "one byte a pixel, rows padded to row_align bytes",
     bpp(8), packed_stride, pack_packed<true>, unpack_packed<true>},
    {"packed-msb", "several pixels a byte, the first (leftmost) in the most significant bits",
     bpp(1) | bpp(2) | bpp(4) | bpp(8), packed_stride, pack_packed<true>, unpack_packed<true>},
    {"packed-lsb", "several pixels a byte, the first (leftmost) in the least significant bits",
     bpp(1) | bpp(2) | bpp(4) | bpp(8), packed_stride, pack_packed<false>, unpack_packed<false>},
};
// clang-format on

} // namespace

std::span<const PixelLayout> pixel_layouts() {
    return layouts;
}

const PixelLayout* find_pixel_layout(std::string_view name) {
    for (const PixelLayout& l : layouts)
        if (l.name == name) return &l;
    return nullptr;
}

} // namespace kpal
