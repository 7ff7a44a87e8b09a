// Stage 1: image file -> Image. PNG through libpng, JPEG through libjpeg-turbo.
#pragma once

#include "kpal/image.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kpal {

struct LoadLimits {
    std::uint32_t max_width = 65535;
    std::uint32_t max_height = 65535;
    std::uint64_t max_pixels = 100'000'000; // checked before any pixel buffer is allocated
};

// Reads a PNG (any colour type, bit depth, interlace, tRNS) or a JPEG (baseline, progressive,
// grey, YCbCr, CMYK) into RGBA8; the format is told by the file's first bytes, not its name.
// 16-bit samples are rounded to 8 bits; no gamma is applied. Throws Error{input} naming the file.
Image load_image(const std::string& path, const LoadLimits& limits = {});

// The colours a PNG defines: its PLTE for a palette image, else its distinct colours in the
// order they first appear (an error past 256). Throws Error{input} naming the file.
std::vector<Rgb> load_png_colors(const std::string& path);

} // namespace kpal
