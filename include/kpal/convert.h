// The whole job for one image: histogram, palette design, remap and encoding for a target.
#pragma once

#include "kpal/design.h"
#include "kpal/image.h"
#include "kpal/target.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace kpal {

struct ConvertOptions {
    std::optional<int> colors;          // K; by default as many as the target's palette holds
    std::uint64_t seed = 0;             // see DesignOptions
    ColorSpace space = ColorSpace::rgb; // where palette design measures distances
    int threads = 0;                    // 0: every core; the output is the same for any number
};

struct Conversion {
    IndexedImage indexed;                    // one palette index a pixel
    std::vector<Rgb> palette;                // the designed entries, snapped to the device
    std::vector<std::uint8_t> pixel_bytes;   // the framebuffer bytes, in the target's layout
    std::vector<std::uint8_t> palette_bytes; // target.palette_size entries, zero-filled past K
    std::vector<Rgb> shown_palette;          // decoded from palette_bytes: what the display shows
    int colors_used = 0;                     // distinct indices that occur in the image
    int stride = 0;                          // bytes a row of pixel_bytes
    int iterations = 0;                      // Lloyd iterations the design took
};

// The number of colours a conversion designs: options.colors, or the target's palette size.
// Throws Error{usage} when options.colors is outside 1..palette size.
int palette_colors(const Target& target, const ConvertOptions& options);

// Converts `image` for `target`. Throws Error{usage} for a bad K.
Conversion convert(const Image& image, const Target& target, const ConvertOptions& options);

} // namespace kpal
