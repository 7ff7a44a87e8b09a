// Stage 2: Image -> the distinct colours it uses, each with its pixel count.
#pragma once

#include "kpal/image.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace kpal {

// Packs a colour as 0xRRGGBB, the key the histogram is sorted by.
constexpr std::uint32_t pack_rgb(Rgb c) {
    return (std::uint32_t(c.r) << 16) | (c.g << 8) | c.b;
}
constexpr Rgb unpack_rgb(std::uint32_t v) {
    return {std::uint8_t(v >> 16), std::uint8_t(v >> 8), std::uint8_t(v)};
}

struct Histogram {
    std::vector<std::uint32_t> colors; // 0xRRGGBB, strictly increasing
    std::vector<std::uint32_t> counts; // pixels of each colour, same length, all > 0

    std::size_t size() const { return colors.size(); }
    std::uint64_t total() const;
    // Position of colour `rgb` in `colors`, or size() when the image does not use it.
    std::size_t find(std::uint32_t rgb) const;
};

// The distinct colours of `image` with their counts, by a two-pass radix sort of the packed
// pixels: no per-pixel allocation, O(pixels) time, deterministic order. Pixels that
// `transparent` marks (when given) are left out. With `threads` other than 1 (0: every core), a
// large image's two halves are sorted at once and merged: the same histogram.
Histogram build_histogram(const Image& image, const Transparency* transparent = nullptr,
                          int threads = 0);

// `histogram` (of `image`, without the pixels `transparent` marks) with each pixel counted by how
// flat its surroundings are: 3 in a flat area, down to 1 on an edge or in texture, after the
// contrast map of pngquant's libimagequant (the larger of the horizontal and vertical second
// differences). A palette designed on it spends its entries where dithering noise would show,
// not where texture hides it: measured with 8 and 16 colours (docs/bench-dither.md).
Histogram weighted_by_flatness(const Histogram& histogram, const Image& image,
                               const Transparency* transparent = nullptr);

// Adds the colours of `more` into `into` (for one palette over several images). Throws
// Error{usage} if a count would overflow 32 bits.
void merge_histogram(Histogram& into, const Histogram& more);

} // namespace kpal
