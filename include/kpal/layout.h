// How palette indices become framebuffer bytes: one row of a table per pixel layout.
#pragma once

#include "kpal/image.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace kpal {

// The shape of one packed image.
struct Geometry {
    int width = 0;
    int height = 0;
    int bpp = 8;       // bits a pixel
    int row_align = 1; // each row's byte length is padded to a multiple of this
};

struct PixelLayout {
    std::string_view name;
    std::string_view description;
    std::string_view stride_unit; // what a stride's row is, for people: "", " of a plane", ...
    unsigned bpp_mask;            // bit n set when n bits a pixel are supported
    // Bytes of one row, padding included (of one plane in planar layouts; of a row of tiles in
    // tiled ones).
    std::size_t (*stride)(const Geometry&);
    // Bytes of the whole image.
    std::size_t (*size)(const Geometry&);
    // Appends the packed bytes of `indices` (one byte a pixel, row-major) to `out`.
    void (*pack)(const Geometry&, std::span<const std::uint8_t> indices,
                 std::vector<std::uint8_t>& out);
    // Reverses pack: one index a pixel, row-major. `bytes` must hold packed_size() bytes.
    std::vector<std::uint8_t> (*unpack)(const Geometry&, std::span<const std::uint8_t> bytes);

    bool supports(int bpp) const { return bpp >= 1 && bpp <= 8 && (bpp_mask >> bpp) & 1u; }
    std::size_t packed_size(const Geometry& g) const { return size(g); }
};

// Every pixel layout kpal knows, in a stable order.
std::span<const PixelLayout> pixel_layouts();

// The layout called `name`, or nullptr when there is none.
const PixelLayout* find_pixel_layout(std::string_view name);

} // namespace kpal
