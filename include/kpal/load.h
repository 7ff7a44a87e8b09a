// Stage 1: image file -> Image. PNG through libpng, JPEG through libjpeg-turbo.
#pragma once

#include "kpal/image.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace kpal {

// Caps that keep a small hostile file from taking the machine: all are checked before any
// pixel buffer is allocated (a 100-byte PNG may claim 2^31 x 2^31 pixels).
struct LoadLimits {
    std::uint32_t max_width = 32768;
    std::uint32_t max_height = 32768;
    std::uint64_t max_pixels = std::uint64_t(1) << 26; // 67 million: 8192 x 8192
    std::uint64_t max_file_bytes = std::uint64_t(1) << 30;
};

// Reads a PNG (any colour type, bit depth, interlace, tRNS) or a JPEG (baseline, progressive,
// grey, YCbCr, CMYK) into RGBA8; the format is told by the file's first bytes, not its name.
// 16-bit samples are rounded to 8 bits; no gamma is applied. Throws Error{input} naming the file.
Image load_image(const std::string& path, const LoadLimits& limits = {});

// The same from a file's bytes in memory; `name` names it in errors.
Image decode_image(std::span<const std::uint8_t> bytes, const std::string& name,
                   const LoadLimits& limits = {});

// The colours a PNG's bytes define: its PLTE for a palette image, else its distinct colours in
// the order they first appear (an error past 256). Throws Error{input} naming `name`.
std::vector<Rgb> png_colors(std::span<const std::uint8_t> bytes, const std::string& name);

} // namespace kpal
