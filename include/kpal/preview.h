// The preview: an indexed PNG of exactly what the display shows.
#pragma once

#include "kpal/image.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace kpal {

// Encodes `indexed` as a palette PNG (PLTE from `shown`, 1, 2, 4 or 8 bits a pixel: the
// smallest that holds shown.size() entries), with entry `transparent`, if any, fully transparent
// (tRNS). Deterministic bytes: no time, no text chunks.
std::vector<std::uint8_t> encode_preview_png(const IndexedImage& indexed,
                                             std::span<const Rgb> shown,
                                             std::optional<int> transparent = std::nullopt);

// Encodes an RGBA image as an 8-bit RGBA PNG, deterministically (for comparison sheets).
std::vector<std::uint8_t> encode_rgba_png(const Image& image);

} // namespace kpal
